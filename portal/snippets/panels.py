"""Read-only edit-page panels that depend on the object being edited."""

from django.urls import reverse
from wagtail.admin.panels import Panel


class OversizeWarningPanel(Panel):
    """Warns on a grid's edit page when it exceeds the provincial household norm.

    A warning, not a form error: oversized grids are flagged, never refused.
    """

    class BoundPanel(Panel.BoundPanel):
        template_name = "snippets/admin/oversize_warning_panel.html"

        def is_shown(self):
            return bool(self.instance and self.instance.pk and self.instance.is_oversized)

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["message"] = self.instance.oversize_message
            return context


class VolunteerTotalsPanel(Panel):
    """Total hours and points balance, computed from the records (never typed)."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "snippets/admin/volunteer_totals_panel.html"

        def is_shown(self):
            return bool(self.instance and self.instance.pk)

        def get_context_data(self, parent_context=None):
            from .volunteering import points_balance, total_hours

            context = super().get_context_data(parent_context)
            volunteer = self.instance
            context.update(
                hours=total_hours(volunteer),
                balance=points_balance(volunteer),
                record_count=volunteer.service_records.count(),
                records_url=reverse("wagtailsnippets_snippets_servicerecord:list")
                + f"?volunteer={volunteer.pk}",
                points_url=reverse("wagtailsnippets_snippets_pointsentry:list")
                + f"?volunteer={volunteer.pk}",
                certificate_url=reverse(
                    "wagtailsnippets_snippets_volunteer:certificate", args=[volunteer.pk]
                ),
            )
            return context
