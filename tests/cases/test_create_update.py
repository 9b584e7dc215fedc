"""Registering, editing and deleting cases through the services."""

import datetime

import pytest
from django.utils import timezone

from portal.cases import services
from portal.cases.models import Case, CaseEvent
from portal.cases.services import CasePermissionError, CaseRuleError


def _fields(tree, categories, **extra):
    return {
        "title": "小区电动车楼道充电",
        "description": "5号楼一楼楼道有居民私拉电线给电动车充电。",
        "category": categories.sanitation,
        "source": "snapshot",
        "grid": tree.grids.donghu,
        **extra,
    }


def test_create_numbers_deadlines_village_and_first_event(tree, categories, users):
    reported = timezone.make_aware(datetime.datetime(2025, 3, 10, 9, 30))
    first = services.create_case(
        user=users.donghu, reported_at=reported, **_fields(tree, categories)
    )
    second = services.create_case(
        user=users.town, reported_at=reported, **_fields(tree, categories, grid=tree.grids.xiling)
    )
    assert (first.number, second.number) == ("AJ2025000001", "AJ2025000002")
    assert first.deadline == reported + datetime.timedelta(days=7)
    assert first.village == tree.donghu and second.village == tree.xiling
    assert first.status == "accepted" and first.tier == "grid"
    assert first.discoverer == users.donghu
    (event,) = first.events.all()
    assert event.action == CaseEvent.Action.CREATE
    assert (event.from_status, event.to_status, event.to_tier) == ("", "accepted", "grid")
    assert event.actor == users.donghu and event.at == reported
    assert event.detail == "登记来源：随手拍"


def test_create_accepts_a_given_number_and_refuses_duplicates_and_bad_formats(
    tree, categories, users
):
    case = services.create_case(
        user=users.donghu, number="AJ2024000123", **_fields(tree, categories)
    )
    assert case.number == "AJ2024000123"
    with pytest.raises(CaseRuleError) as refused:
        services.create_case(user=users.donghu, number="AJ2024000123", **_fields(tree, categories))
    assert refused.value.message_dict == {"number": ["案件编号 AJ2024000123 已存在"]}
    with pytest.raises(CaseRuleError) as refused:
        services.create_case(user=users.donghu, number="2024-12", **_fields(tree, categories))
    assert "格式不正确" in refused.value.message_dict["number"][0]
    assert Case.objects.count() == 1
    # The next automatic number continues after the imported one.
    assert services.next_case_number(2024) == "AJ2024000124"


def test_create_outside_the_users_regions_is_refused(tree, categories, users):
    with pytest.raises(CasePermissionError) as refused:
        services.create_case(user=users.donghu, **_fields(tree, categories, grid=tree.grids.baisha))
    assert refused.value.message_dict == {
        "grid": ["网格“白沙一网格”不在您的辖区内，不能登记该网格的案件"]
    }
    with pytest.raises(CasePermissionError, match="没有登记案件的权限"):
        services.create_case(user=users.editor, **_fields(tree, categories))
    assert not Case.objects.exists() and not CaseEvent.objects.exists()


def test_create_reports_every_problem_in_chinese_and_writes_nothing(tree, categories, users):
    with pytest.raises(CaseRuleError) as refused:
        services.create_case(
            user=users.donghu,
            **_fields(
                tree,
                categories,
                title="",
                source="wechat",
                reporter_name="李秀英",
                reporter_phone="1381234",
                is_public=True,
                public_summary="",
            ),
        )
    errors = refused.value.message_dict
    assert set(errors) == {"title", "source", "reporter_phone", "public_summary"}
    assert errors["reporter_phone"] == ["手机号码应为11位，“1381234”为7位"]
    assert errors["public_summary"] == ["公开的案件必须填写公开摘要"]
    with pytest.raises(CaseRuleError) as refused:
        services.create_case(user=users.donghu, **_fields(tree, categories, grid=None))
    assert refused.value.message_dict == {"grid": ["请选择案件所属网格"]}
    assert not Case.objects.exists() and not CaseEvent.objects.exists()


