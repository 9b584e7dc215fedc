"""Issuing 志愿服务记录证明 (certificates of volunteer service).

Each issuance gets a serial ``ZYZM-<year>-<6-digit sequence>`` that restarts
every year, and a snapshot of the records it certifies (see
``CertificateIssue``). Issuing is free and unlimited: a volunteer may ask again
and gets a new serial each time.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import CertificateIssue, ServiceRecord
from .volunteering import total_hours

SERIAL_PREFIX = "ZYZM"


def format_serial(year, sequence):
    return f"{SERIAL_PREFIX}-{year}-{sequence:06d}"


def next_serial(year):
    """The next free serial in ``year`` (the highest issued + 1)."""
    prefix = f"{SERIAL_PREFIX}-{year}-"
    last = (
        CertificateIssue.objects.filter(serial__startswith=prefix)
        .order_by("-serial")
        .values_list("serial", flat=True)
        .first()
    )
    sequence = int(last[len(prefix) :]) + 1 if last else 1
    return format_serial(year, sequence)


def default_issuing_body(volunteer, team=None):
    """Who signs the certificate: the chosen team, else the volunteer's village."""
    if team is not None:
        return team.name
    return f"{volunteer.grid.region.name}志愿服务站"


def _records_snapshot(volunteer):
    rows = (
        ServiceRecord.objects.filter(volunteer=volunteer)
        .select_related("team")
        .order_by("date", "id")
    )
    return [
        {
            "date": record.date.isoformat(),
            "activity": record.activity,
            "hours": str(record.hours),
            "team": record.team.name if record.team else "",
            "verifier": record.verifier,
        }
        for record in rows
    ]


def issue_certificate(volunteer, user, team=None, purpose="", attempts=5):
    """Record one issuance for ``volunteer`` and return it.

    The serial is unique; if two clerks issue at the same moment the loser of
    the race retries with the next number.
    """
    now = timezone.now()
    records = _records_snapshot(volunteer)
    for _ in range(attempts):
        try:
            with transaction.atomic():
                return CertificateIssue.objects.create(
                    serial=next_serial(timezone.localtime(now).year),
                    volunteer=volunteer,
                    team=team,
                    issuing_body=default_issuing_body(volunteer, team),
                    issued_by=user,
                    issued_at=now,
                    region_id=volunteer.grid.region_id,
                    volunteer_name=volunteer.name,
                    id_number_masked=volunteer.id_number_masked,
                    total_hours=total_hours(volunteer),
                    record_count=len(records),
                    records=records,
                    purpose=purpose,
                )
        except IntegrityError:
            continue
    raise RuntimeError("无法生成唯一的证明编号，请稍后重试")
