"""Volunteer rules: computed totals, the points ledger, and the ID number.

Totals are never typed: hours come from service records and the points balance
from the ledger. The ID number goes through ``assign_id_number`` so that every
caller (admin form, importer, API, demo loader) validates, derives and seals it
the same way.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import DecimalField, IntegerField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from . import pii
from .models import PointsEntry, ServiceRecord, Volunteer

ZERO_HOURS = Decimal("0.0")


def total_hours(volunteer):
    """Sum of the volunteer's service hours (Decimal, 0 when there are none)."""
    total = ServiceRecord.objects.filter(volunteer=volunteer).aggregate(t=Sum("hours"))["t"]
    return total if total is not None else ZERO_HOURS


def _points_sum(volunteer, kind, replacing=None):
    entries = PointsEntry.objects.filter(volunteer=volunteer, kind=kind)
    if replacing is not None:
        entries = entries.exclude(pk=replacing)
    return entries.aggregate(t=Sum("points"))["t"] or 0


def points_balance(volunteer, replacing=None):
    """Earned minus redeemed points; ``replacing`` leaves one entry out (it is being edited)."""
    return _points_sum(volunteer, PointsEntry.Kind.EARNED, replacing) - _points_sum(
        volunteer, PointsEntry.Kind.REDEEMED, replacing
    )


def redeem_problem(volunteer, points, replacing=None):
    """Chinese refusal when redeeming ``points`` would overdraw the balance, else None."""
    return overdraw_problem(points_balance(volunteer, replacing=replacing), points)


def overdraw_problem(balance, points):
    """The ledger rule itself: a redemption may not exceed the balance (None when it does not).

    ``redeem_problem`` applies it to one volunteer's stored balance; the points
    importer to a running balance over a whole file.
    """
    if points > balance:
        return f"积分余额不足：当前余额 {balance} 分，不能兑换 {points} 分"
    return None


def points_balances(volunteer_ids):
    """Volunteer id → stored balance (earned minus redeemed), in one grouped query."""
    balances = dict.fromkeys(volunteer_ids, 0)
    rows = (
        PointsEntry.objects.filter(volunteer_id__in=list(balances))
        .values_list("volunteer_id", "kind")
        .annotate(total=Sum("points"))
        .order_by()
    )
    for volunteer_id, kind, total in rows:
        sign = 1 if kind == PointsEntry.Kind.EARNED else -1
        balances[volunteer_id] += sign * (total or 0)
    return balances


def _subquery_sum(model, field, output, **filters):
    rows = (
        model.objects.filter(volunteer=OuterRef("pk"), **filters)
        .order_by()
        .values("volunteer")
        .annotate(total=Sum(field))
        .values("total")
    )
    return Coalesce(Subquery(rows, output_field=output), Value(0), output_field=output)


def annotate_totals(queryset):
    """Add ``hours_total``, ``points_earned``, ``points_redeemed`` and ``points_total``.

    Correlated subqueries rather than joins, so that a list of volunteers costs
    one query however many records each has, and the sums do not multiply.
    """
    hours = DecimalField(max_digits=9, decimal_places=1)
    integer = IntegerField()
    queryset = queryset.annotate(
        hours_total=_subquery_sum(ServiceRecord, "hours", hours),
        points_earned=_subquery_sum(PointsEntry, "points", integer, kind=PointsEntry.Kind.EARNED),
        points_redeemed=_subquery_sum(
            PointsEntry, "points", integer, kind=PointsEntry.Kind.REDEEMED
        ),
    )
    return queryset.annotate(
        points_total=Coalesce("points_earned", 0) - Coalesce("points_redeemed", 0)
    )


# --- ID numbers -------------------------------------------------------------------


def id_number_taken(number, exclude_pk=None, *, taken=None):
    """True if another volunteer is registered with this ID number (found by its keyed hash).

    ``taken``: the keyed hashes a bulk caller (the importer) has already looked
    up for its whole file, so that the same rule costs no query per number.
    """
    return _taken(pii.hash_id_number(number), exclude_pk, taken)


