"""Admin forms for the care registers, every choice limited to the editing user's regions.

The care-object form takes the ID number as a plain field and stores it sealed
through ``services.assign_id_number`` (as the volunteer form does).
"""

from wagtail.admin.forms import WagtailAdminModelForm

from portal.snippets.forms import ScopedFormMixin
from portal.snippets.models import Region
from portal.snippets.sealed_ids import SealedIdNumberFormMixin, id_number_field

from . import services


class CareObjectForm(SealedIdNumberFormMixin, ScopedFormMixin, WagtailAdminModelForm):
    scoped_fields = {"grid": "region"}
    seal_id_number = staticmethod(services.seal_id_number)

    id_number = id_number_field("18位公民身份号码")

    def clean(self):
        cleaned = super().clean()
        raw = cleaned.get("id_number", "")
        if raw:
            problem = services.id_number_problem(raw, exclude_pk=self.instance.pk)
            if problem:
                self.add_error("id_number", problem)
        return cleaned


class _TownForm(ScopedFormMixin, WagtailAdminModelForm):
    scoped_fields = {"town": "id"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "town" in self.fields:
            self.fields["town"].queryset = self.fields["town"].queryset.filter(
                level=Region.Level.TOWN
            )


class VisitCadenceForm(_TownForm):
    pass


class GridRankingWeightsForm(_TownForm):
    pass
