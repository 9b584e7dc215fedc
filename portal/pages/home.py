"""What the town's home page shows: pinned and latest notices, latest disclosures per village.

Each section is one query (the per-village section uses a window function so
four villages or forty cost the same; pinned and latest notices share one;
view restrictions are read once, see ``portal.pages.public``), keeping the home
page cheap on a village-office PC serving a whole community.
"""

from itertools import groupby

from django.db.models import F, Window
from django.db.models.functions import RowNumber
from django.utils import timezone
from wagtail.models import Page

from portal.pages.models import (
    DisclosurePage,
    NoticeIndexPage,
    PolicyIndexPage,
)
from portal.pages.notices import pinned_and_latest
from portal.pages.policies import published_policies
from portal.pages.public import PAGE_ROW_FIELDS, public_only

# What a home-page disclosure row shows (title, kind, date, URL); nothing else is loaded.
DISCLOSURE_ROW_FIELDS = (
    *PAGE_ROW_FIELDS,
    "kind",
    "first_published_at",
    "region",
)
POLICY_ROW_FIELDS = (
    *PAGE_ROW_FIELDS,
    "issuer",
    "issue_date",
    "effective_date",
    "repealed_on",
    "superseded_by",
)

# Shown when the editors have not configured quick links yet.
DEFAULT_QUICK_LINKS = [
    {"title": "通知公告", "url": "/notices/", "description": "街道和村（社区）的最新通知"},
    {"title": "村务公开", "url": "/disclosures/", "description": "党务、村务、财务公开"},
    {"title": "政策文件", "url": "/policies/", "description": "惠民政策及解读"},
    {"title": "找网格员", "url": "/grids/", "description": "查询所在网格和网格员电话"},
    {"title": "案件查询", "url": "/cases/search/", "description": "诉求办理进度和结果"},
    {"title": "站内搜索", "url": "/search/", "description": "搜索全站内容"},
]


def latest_disclosures_by_region(home, per_region=3):
    """``[(region, [disclosure, …]), …]`` — the newest few live disclosures of each region.

    Regions come in the tree's own order (town before villages, then sort order).
    """
    ranked = (
        public_only(DisclosurePage.objects.live())
        .descendant_of(home)
        .filter(region__isnull=False)
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("region_id")],
                order_by=[F("first_published_at").desc(nulls_last=True), F("id").desc()],
            )
        )
        .filter(rank__lte=per_region)
        .select_related("region")
        .only(*DISCLOSURE_ROW_FIELDS, "region__id", "region__name")
        .order_by("region__level", "region__sort_order", "region__name", "region_id", "rank")
    )
    return [(region, list(items)) for region, items in groupby(ranked, key=lambda d: d.region)]


def quick_links(home):
    """The editors' quick links, or the defaults when none are configured."""
    links = []
    for block in home.quick_links:
        value = block.value
        page = value.get("page")
        url = page.url if page is not None and page.live else value.get("url")
        if url:
            links.append(
                {"title": value["title"], "url": url, "description": value.get("description")}
            )
    return links or DEFAULT_QUICK_LINKS


def home_sections(home, day=None):
    """Everything the home template shows, as plain lists (no lazy queries in the template)."""
    day = day or timezone.localdate()
    pinned, latest = pinned_and_latest(home, day)
    notice_index, policy_index = section_indexes(home)
    return {
        "pinned_notices": pinned,
        "latest_notices": latest,
        "latest_policies": list(
            published_policies(home).only(*POLICY_ROW_FIELDS).order_by("-issue_date", "-id")[:5]
        ),
        "disclosures_by_region": latest_disclosures_by_region(home),
        "notice_index": notice_index,
        "policy_index": policy_index,
        "quick_links": quick_links(home),
    }


def section_indexes(home):
    """The first live notice index and policy index below ``home`` (one query).

    Plain ``Page`` objects: the template only needs their URLs.
    """
    wanted = {model: None for model in (NoticeIndexPage, PolicyIndexPage)}
    types = {model._meta.label_lower: model for model in wanted}
    rows = (
        Page.objects.child_of(home)
        .live()
        .type(*wanted)
        .select_related("content_type")
        .order_by("path")
    )
    for page in rows:
        model = types.get(f"{page.content_type.app_label}.{page.content_type.model}")
        if model is not None and wanted[model] is None:
            wanted[model] = page
    return wanted[NoticeIndexPage], wanted[PolicyIndexPage]