@pytest.mark.parametrize(
    ("summary", "problem"),
    [
        ("李秀英反映楼道漏水，已维修。", "公开摘要不得包含反映人姓名“李秀英”"),
        ("居民（13812345678）反映楼道漏水。", "公开摘要不得包含电话号码"),
        ("身份证411523199001011234的居民反映漏水。", "公开摘要不得包含身份证号码"),
    ],
)
def test_public_summary_may_not_carry_personal_data(tree, categories, users, summary, problem):
    with pytest.raises(CaseRuleError) as refused:
        services.create_case(
            user=users.donghu,
            **_fields(
                tree,
                categories,
                reporter_name="李秀英",
                reporter_phone="13812345678",
                is_public=True,
                public_summary=summary,
            ),
        )
    assert problem in refused.value.message_dict["public_summary"]


def test_reporter_phone_is_normalised(tree, categories, users):
    case = services.create_case(
        user=users.donghu, **_fields(tree, categories, reporter_phone="１３８ 1234 5678")
    )
    assert case.reporter_phone == "13812345678"


def test_import_of_a_historical_case_in_a_later_status(tree, categories):
    with pytest.raises(CaseRuleError) as refused:
        services.create_case(user=None, status="closed", **_fields(tree, categories))
    assert refused.value.message_dict == {"status": ["已办结的案件必须填写处置结果"]}
    case = services.create_case(
        user=None,
        status="rated",
        resolution="已处理",
        satisfaction="basic",
        **_fields(tree, categories),
    )
    (event,) = case.events.all()
    assert event.action == "import" and event.to_status == "rated" and event.actor is None
    assert case.closed_at == case.reported_at  # unknown closing time: the best lower bound


def test_update_recomputes_deadline_and_follows_the_grid(make_case, tree, categories, users):
    case = make_case()
    reported = case.reported_at
    services.update_case(case, users.donghu, category=categories.dispute)
    assert case.deadline == reported + datetime.timedelta(days=30)
    later = reported + datetime.timedelta(days=2)
    services.update_case(case, users.town, reported_at=later, grid=tree.grids.xiling)
    stored = Case.objects.get(pk=case.pk)
    assert stored.deadline == later + datetime.timedelta(days=30)
    assert stored.village == tree.xiling and stored.grid == tree.grids.xiling
    # A title change leaves the deadline alone.
    services.update_case(case, users.town, title="新标题")
    assert Case.objects.get(pk=case.pk).deadline == later + datetime.timedelta(days=30)


def test_update_refuses_lifecycle_fields_and_out_of_scope_grids(make_case, tree, users):
    case = make_case()
    with pytest.raises(CaseRuleError, match="只能通过案件流转修改"):
        services.update_case(case, users.donghu, status="closed")
    with pytest.raises(CasePermissionError):
        services.update_case(case, users.donghu, grid=tree.grids.baisha, title="改")
    with pytest.raises(CasePermissionError, match="不在您的辖区内"):
        services.update_case(case, users.baisha, title="改")
    with pytest.raises(CasePermissionError, match="没有修改案件的权限"):
        services.update_case(case, users.xiling, title="改")
    stored = Case.objects.get(pk=case.pk)
    assert (stored.status, stored.grid, stored.title) == ("accepted", tree.grids.donghu, case.title)


def test_update_with_invalid_input_changes_nothing(make_case, users):
    case = make_case()
    with pytest.raises(CaseRuleError) as refused:
        services.update_case(case, users.donghu, title="", reporter_phone="12")
    assert set(refused.value.message_dict) == {"title", "reporter_phone"}
    assert Case.objects.get(pk=case.pk).title == "楼道堆放杂物"


def test_delete_checks_scope_and_permission(make_case, users):
    case = make_case()
    with pytest.raises(CasePermissionError):
        services.delete_case(case, users.donghu)  # village staff hold no delete permission
    with pytest.raises(CasePermissionError):
        services.delete_case(case, users.baisha)
    services.delete_case(case, users.town)
    assert not Case.objects.exists() and not CaseEvent.objects.exists()
