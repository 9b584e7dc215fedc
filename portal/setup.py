"""First-run set-up of a portal: the one door for ``setup_portal``, the 首次设置 page and the demo.

A town starts from ``migrate`` on an empty database. What it needs before its
staff can work is structural, not content: the staff groups and their
permissions, the grid change workflow, the root of the region tree (its county,
or the town itself with its county above it), the home page with the notice,
policy and disclosure sections, the Wagtail ``Site`` pointing at the home page,
and the editors' page permissions and committee workflows. Every function here
is idempotent and only adds: running the set-up again changes nothing, and an
editor's later changes (titles, intros, quick links) are left alone.

``run_setup`` performs the whole set-up and reports, table by table, what it
created, so the command line and the admin page can say "nothing changed" when
nothing did.
"""

import unicodedata
from dataclasses import dataclass, field

from django.contrib.auth.models import Group
from django.db import transaction
from wagtail.models import (
    GroupPagePermission,
    Page,
    Site,
    Workflow,
    WorkflowContentType,
    WorkflowPage,
    WorkflowTask,
)

from portal.snippets.models import Region

LEVEL_COUNTY = Region.Level.COUNTY
LEVEL_TOWN = Region.Level.TOWN
LEVELS = {"county": LEVEL_COUNTY, "town": LEVEL_TOWN, "区县": LEVEL_COUNTY, "乡镇": LEVEL_TOWN,
          "街道": LEVEL_TOWN, "乡镇街道": LEVEL_TOWN, "乡镇/街道": LEVEL_TOWN}  # fmt: skip

NOTICES_INTRO = "发布的通知、公告、公示、紧急通知、红黑榜和表彰。"
POLICIES_INTRO = (
    "国家、省、市、县和乡镇（街道）的政策文件及其解读，可按层级、主题、效力状态和年份查找。"
)
DISCLOSURES_INTRO = (
    "所辖村（社区）的党务、村务、财务公开。选择村（社区）后可按类别、年度和季度查看。"
)


class SetupError(ValueError):
    """A set-up request that cannot be carried out; the message is for the user (Chinese)."""


# --- division codes and names --------------------------------------------------------------


def _digits(value):
    return unicodedata.normalize("NFKC", str(value or "")).strip().replace(" ", "")


def county_code(value):
    """A county's 12-digit statistical code from its 6-digit division code (or the 12 digits)."""
    code = _digits(value)
    if not code:
        raise SetupError("请填写区县的6位行政区划代码，例如 411502")
    if not code.isdigit():
        raise SetupError(f"区划代码只能由数字组成，“{code}”不是6位数字")
    if len(code) == 12 and code.endswith("000000"):
        code = code[:6]
    if len(code) != 6:
        raise SetupError(f"区县的行政区划代码应为6位数字（例如 411502），“{code}”为{len(code)}位")
    if code.endswith("00"):
        raise SetupError(f"“{code}”是地市级（或省级）代码，区县代码的后两位不是00")
    return code + "000000"


def town_code(value):
    """A town's 12-digit code from its 9-digit code (6-digit county + 3-digit town) or 12 digits."""
    code = _digits(value)
    if not code:
        raise SetupError(
            "请填写乡镇（街道）的9位区划代码（区县6位代码加3位乡镇代码），例如 411502001"
        )
    if not code.isdigit():
        raise SetupError(f"区划代码只能由数字组成，“{code}”不是数字")
    if len(code) == 12 and code.endswith("000"):
        code = code[:9]
    if len(code) != 9:
        raise SetupError(
            f"乡镇（街道）的区划代码应为9位数字（区县6位代码加3位乡镇代码，例如 411502001），"
            f"“{code}”为{len(code)}位"
        )
    if code.endswith("000"):
        raise SetupError(f"“{code}”的后三位是000，不是乡镇（街道）代码")
    county_code(code[:6])
    return code + "000"


def clean_region_name(value, what="名称"):
    name = unicodedata.normalize("NFKC", str(value or "")).strip()
    name = "".join(name.split())
    if not name:
        raise SetupError(f"请填写{what}，例如 浉河区")
    if len(name) > 50:
        raise SetupError(f"{what}“{name[:20]}…”过长（不超过50个字）")
    if name.isdigit():
        raise SetupError(f"{what}“{name}”是数字，请填写中文名称")
    return name