def _taken(digest, exclude_pk, taken):
    if taken is not None:
        return digest in taken
    others = Volunteer.objects.filter(id_number_hash=digest)
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    return others.exists()


def id_number_errors(volunteer, raw_number, *, taken=None):
    """Field errors for giving ``volunteer`` this ID number, as ``{field: message}``.

    Checks the number itself, that no other volunteer holds it (naming only the
    masked number, never the other person), and that a gender or birth date typed
    alongside agrees with what the number encodes. ``taken`` as in ``id_number_taken``.
    """
    return _checked(volunteer, raw_number, taken, None)[0]


def _checked(volunteer, raw_number, taken, digest, validated=False):
    """(errors, normalised number, keyed hash): the hash is computed once per number.

    ``validated``: ``raw_number`` is what ``normalise_id_number`` returned for a
    number ``id_number_problem`` has already passed (the importer's cleaned cell,
    from the same row), so neither is computed again.
    """
    if validated:
        number = raw_number
    else:
        problem = pii.id_number_problem(raw_number)
        if problem:
            return {"id_number": problem}, None, None
        number = pii.normalise_id_number(raw_number)
    if digest is None:
        digest = pii.hash_normalised_id_number(number)
    if _taken(digest, volunteer.pk, taken):
        message = (
            f"该身份证号（{pii.mask_normalised_id_number(number)}）已登记为志愿者，不能重复登记"
        )
        return {"id_number": message}, number, digest
    errors = {}
    gender = pii.gender_from_id(number)
    if volunteer.gender and volunteer.gender != gender:
        errors["gender"] = f"性别与身份证号不符：身份证号显示为{Volunteer.Gender(gender).label}"
    if volunteer.birth_date:
        born = pii.birth_date_from_id(number)
        if volunteer.birth_date != born:
            errors["birth_date"] = f"出生日期与身份证号不符：身份证号显示为{born:%Y-%m-%d}"
    return errors, number, digest


def assign_id_number(volunteer, raw_number, *, taken=None, digest=None, validated=False):
    """Validate, derive gender/birth date if blank, and store the sealed ID columns.

    Raises ``ValidationError`` (with field keys) and changes nothing on bad input.
    Does not save: the caller saves with the rest of the record. The admin form
    and the roster importer both come through here. ``volunteer`` is a
    ``Volunteer`` or, for a bulk writer that inserts plain rows, any object with
    its ``pk``, ``gender``, ``birth_date`` and ``id_number_*`` attributes;
    ``taken`` as in ``id_number_taken``; ``digest``: ``hash_id_number(raw_number)``
    if the caller already computed it (the importer hashed every number to look
    it up), so that a 10⁵-row import does not compute each HMAC twice;
    ``validated``: ``raw_number`` is a cleaned cell (``clean_id_number``: normalised
    and checked) of the row being written, so the number is not checked twice.
    """
    errors, number, digest = _checked(volunteer, raw_number, taken, digest, validated)
    if errors:
        raise ValidationError(errors)
    return _seal(volunteer, number, digest)


def seal_id_number(volunteer, raw_number):
    """Store an already validated ID number sealed; fill gender/birth date if blank."""
    number = pii.normalise_id_number(raw_number)
    return _seal(volunteer, number, pii.hash_normalised_id_number(number))


def _seal(volunteer, number, digest):
    volunteer.id_number_encrypted = pii.encrypt_normalised_id_number(number)
    volunteer.id_number_hash = digest
    volunteer.id_number_masked = pii.mask_normalised_id_number(number)
    if not volunteer.gender:
        volunteer.gender = pii.gender_from_id(number)
    if not volunteer.birth_date:
        volunteer.birth_date = pii.birth_date_from_id(number)
    return volunteer


def full_id_number(volunteer):
    """Decrypt the stored ID number. Callers must check permission and log the view."""
    return pii.decrypt_id_number(volunteer.id_number_encrypted)
