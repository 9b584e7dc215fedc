"""The shipped catalog of case categories (cases migration 0004)."""

import importlib
import io

import pytest
from django.apps import apps

from demo import cases as cases_demo
from portal.cases.models import CaseCategory

pytestmark = pytest.mark.django_db

migration = importlib.import_module("portal.cases.migrations.0004_default_categories")

REQUIRED = {"矛盾纠纷", "民生诉求", "环境卫生", "市容秩序", "治安隐患", "安全生产", "基础设施",
            "消防安全", "食品药品安全", "道路交通", "劳动保障", "社会保障", "教育医疗",
            "生态环境", "城乡建设", "邻里纠纷", "婚姻家庭纠纷", "土地纠纷", "物业纠纷", "其他"}  # fmt: skip


def load_catalog():
    migration.add_default_categories(apps, None)


def test_catalog_has_the_usual_categories_deadlines_and_dispute_flags():
    load_catalog()
    names = set(CaseCategory.objects.values_list("name", flat=True))
    assert REQUIRED <= names
    assert all(c.deadline_days > 0 for c in CaseCategory.objects.all())
    disputes = set(CaseCategory.objects.filter(is_dispute=True).values_list("name", flat=True))
    assert {"矛盾纠纷", "邻里纠纷", "婚姻家庭纠纷", "土地纠纷", "物业纠纷"} <= disputes
    assert not disputes & {"环境卫生", "民生诉求", "其他"}


def test_loading_twice_adds_nothing_and_keeps_admin_edits():
    load_catalog()
    sanitation = CaseCategory.objects.get(name="环境卫生")
    sanitation.deadline_days = 2
    sanitation.save()
    CaseCategory.objects.get(name="其他").delete()  # an install may remove one
    count = CaseCategory.objects.count()
    CaseCategory.objects.create(name="其他事项", code="other")  # and reuse its code
    load_catalog()
    assert CaseCategory.objects.get(name="环境卫生").deadline_days == 2
    # the removed one comes back only through the migration itself, with a free code
    assert CaseCategory.objects.get(name="其他").code == "other-2"
    assert CaseCategory.objects.count() == count + 2
    load_catalog()
    assert CaseCategory.objects.count() == count + 2


def test_an_install_with_its_own_categories_does_not_clash():
    CaseCategory.objects.create(name="矛盾纠纷", code="md", deadline_days=20, is_dispute=True)
    CaseCategory.objects.create(name="我的类别", code="sanitation")
    load_catalog()
    assert CaseCategory.objects.get(name="矛盾纠纷").code == "md"
    assert CaseCategory.objects.get(name="环境卫生").code == "sanitation-2"


def test_the_demo_loader_reuses_the_catalog_rows():
    load_catalog()
    before = CaseCategory.objects.count()
    cases_demo.load(io.StringIO())  # no grids: categories only
    dispute = CaseCategory.objects.get(code="dispute")
    assert dispute.name == "矛盾纠纷"
    assert CaseCategory.objects.filter(name="矛盾纠纷").count() == 1
    # the demo adds its own extra categories (宅基地纠纷, 物业管理 …) beside the catalog
    assert CaseCategory.objects.count() > before