def clean_level(value):
    level = LEVELS.get(str(value or "county").strip())
    if level is None:
        raise SetupError(f"层级“{value}”无效，只能是 county（区县）或 town（乡镇/街道）")
    return level


# --- roles and workflows ---------------------------------------------------------------------


def ensure_roles():
    """The six staff groups with their permissions and the grid change workflow."""
    from portal.groups import ensure_groups
    from portal.snippets.workflow_setup import ensure_grid_workflow

    groups = ensure_groups()
    ensure_grid_workflow()
    return groups


def ensure_page_access(home=None):
    """Editors' page permissions and every village's disclosure review workflow."""
    from portal.pages.permissions import ensure_disclosure_workflows, ensure_page_permissions

    ensure_page_permissions(home)
    return ensure_disclosure_workflows()


# --- the region tree -----------------------------------------------------------------------


def root_region():
    """The portal's own region: the single county at the root, or a town set up as the portal.

    A county with exactly one town whose home page names the town is still a
    county-rooted tree; this returns the county (the tree's root) in every case,
    or ``None`` on an empty install.
    """
    roots = list(Region.objects.filter(parent__isnull=True).order_by("pk")[:2])
    return roots[0] if len(roots) == 1 else None


def ensure_root_region(name, code, level="county", county_name=""):
    """Create (or find) the region the portal belongs to. Returns ``(region, created)``.

    ``level`` county: the county at the root, named ``name``, code from the
    6-digit division code. ``level`` town: the town named ``name`` with the
    9-digit code, under its county (found by its code, else created with
    ``county_name``). A different region already at the root is refused, not
    overwritten: the tree has one root.
    """
    level = clean_level(level)
    name = clean_region_name(name, "区县名称" if level == LEVEL_COUNTY else "乡镇（街道）名称")
    if level == LEVEL_COUNTY:
        county, created = _ensure_county(name, county_code(code))
        return county, created
    full_code = town_code(code)
    county = Region.objects.filter(
        parent__isnull=True, level=LEVEL_COUNTY, code=full_code[:6] + "000000"
    ).first()
    county_created = False
    if county is None:
        if not county_name:
            raise SetupError(
                f"系统中还没有代码为 {full_code[:6]} 的区县，请同时填写所属区县的名称（--county）"
            )
        county, county_created = _ensure_county(
            clean_region_name(county_name, "所属区县名称"), full_code[:6] + "000000"
        )
    town = Region.objects.filter(parent=county, level=LEVEL_TOWN, name=name).first()
    if town is None:
        clash = Region.objects.filter(level=LEVEL_TOWN, code=full_code).first()
        if clash is not None:
            raise SetupError(
                f"区划代码 {full_code[:9]} 已属于“{clash.name}”，与“{name}”不一致；"
                "如需改名，请在“行政区划”中修改"
            )
        town = Region.objects.create(name=name, level=LEVEL_TOWN, parent=county, code=full_code)
        return town, True
    if town.code and town.code != full_code:
        raise SetupError(
            f"“{name}”已登记，区划代码为 {town.code[:9]}，与填写的 {full_code[:9]} 不一致"
        )
    if not town.code:
        town.code = full_code
        town.save(update_fields=["code"])
    return town, county_created


def _ensure_county(name, full_code):
    roots = list(Region.objects.filter(parent__isnull=True))
    same = [r for r in roots if r.name == name or (r.code and r.code == full_code)]
    for region in same:
        if region.name == name and region.code in ("", full_code) and region.level == LEVEL_COUNTY:
            if not region.code:
                region.code = full_code
                region.save(update_fields=["code"])
            return region, False
    if same:
        region = same[0]
        raise SetupError(
            f"系统中已有区县“{region.name}”（代码 {region.code[:6] or '未填'}），"
            f"与填写的“{name}”（{full_code[:6]}）不一致；如需改名或改代码，请在“行政区划”中修改"
        )
    if roots:
        names = "、".join(r.name for r in roots[:3])
        raise SetupError(
            f"系统中已有最上级区划“{names}”，不能再新建区县“{name}”；一个门户只有一个区县"
        )
    return Region.objects.create(name=name, level=LEVEL_COUNTY, code=full_code), True


