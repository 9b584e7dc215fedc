"""What the town's home page shows: urgent, pinned and latest notices, the newest
policies, and the latest disclosures of each village.

A fixed handful of queries, whatever the number of villages or notices: the
urgent, pinned and latest notices come from one query (``NoticePage.objects
.for_home``), view restrictions are read once per change (``portal.pages.public``),
and the per-village section is one hand-written SQL statement (see
``latest_disclosures_by_region``), keeping the home page cheap on a
village-office PC serving a whole community.
"""

from itertools import groupby

from django.db import connection
from django.utils import timezone
from wagtail.models import Page

from portal.pages.models import (
    DisclosurePage,
    NoticeIndexPage,
    NoticePage,
    PolicyIndexPage,
    PolicyPage,
)
from portal.pages.public import restricted_sections
from portal.snippets.models import Region

# Shown when the editors have not configured quick links yet.
DEFAULT_QUICK_LINKS = [
    {"title": "通知公告", "url": "/notices/", "description": "街道和村（社区）的最新通知"},
    {"title": "村务公开", "url": "/disclosures/", "description": "党务、村务、财务公开"},
    {"title": "政策文件", "url": "/policies/", "description": "惠民政策及解读"},
    {"title": "找网格员", "url": "/grids/", "description": "查询所在网格和网格员电话"},
    {"title": "案件查询", "url": "/cases/search/", "description": "诉求办理进度和结果"},
    {"title": "站内搜索", "url": "/search/", "description": "搜索全站内容"},
]

# The page columns of a home-page disclosure row (title, kind, date, URL).
DISCLOSURE_PAGE_COLUMNS = ("id", "title", "slug", "url_path", "path", "depth", "live")


def _latest_disclosures_sql():
    """The newest ``per_region`` live, public disclosures of every region below a page.

    Written as SQL rather than as a queryset with a ``Window`` annotation: the
    database answers it in a fraction of a millisecond, but the ORM took several
    milliseconds just to compile the windowed, multi-table, ``only()``-restricted
    queryset on every home-page request. ``ROW_NUMBER`` ranks within each
    region in one pass (SQLite ≥ 3.25 and PostgreSQL both have it).
    Restricted sections are excluded as ``PageQuerySet.public()`` would.
    """
    qn = connection.ops.quote_name
    page, disclosure, region = (
        qn(t) for t in ("wagtailcore_page", "pages_disclosurepage", "snippets_region")
    )
    private = "".join(" AND NOT (p.path LIKE %s AND p.depth >= %s)" for _ in restricted_sections())
    columns = ", ".join(f"p.{qn(c)}" for c in DISCLOSURE_PAGE_COLUMNS)
    return (
        f"SELECT d.page_ptr_id, {columns}, p.first_published_at, d.kind, d.region_id, "
        f"r.name AS region_name "
        f"FROM (SELECT d.page_ptr_id AS id, ROW_NUMBER() OVER ("
        f"PARTITION BY d.region_id ORDER BY p.first_published_at DESC NULLS LAST, p.id DESC"
        f") AS rank FROM {disclosure} d JOIN {page} p ON p.id = d.page_ptr_id "
        f"WHERE p.live AND p.path LIKE %s AND p.depth > %s AND d.region_id IS NOT NULL"
        f"{private}) ranked "
        f"JOIN {page} p ON p.id = ranked.id "
        f"JOIN {disclosure} d ON d.page_ptr_id = ranked.id "
        f"JOIN {region} r ON r.id = d.region_id "
        f"WHERE ranked.rank <= %s "
        f"ORDER BY r.level, r.sort_order, r.name, r.id, ranked.rank"
    )


def latest_disclosures_by_region(home, per_region=3):
    """``[(region, [disclosure, …]), …]`` — the newest few live disclosures of each region.

    Regions come in the tree's own order (town before villages, then sort order).
    """
    params = [f"{home.path}%", home.depth]
    for path, depth in restricted_sections():
        params += [f"{path}%", depth]
    params.append(per_region)
    rows = DisclosurePage.objects.raw(_latest_disclosures_sql(), params)
    groups = []
    for region_id, items in groupby(rows, key=lambda d: d.region_id):
        items = list(items)
        region = Region.from_db(connection.alias, ["id", "name"], [region_id, items[0].region_name])
        groups.append((region, items))
    return groups


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
    notices = NoticePage.objects.published(home).for_home(day)
    notice_index, policy_index = section_indexes(home)
    return {
        "urgent_notices": notices.urgent,
        "pinned_notices": notices.pinned,
        "latest_notices": notices.latest,
        "latest_policies": PolicyPage.objects.published(home).newest(5),
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
