"""Policy library: derived status (Python and SQL agree), filters, detail links."""

import datetime

import pytest

from portal.pages.models import PolicyPage

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 11, 21)
S = PolicyPage.Status

# (effective_date, repealed_on, superseded, expected status on DAY)
STATUS_CASES = [
    pytest.param(None, None, False, S.IN_FORCE, id="no-dates-in-force"),
    pytest.param(DAY - datetime.timedelta(1), None, False, S.IN_FORCE, id="effective-yesterday"),
    pytest.param(DAY, None, False, S.IN_FORCE, id="effective-today"),
    pytest.param(DAY + datetime.timedelta(1), None, False, S.PENDING, id="effective-tomorrow"),
    pytest.param(None, DAY, False, S.REPEALED, id="repealed-today"),
    pytest.param(None, DAY + datetime.timedelta(1), False, S.IN_FORCE, id="repeal-scheduled"),
    pytest.param(None, DAY - datetime.timedelta(400), False, S.REPEALED, id="repealed-long-ago"),
    pytest.param(None, None, True, S.REVISED, id="superseded"),
    pytest.param(None, DAY - datetime.timedelta(1), True, S.REPEALED, id="repeal-beats-revision"),
    pytest.param(DAY + datetime.timedelta(9), None, True, S.REVISED, id="revised-before-in-force"),
]


@pytest.mark.parametrize(("effective", "repealed", "superseded", "expected"), STATUS_CASES)
def test_derived_status_python_and_sql_agree(
    policy_index, make_policy, effective, repealed, superseded, expected
):
    newer = make_policy(title="新版", issue_date=datetime.date(2020, 1, 1))
    policy = make_policy(
        title="被测",
        issue_date=datetime.date(2020, 1, 1),
        effective_date=effective,
        repealed_on=repealed,
        superseded_by=newer if superseded else None,
    )
    assert policy.status_on(DAY) == expected
    annotated = PolicyPage.objects.filter(pk=policy.pk).with_status(DAY).get()
    assert annotated.derived_status == expected


def test_status_label_is_chinese(make_policy):
    assert make_policy(repealed_on=datetime.date(2025, 4, 2)).status_label == "已废止"


@pytest.fixture
def library(make_policy):
    newer = make_policy(
        title="办法（修订）",
        level="city",
        issue_date=datetime.date(2025, 6, 1),
        topics=["社会救助"],
    )
    make_policy(
        title="办法",
        level="city",
        issue_date=datetime.date(2023, 3, 1),
        superseded_by=newer,
        topics=["社会救助", "低保"],
    )
    make_policy(
        title="旧财务办法",
        level="county",
        issue_date=datetime.date(2019, 4, 1),
        repealed_on=datetime.date(2024, 12, 31),
        topics=["集体资产"],
    )
    make_policy(
        title="条例", level="national", issue_date=datetime.date(2017, 8, 22), topics=["志愿服务"]
    )
    make_policy(
        title="细则",
        level="county",
        issue_date=datetime.date(2026, 10, 15),
        effective_date=datetime.date(2027, 1, 1),
        topics=["低保"],
    )


def titles(listing):
    return [p.title for p in listing.policies]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({}, ["细则", "办法（修订）", "办法", "旧财务办法", "条例"]),
        ({"level": "city"}, ["办法（修订）", "办法"]),
        ({"status": "in_force"}, ["办法（修订）", "条例"]),
        ({"status": "revised"}, ["办法"]),
        ({"status": "repealed"}, ["旧财务办法"]),
        ({"status": "pending"}, ["细则"]),
        ({"topic": "低保"}, ["细则", "办法"]),
        ({"year": "2023"}, ["办法"]),
        ({"level": "county", "status": "in_force"}, []),
    ],
)
def test_filters(policy_index, library, filters, expected):
    listing = PolicyPage.objects.listing(policy_index, day=DAY, **filters)
    assert listing.errors == []
    assert titles(listing) == expected


def test_bad_filter_values_are_explained_not_fatal(policy_index, library):
    listing = PolicyPage.objects.listing(
        policy_index, level="planet", status="dead", year="x", day=DAY
    )
    assert len(titles(listing)) == 5
    assert listing.errors == [
        "没有“planet”这个层级，已显示全部层级。",
        "没有“dead”这个状态，已显示全部状态。",
        "年份“x”无效，请填写四位数字的年份，已显示全部年份。",
    ]


def test_topic_and_year_choices(policy_index, library):
    assert PolicyPage.objects.published(policy_index).topic_choices() == [
        ("低保", "低保", 2),
        ("志愿服务", "志愿服务", 1),
        ("社会救助", "社会救助", 2),
        ("集体资产", "集体资产", 1),
    ]
    assert PolicyPage.objects.published(policy_index).issue_years() == [
        2026,
        2025,
        2023,
        2019,
        2017,
    ]


def test_status_filter_paginates_in_sql(client, policy_index, make_policy):
    newer = make_policy(title="现行")
    for i in range(23):
        make_policy(title=f"旧版{i}", superseded_by=newer, issue_date=datetime.date(2020, 1, 1))
    body = client.get("/policies/?status=revised").content.decode()
    assert "共 23 件" in body and "第 1 页，共 2 页" in body
    assert "现行</a>" not in body
    page2 = client.get("/policies/?status=revised&page=2").content.decode()
    assert page2.count('class="policy-item"') == 3


def test_detail_lists_interpretations_and_links_back(client, make_policy):
    policy = make_policy(title="三资管理办法", document_number="清政办〔2024〕33号")
    interpretation = make_policy(title="三资管理办法解读", interprets=policy)
    draft = make_policy(title="未发布的解读", interprets=policy)
    draft.unpublish()

    body = client.get(policy.url).content.decode()
    assert "清政办〔2024〕33号" in body
    assert "政策解读" in body and f'href="{interpretation.url}"' in body
    assert "未发布的解读" not in body

    back = client.get(interpretation.url).content.decode()
    assert f'本文是对<a href="{policy.url}">《三资管理办法》</a>的解读' in back


def test_detail_of_revised_policy_links_to_the_new_version(client, make_policy):
    newer = make_policy(title="办法（2025年修订）")
    older = make_policy(title="办法", superseded_by=newer)
    body = client.get(older.url).content.decode()
    assert "已修订" in body
    assert f'现行版本见<a href="{newer.url}">《办法（2025年修订）》</a>' in body
    assert "本文件修订的文件" in client.get(newer.url).content.decode()


def test_detail_of_repealed_policy_says_so_with_chinese_date(client, make_policy):
    body = client.get(make_policy(repealed_on=datetime.date(2025, 12, 31)).url).content.decode()
    assert "本文件已于2025年12月31日废止" in body