def portal_region():
    """The region the portal is named after: the top disclosure index's region, else the root."""
    from portal.pages.models import DisclosureIndexPage, HomePage

    home = HomePage.objects.first()
    if home is not None:
        index = (
            DisclosureIndexPage.objects.child_of(home)
            .filter(slug="disclosures")
            .select_related("region")
            .first()
        )
        if index is not None and index.region_id:
            return index.region
    return root_region()


# --- pages and the site --------------------------------------------------------------------


def publish(parent, page):
    """Add ``page`` under ``parent`` and publish it through a revision (as the admin would)."""
    parent.add_child(instance=page)
    page.save_revision(log_action=False).publish(log_action=False)
    return page


def site_name_for(region):
    return f"{region.name}基层治理门户"


def ensure_home(title, intro="", slug="home"):
    """The one HomePage at the site root, with the default ``Site`` pointing at it.

    Wagtail's own "Welcome to your new Wagtail site!" page is removed once no
    site points at it. An existing home page is kept as the editors left it.
    Returns ``(home, created)``.
    """
    from portal.pages.models import HomePage

    root = Page.get_first_root_node()
    home = HomePage.objects.first()
    created = home is None
    if created:
        # Wagtail's welcome page holds the slug "home" until it is removed below.
        if root.get_children().filter(slug=slug).exists():
            slug = f"{slug}-portal"
        home = publish(root, HomePage(title=title, slug=slug, intro=intro))
    site = Site.objects.filter(is_default_site=True).first() or Site(is_default_site=True)
    changed = site.pk is None or site.root_page_id != home.pk or not site.site_name
    if changed:
        site.hostname = site.hostname or "localhost"
        site.port = site.port or 80
        site.root_page = home
        site.site_name = site.site_name or title
        site.save()
    welcome = Page.objects.filter(
        depth=2, content_type__model="page", content_type__app_label="wagtailcore"
    )
    for page in welcome:
        if not Site.objects.filter(root_page=page).exists():
            page.delete()
    return home, created


def ensure_section(home, model, slug, title, intro, **fields):
    """A section page (index) of ``model`` under the home page, matched by slug."""
    section = model.objects.child_of(home).filter(slug=slug).first()
    if section is None:
        section = publish(home, model(title=title, slug=slug, intro=intro, **fields))
    return section


def ensure_disclosure_index(parent, region, slug, title, intro):
    """A region's disclosure index: the one already made for ``region`` wherever it is, else new."""
    from portal.pages.models import DisclosureIndexPage

    index = DisclosureIndexPage.objects.filter(region=region).first()
    if index is None:
        index = DisclosureIndexPage.objects.child_of(parent).filter(slug=slug).first()
    if index is None:
        index = publish(
            parent, DisclosureIndexPage(title=title, slug=slug, region=region, intro=intro)
        )
    return index


def ensure_village_disclosure_indexes(top_index):
    """A disclosure board for every effective village below the top index's region.

    Villages usually arrive with the grid register, after the first set-up, so
    ``setup_portal`` (and the 首次设置 page) run this again on every call.
    Returns the number of boards created.
    """
    from portal.snippets.scope import descendant_ids

    if top_index.region_id is None:
        return 0
    ids = descendant_ids([top_index.region_id])
    villages = Region.objects.filter(pk__in=ids, level=Region.Level.VILLAGE).order_by(
        "parent__sort_order", "parent__name", "sort_order", "code", "name"
    )
    created = 0
    for village in villages:
        if not village.is_effective() or village.disclosure_indexes.exists():
            continue
        ensure_disclosure_index(
            top_index,
            village,
            f"v{village.code}" if village.code else f"village-{village.pk}",
            f"{village.name}村务公开栏",
            f"{village.name}党务公开、村务公开、财务公开，经{village.name}村务监督委员会审核后发布。",
        )
        created += 1
    return created


