"""Admin forms for the registers.

Every choice of a region, grid, team or volunteer is limited to the editing
user's scope (``ScopedFormMixin``), so a hand-crafted POST naming another
town's grid fails validation like a typo would. The volunteer form takes the ID
number as a plain form field: the model only stores it sealed (see ``pii``).
"""

from django import forms
from django.contrib.auth import get_user_model
from wagtail.admin.forms import WagtailAdminModelForm

from .models import Region, Volunteer
from .models.grids import normalise_grid_code
from .phones import normalise_phone
from .scope import restrict_to_scope
from .sealed_ids import SealedIdNumberFormMixin, id_number_field
from .volunteering import full_id_number, id_number_errors, seal_id_number


class ScopedFormMixin:
    """Restrict the querysets of related-object fields to the user's regions.

    ``scoped_fields`` maps a form field name to the lookup from the related
    model to its region (``"id"`` for a region itself).
    """

    scoped_fields = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = getattr(self, "for_user", None)
        for name, region_lookup in self.scoped_fields.items():
            field = self.fields.get(name)
            if field is not None and user is not None:
                field.queryset = restrict_to_scope(field.queryset, user, region_lookup)


class RegionForm(ScopedFormMixin, WagtailAdminModelForm):
    scoped_fields = {"parent": "id", "merged_into": "id"}


class StaffRegionForm(ScopedFormMixin, WagtailAdminModelForm):
    scoped_fields = {"region": "id"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "user" in self.fields:
            # Only staff accounts can be assigned; superusers already see everything.
            self.fields["user"].queryset = get_user_model().objects.filter(
                is_active=True, is_superuser=False
            )


class GridForm(ScopedFormMixin, WagtailAdminModelForm):
    scoped_fields = {"region": "id"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "region" in self.fields:
            self.fields["region"].queryset = self.fields["region"].queryset.filter(
                level=Region.Level.VILLAGE
            )

    def clean_code(self):
        return normalise_grid_code(self.cleaned_data.get("code"))


class GridStaffForm(ScopedFormMixin, WagtailAdminModelForm):
    scoped_fields = {"grids": "region"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # An instructor may also cover grids outside this user's scope; the user
        # cannot see those, so saving must keep them rather than drop them.
        self._grids_out_of_scope = []
        if self.instance.pk and "grids" in self.fields:
            visible = self.fields["grids"].queryset.values("pk")
            self._grids_out_of_scope = list(self.instance.grids.exclude(pk__in=visible))

    def clean_work_phone(self):
        return normalise_phone(self.cleaned_data.get("work_phone"))

    def _save_m2m(self):
        super()._save_m2m()
        if self._grids_out_of_scope:
            self.instance.grids.add(*self._grids_out_of_scope)


class VolunteerTeamForm(ScopedFormMixin, WagtailAdminModelForm):
    scoped_fields = {"region": "id"}


class VolunteerForm(SealedIdNumberFormMixin, ScopedFormMixin, WagtailAdminModelForm):
    """Takes the ID number in clear, stores it sealed, and never shows it back in full."""

    scoped_fields = {"grid": "region", "teams": "region"}
    seal_id_number = staticmethod(seal_id_number)

    id_number = id_number_field("18位公民身份号码；性别、出生日期留空时按身份证号自动填写")

    def clean(self):
        cleaned = super().clean()
        raw = cleaned.get("id_number", "")
        probe = Volunteer(
            pk=self.instance.pk,
            gender=cleaned.get("gender") or "",
            birth_date=cleaned.get("birth_date"),
        )
        if raw:
            errors = id_number_errors(probe, raw)
        elif self.instance.pk and self.instance.id_number_encrypted:
            # No new number: a typed gender or birth date must still agree with the stored one.
            errors = id_number_errors(probe, full_id_number(self.instance))
            errors.pop("id_number", None)
        else:
            errors = {}
        for name, message in errors.items():
            self.add_error(name if name in self.fields else None, message)
        return cleaned


class ServiceRecordForm(ScopedFormMixin, WagtailAdminModelForm):
    scoped_fields = {"volunteer": "grid__region", "team": "region"}


class PointsEntryForm(ScopedFormMixin, WagtailAdminModelForm):
    scoped_fields = {"volunteer": "grid__region"}


class CertificateRequestForm(forms.Form):
    """What the clerk chooses when issuing a certificate of service."""

    team = forms.ModelChoiceField(
        label="出具队伍",
        queryset=None,
        required=False,
        empty_label="（以所在村/社区志愿服务站名义出具）",
    )
    purpose = forms.CharField(label="用途", max_length=100, required=False)

    def __init__(self, *args, volunteer, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = volunteer.teams.all()
