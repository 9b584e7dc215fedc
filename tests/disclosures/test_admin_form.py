"""Bad input through the real Wagtail edit form: Chinese field errors, nothing half-written."""

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from portal.pages.models import DisclosurePage

from .conftest import add_url, edit_url, form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, django_user_model, tree):
    admin = django_user_model.objects.create_superuser("root", password="pw-root")
    client.force_login(admin)
    return client


def post_new(client, tree, **fields):
    return client.post(add_url(tree["东湖社区"]), form_data(**fields))


def test_valid_disclosure_is_created_with_the_villages_region(admin_client, tree, donghu, catalog):
    response = post_new(admin_client, tree, catalog_item=str(catalog["meeting"].pk))
    assert response.status_code == 302
    page = DisclosurePage.objects.get(slug="meeting-2026-q3")
    assert page.region == donghu
    assert page.catalog_item == catalog["meeting"]


def test_non_numeric_amount_is_refused_with_the_row_named(admin_client, tree):
    lines = [
        ("income", "上级转移支付", "12000.00"),
        ("income", "租金收入", "3,500"),
        ("expense", "办公费", "一千二百"),
    ]
    response = post_new(admin_client, tree, kind="finance", opening_balance="1000", lines=lines)
    assert response.status_code == 200
    html = response.content.decode()
    assert "第3行「金额」不是有效的数字" in html
    assert "第2行" not in html  # "3,500" is a valid amount as typed from the account book
    assert not DisclosurePage.objects.exists()


def test_other_bad_rows_are_named_too(admin_client, tree):
    lines = [("income", "", "100"), ("expense", "办公费", "-5"), ("expense", "水费", "1.234")]
    response = post_new(admin_client, tree, kind="finance", opening_balance="0", lines=lines)
    html = response.content.decode()
    assert "第1行「项目」不能为空" in html
    assert "第2行「金额」不能为负数" in html
    assert "第3行「金额」最多保留两位小数" in html
    assert not DisclosurePage.objects.exists()


def test_bad_amount_on_edit_leaves_the_saved_page_untouched(admin_client, tree, make_disclosure):
    page = make_disclosure(
        kind="finance", lines=[("income", "租金", "100.00")], title="原标题", slug="fin"
    )
    data = form_data(
        title="改过的标题",
        slug="fin",
        kind="finance",
        opening_balance="1000.00",
        lines=[("income", "租金", "100.00"), ("expense", "维修", "abc")],
    )
    response = admin_client.post(edit_url(page), data)
    assert response.status_code == 200
    assert "第2行「金额」不是有效的数字" in response.content.decode()
    page.refresh_from_db()
    assert page.title == "原标题"
    assert [line.amount for line in page.finance_items.all()] == [100]
    assert page.revisions.count() == 0


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"period_type": "month", "period_number": "13"}, "period_number", "月份应在1至12之间"),
        ({"period_type": "quarter", "period_number": "5"}, "period_number", "季度应在1至4之间"),
        ({"period_type": "quarter", "period_number": ""}, "period_number", "须填写季度"),
        ({"period_type": "year", "period_number": "2"}, "period_number", "请留空"),
        (
            {"period_type": "immediate", "period_number": ""},
            "matter_date",
            "即时公开须填写事项发生日期",
        ),
        ({"kind": "finance", "opening_balance": ""}, "opening_balance", "须填写期初余额"),
    ],
)
def test_period_and_balance_errors_are_field_errors_in_chinese(
    admin_client, tree, fields, field, message
):
    response = post_new(admin_client, tree, **fields)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert message in " ".join(errors[field])
    assert not DisclosurePage.objects.exists()


def test_kind_must_match_the_catalog_item(admin_client, tree, catalog):
    response = post_new(admin_client, tree, kind="party", catalog_item=str(catalog["meeting"].pk))
    errors = response.context["form"].errors
    assert "公开类别与公开目录「村民会议决定及执行」不一致" in " ".join(errors["kind"])


def test_catalog_item_must_apply_to_the_village(admin_client, tree, catalog, xiling):
    catalog["meeting"].applies_to.add(xiling)
    response = post_new(admin_client, tree, catalog_item=str(catalog["meeting"].pk))
    errors = response.context["form"].errors
    assert "不适用于本村（社区）" in " ".join(errors["catalog_item"])


def test_compliance_slug_is_reserved_under_the_town_index(admin_client, tree):
    url = reverse("wagtailadmin_pages:add", args=("pages", "disclosureindexpage", tree["town"].pk))
    data = nested_form_data(
        {
            "title": "公开情况",
            "slug": "compliance",
            "region": "",
            "intro": "",
            "comments": inline_formset([]),
        }
    )
    response = admin_client.post(url, data)
    errors = response.context["form"].errors
    assert "系统保留地址" in " ".join(errors["slug"])
    assert "请选择本栏目所属的村（社区）或乡镇（街道）" in " ".join(errors["region"])
