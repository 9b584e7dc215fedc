"""The demo disclosures: idempotent, published through the workflow, every compliance state."""

import io
from collections import Counter

import pytest
from wagtail.models import Page, Site, TaskState

from demo import disclosures as demo_disclosures
from demo import regions as demo_regions
from portal.pages.disclosures import compliance
from portal.pages.models import DisclosureCatalogItem, DisclosurePage, HomePage

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(db):
    demo_regions.load(io.StringIO())
    home = Page.get_first_root_node().add_child(instance=HomePage(title="首页", slug="qingshi"))
    Site.objects.filter(is_default_site=True).update(root_page=home)
    out = io.StringIO()
    demo_disclosures.load(out)
    return out.getvalue()


def test_demo_builds_the_tree_catalog_and_disclosures(loaded):
    assert "村务公开" in loaded
    assert DisclosureCatalogItem.objects.count() >= 6
    disclosures = DisclosurePage.objects.live()
    assert disclosures.count() >= 24
    assert set(disclosures.values_list("kind", flat=True)) == {"party", "village", "finance"}
    assert set(disclosures.values_list("period_type", flat=True)) >= {
        "month",
        "quarter",
        "year",
        "immediate",
    }
    assert disclosures.exclude(region__level="village").count() == 0


def test_every_demo_disclosure_was_approved_by_its_own_villages_committee(loaded):
    for page in DisclosurePage.objects.live().select_related("region"):
        state = TaskState.objects.for_instance(page).get(status="approved")
        assert state.finished_by.groups.filter(name=f"{page.region.name}村务监督委员会").exists()
        assert not state.finished_by.has_usable_password()
        assert page.approval is not None


def test_demo_shows_every_compliance_state(loaded):
    _, _, entries = compliance.load_report()
    statuses = Counter(e.status for e in entries)
    assert set(statuses) == {
        compliance.ON_TIME,
        compliance.LATE,
        compliance.MISSING,
        compliance.PENDING,
    }


def test_demo_is_idempotent(loaded):
    counts = (DisclosurePage.objects.count(), DisclosureCatalogItem.objects.count())
    out = io.StringIO()
    demo_disclosures.load(out)
    assert (DisclosurePage.objects.count(), DisclosureCatalogItem.objects.count()) == counts
    assert "新增公开内容 0 条" in out.getvalue()
