"""The town's monthly figures page in the admin: ranking, grids, workers, chart, export."""

from django import forms
from django.shortcuts import render
from django.utils import timezone
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from portal.cases.charts import horizontal_bars
from portal.cases.stats import parse_month
from portal.snippets.models import Region
from portal.snippets.scope import restrict_to_scope

from . import exports, figures

FIGURES_PERMISSION = "care.view_gridrankingweights"


def towns_in_scope(user):
    towns = Region.objects.filter(level=Region.Level.TOWN).order_by("sort_order", "name")
    return restrict_to_scope(towns, user, "id")


class FiguresForm(forms.Form):
    town = forms.ModelChoiceField(
        label="乡镇/街道", queryset=Region.objects.none(), empty_label=None
    )
    month = forms.CharField(label="月份", help_text="格式：YYYY-MM，如 2026-11")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["town"].queryset = towns_in_scope(user)

    def clean_month(self):
        try:
            return parse_month(self.cleaned_data["month"])
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from exc


def score_chart(ranked, label):
    items = [
        (r.grid.name, r.score or 0, "—" if r.score is None else f"{r.score}分 {r.stars_label}")
        for r in ranked
    ]
    return horizontal_bars(items, title=f"{label}星级网格得分", maximum=100, value_width=130)


class FiguresView(WagtailAdminTemplateMixin, TemplateView):
    page_title = "星级网格与走访统计"
    header_icon = "pick"
    template_name = "care/admin/figures.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(FIGURES_PERMISSION):
            return render(
                request,
                "snippets/admin/forbidden.html",
                {"message": "您没有查看网格评星统计的权限"},
                status=403,
            )
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        today = timezone.localdate()
        towns = towns_in_scope(request.user)
        data = request.GET.copy()
        data.setdefault("month", f"{today:%Y-%m}")
        if "town" not in data and towns.exists():
            data["town"] = str(towns.first().pk)
        form = FiguresForm(data, user=request.user)
        context = {"form": form, "ranked": None, "error": None}
        if form.is_valid():
            town = form.cleaned_data["town"]
            year, month = form.cleaned_data["month"]
            try:
                ranked = figures.grid_ranking(town, year, month, today)
                workers = figures.worker_figures(
                    figures.town_workers(town, year, month, today), year, month, today
                )
            except figures.FiguresError as exc:
                context["error"] = str(exc)
            else:
                label = f"{town.name}{year}年{month}月"
                export = request.GET.get("export")
                filename = f"{label}星级网格"
                if export == "csv":
                    return exports.csv_response(filename, ranked)
                if export == "xlsx":
                    return exports.xlsx_response(filename, ranked, workers)
                context.update(
                    town=town,
                    label=label,
                    ranked=ranked,
                    workers=workers,
                    weights=figures.town_weights(town),
                    chart=score_chart(ranked, label),
                    query=f"town={town.pk}&month={year:04d}-{month:02d}",
                )
        elif not towns.exists():
            context["error"] = "您的辖区内没有乡镇/街道，无法查看网格评星统计"
        return self.render_to_response(self.get_context_data(**context))