def ensure_quick_links(home, notices, policies):
    """The home page's quick links, set once (an editor's own links are kept)."""
    if len(home.quick_links):
        return False
    links = [
        ("通知公告", notices, "", "最新通知公告"),
        ("村务公开", None, "/disclosures/", "党务、村务、财务公开"),
        ("政策文件", policies, "", "惠民政策及解读"),
        ("找网格员", None, "/grids/", "查询所在网格和网格员工作电话"),
        ("案件查询", None, "/cases/search/", "诉求办理进度和结果"),
        ("站内搜索", None, "/search/", "搜索全站内容"),
    ]
    home.quick_links = [
        ("link", {"title": t, "page": p, "url": u, "description": d}) for t, p, u, d in links
    ]
    home.save_revision(log_action=False).publish(log_action=False)
    return True


def ensure_pages(region):
    """Home page, notices, policies and disclosures for ``region``. Returns the pages by role."""
    from portal.pages.models import NoticeIndexPage, PolicyIndexPage

    name = site_name_for(region)
    home, _ = ensure_home(name, f"{region.name}的通知公告、村务公开和政策文件。")
    notices = ensure_section(
        home,
        NoticeIndexPage,
        "notices",
        "通知公告",
        f"{region.name}及所辖村（社区）{NOTICES_INTRO}",
    )
    policies = ensure_section(home, PolicyIndexPage, "policies", "政策文件", POLICIES_INTRO)
    disclosures = ensure_disclosure_index(
        home, region, "disclosures", "村务公开", f"{region.name}及{DISCLOSURES_INTRO}"
    )
    ensure_quick_links(home, notices, policies)
    villages = ensure_village_disclosure_indexes(disclosures)
    return {
        "home": home,
        "notices": notices,
        "policies": policies,
        "disclosures": disclosures,
        "new_village_boards": villages,
    }


# --- the whole set-up ------------------------------------------------------------------------


# What the set-up may add, counted before and after to say what changed.
COUNTED = [
    ("用户组", Group.objects),
    ("用户组权限", Group.permissions.through.objects),
    ("页面权限", GroupPagePermission.objects),
    ("审核流程", Workflow.objects),
    ("审核流程步骤", WorkflowTask.objects),
    ("审核流程分配", WorkflowPage.objects),
    ("片段审核流程分配", WorkflowContentType.objects),
    ("行政区划", Region.objects),
    ("页面", Page.objects),
    ("站点", Site.objects),
]


def _counts():
    return {label: manager.count() for label, manager in COUNTED}


@dataclass
class SetupReport:
    region: Region
    region_created: bool
    changes: dict = field(default_factory=dict)  # label → number added

    @property
    def changed(self):
        return any(self.changes.values())

    def lines(self):
        level = self.region.get_level_display()
        code = self.region.code[:6] if self.region.level == LEVEL_COUNTY else self.region.code[:9]
        state = "已新建" if self.region_created else "已存在"
        out = [f"{level}：{self.region.full_name}（{code}）{state}"]
        for label, added in self.changes.items():
            if added:
                out.append(f"{label}：新增 {added}")
        if not self.changed:
            out.append("已全部设置，本次没有任何改动")
        return out


def setup_needed():
    """True while the install lacks its root region or its home page (the 首次设置 banner)."""
    from portal.pages.models import HomePage

    return root_region() is None or not HomePage.objects.exists()


def run_setup(name=None, code=None, level="county", county_name=""):
    """The whole first-run set-up in one transaction; returns a ``SetupReport``.

    Without ``name`` and ``code`` the portal's existing root region is used (a
    re-run, e.g. after the grid register brought new villages); on an empty
    install they are required.
    """
    if name or code:  # check the arguments before touching the database
        level = clean_level(level)
        clean_region_name(name)
        county_code(code) if level == LEVEL_COUNTY else town_code(code)
    before = _counts()
    with transaction.atomic():
        ensure_roles()
        if name or code:
            region, created = ensure_root_region(name, code, level, county_name)
        else:
            region, created = portal_region(), False
            if region is None:
                raise SetupError(
                    "尚未设置本门户所属的区县（或乡镇、街道）：请填写名称和区划代码，"
                    "例如 --name 浉河区 --code 411502"
                )
        pages = ensure_pages(region)
        ensure_page_access(pages["home"])
    after = _counts()
    changes = {label: after[label] - before[label] for label, _m in COUNTED}
    return SetupReport(region, created, {k: v for k, v in changes.items() if v > 0})
