"""Builders every test area shares: the region tree, published grids, volunteers, staff.

Plain functions rather than fixtures, so an area's conftest composes the world
its tests need (its own grids, categories and users) from the same pieces:

清河县 → 青石街道 → 东湖社区, 西岭村
       → 白沙镇   → 白沙村

Names and codes can be changed where an area's tests read them (the import
tests use 白云镇/白云村 and villages without codes, which their files refer to).
"""

from types import SimpleNamespace

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from portal.snippets import pii
from portal.snippets.models import Grid, Region, StaffRegion, Volunteer

COUNTY_CODE = "411523000000"
TOWN_CODE = "411523001000"


def region_tree(
    *,
    other_town=("白沙镇", "411523002000"),
    other_village=("白沙村", "411523002201"),
    village_codes=True,
):
    """The six regions: county, two towns, three villages (two in 青石街道)."""
    county = Region.objects.create(name="清河县", level=Region.Level.COUNTY, code=COUNTY_CODE)
    town = Region.objects.create(
        name="青石街道", level=Region.Level.TOWN, parent=county, code=TOWN_CODE
    )
    other_name, other_code = other_town
    other = Region.objects.create(
        name=other_name, level=Region.Level.TOWN, parent=county, code=other_code
    )

    def village(name, parent, code):
        return Region.objects.create(
            name=name,
            level=Region.Level.VILLAGE,
            parent=parent,
            code=code if village_codes else "",
        )

    return SimpleNamespace(
        county=county,
        town=town,
        other_town=other,
        donghu=village("东湖社区", town, "411523001001"),
        xiling=village("西岭村", town, "411523001201"),
        baisha=village(other_village[0], other, other_village[1]),
    )


def published_grid(region, code, name, households=300, grid_type=Grid.GridType.URBAN, **fields):
    """A live grid (as after its first publication), population three a household."""
    now = timezone.now()
    fields.setdefault("population", households * 3)
    return Grid.objects.create(
        code=code,
        name=name,
        region=region,
        grid_type=grid_type,
        households=households,
        live=True,
        first_published_at=now,
        last_published_at=now,
        **fields,
    )


def with_check_digit(first17):
    """An 18-digit ID number from its first 17 digits (correct check code)."""
    return first17 + pii.id_check_code(first17)


def sealed_volunteer(grid, name, id_number, phone="13512345678", **extra):
    """A volunteer saved with the ID number sealed the way the admin form seals it."""
    volunteer = Volunteer(name=name, grid=grid, phone=phone, **extra)
    for field, value in pii.sealed_id_fields(id_number).items():
        setattr(volunteer, field, value)
    volunteer.gender = volunteer.gender or pii.gender_from_id(id_number)
    volunteer.birth_date = volunteer.birth_date or pii.birth_date_from_id(id_number)
    volunteer.save()
    return volunteer


def make_staff(username, groups=(), regions=(), *, superuser=False, password="pw", **fields):
    """A user in the named groups (or Group objects), assigned to ``regions``."""
    model = get_user_model()
    if superuser:
        return model.objects.create_superuser(username, password=password, **fields)
    user = model.objects.create_user(username, password=password, **fields)
    for group in groups:
        user.groups.add(group if isinstance(group, Group) else Group.objects.get(name=group))
    for region in regions:
        StaffRegion.objects.create(user=user, region=region)
    return user


def site_home(site_name=None, title="青石街道基层治理门户", slug="qingshi"):
    """The town's HomePage under Wagtail's root, made the default site's root page."""
    from wagtail.models import Page, Site

    from portal.pages.models import HomePage

    home = Page.get_first_root_node().add_child(instance=HomePage(title=title, slug=slug))
    site = Site.objects.get(is_default_site=True)
    site.root_page = home
    if site_name is not None:
        site.site_name = site_name
    site.save()
    return home


def document(title, name, content):
    """A real Wagtail document, its file written to the test MEDIA_ROOT."""
    from django.core.files.base import ContentFile
    from wagtail.documents import get_document_model

    made = get_document_model()(title=title)
    made.file.save(name, ContentFile(content), save=False)
    made.save()
    return made


def xiling_disclosure_board(home):
    """青石街道's disclosure board under ``home`` and 西岭村's below it, with their regions.

    Returns (town, village, village_board). The benchmark builds the same boards.
    """
    from portal.pages.models import DisclosureIndexPage

    town = Region.objects.create(name="青石街道", level=Region.Level.TOWN, code=TOWN_CODE)
    village = Region.objects.create(
        name="西岭村", level=Region.Level.VILLAGE, parent=town, code="411523001201"
    )
    town_board = home.add_child(
        instance=DisclosureIndexPage(title="村务公开", slug="disclosures", region=town)
    )
    village_board = town_board.add_child(
        instance=DisclosureIndexPage(title="西岭村村务公开", slug="xiling", region=village)
    )
    return town, village, village_board


def finance_disclosure(
    board, title, slug, opening_balance, items, period=("quarter", 2026, 3), **fields
):
    """A finance disclosure (财务公开) of ``period`` (type, year, number) published on ``board``.

    ``items`` are (direction, item, amount) triples.
    """
    from decimal import Decimal

    from portal.pages.models import DisclosurePage, FinanceLineItem

    period_type, year, number = period
    return board.add_child(
        instance=DisclosurePage(
            title=title,
            slug=slug,
            kind="finance",
            period_type=period_type,
            year=year,
            period_number=number,
            opening_balance=Decimal(opening_balance),
            finance_items=[
                FinanceLineItem(direction=direction, item=item, amount=Decimal(amount))
                for direction, item, amount in items
            ],
            **fields,
        )
    )


def notice_form_data(title, **fields):
    """POST data of Wagtail's add/edit form for a NoticePage (empty body, no attachments)."""
    from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

    data = {
        "title": title,
        "slug": "",
        "date": "2026-05-01",
        "category": "notice",
        "issuing_unit": "东湖社区居民委员会",
        "summary": "",
        "body": streamfield([]),
        "attachments": inline_formset([]),
    }
    data.update(fields)
    return nested_form_data(data)


def dispute_and_sanitation(dispute_name="矛盾纠纷"):
    """The two case categories most tests need: a dispute (30 days) and 环境卫生 (7 days)."""
    from portal.cases.models import CaseCategory

    return SimpleNamespace(
        dispute=CaseCategory.objects.create(
            name=dispute_name, code="dispute", deadline_days=30, is_dispute=True
        ),
        sanitation=CaseCategory.objects.create(name="环境卫生", code="sanitation", deadline_days=7),
    )
