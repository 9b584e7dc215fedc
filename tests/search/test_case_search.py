"""Case search through the service (embedded backend): matching, ranking, privacy,
scope, facets, filters and pagination. Runs on SQLite and on PostgreSQL."""

import datetime
import zoneinfo

from search.params import parse_case_search_params
from search.service import PUBLIC, audience_for, search_cases

from .conftest import make_case


def run(q="", audience=PUBLIC, **filters):
    return search_cases(parse_case_search_params({"q": q, **filters}), audience)


def numbers(page):
    return [item["number"] for item in page.results]


def test_unspaced_phrase_finds_the_case(cases):
    page = run("楼道电动车充电")
    assert numbers(page) == [cases.ebike.number]
    assert "<mark>电动车</mark>" in page.results[0]["highlight"]["title"]


def test_resident_sentence_finds_what_it_means(cases):
    page = run("村民反映楼上漏水")
    assert numbers(page)[0] == cases.leak.number
    assert cases.private.number not in numbers(page)  # not public
    assert set(page.parsed.dropped) == {"村民", "反映"}


def test_two_character_word_and_its_synonyms(cases):
    page = run("噪音")  # the record says 噪声 / 扰民
    assert numbers(page) == [cases.noise.number]
    assert "噪声" in page.parsed.synonyms_used["噪音"]


def test_space_separated_words(cases):
    assert numbers(run("宅基地 纠纷")) == [cases.homestead.number]


def test_traditional_and_simplified_find_each_other(cases):
    expected = {cases.fee.number, cases.traditional.number}
    assert set(numbers(run("物業費"))) == expected
    assert set(numbers(run("物业费"))) == expected


def test_synonyms_bridge_resident_words_and_record_words(cases):
    assert numbers(run("欠薪")) == [cases.wages.number]
    assert numbers(run("低保")) == [cases.dibao.number]


def test_title_matches_rank_above_summary_matches(tree, categories, starter_synonyms):
    g = tree.grids.donghu
    in_summary = make_case(
        g, categories.safety, "小区路面破损", "路面破损", summary="路面破损处附近还有井盖松动。"
    )
    in_title = make_case(g, categories.safety, "井盖缺失", "井盖缺失", summary="已补装。")
    assert numbers(run("井盖")) == [in_title.number, in_summary.number]


def test_rare_words_outrank_common_ones(tree, categories, starter_synonyms):
    g = tree.grids.donghu
    common = [
        make_case(
            g, categories.property, f"小区门禁损坏{i}", "小区门禁损坏", summary="小区门禁损坏"
        )
        for i in range(6)
    ]
    rare = make_case(g, categories.property, "小区化粪池满溢", "化粪池", summary="小区化粪池满溢")
    page = run("小区 化粪池", page_size=3)
    assert numbers(page)[0] == rare.number
    assert page.total == 1  # both words are required
    assert common  # the common word alone matches them all
    assert run("小区").total == 7


def test_public_search_never_matches_or_shows_private_fields(cases):
    # The reporter's name and phone are only in the raw report / reporter fields.
    assert run("王秀英").total == 0
    assert run("13800138000").total == 0
    page = run("漏水")
    text = repr(page.as_json())
    assert "王秀英" not in text and "13800138000" not in text
    assert all(item["summary"] != cases.leak.description for item in page.results)


def test_staff_search_their_own_regions_including_private_cases(cases, staff_user):
    audience = audience_for(staff_user)
    page = run("漏水", audience)
    assert set(numbers(page)) == {cases.leak.number, cases.private.number}
    leak = next(item for item in page.results if item["number"] == cases.leak.number)
    assert leak["summary"] == cases.leak.description  # staff see the report
    assert numbers(run("王秀英", audience)) == [cases.leak.number]
    # 白沙村 is outside 东湖社区: its cases are invisible even when public.
    assert run("宅基地", audience).total == 0
    assert run("物业费", audience).total == 1


def test_superuser_sees_everything(cases, superuser):
    page = run("漏水", audience_for(superuser))
    assert set(numbers(page)) == {cases.leak.number, cases.private.number}
    assert run("", audience_for(superuser)).total == 9


def test_facets_count_the_matching_cases(cases, tree):
    page = run("物业费")
    category = {f["value"]: f["count"] for f in page.facets["category"]}
    assert category == {"property": 2}
    village = {f["label"]: f["count"] for f in page.facets["village"]}
    assert village == {"东湖社区": 1, "白沙村": 1}
    source = {f["value"]: f["count"] for f in page.facets["source"]}
    assert source == {"hotline_12345": 1, "grid_worker": 1}
    assert page.facets["status"] == [
        {"value": "accepted", "label": "受理", "count": 2, "selected": False}
    ]


def test_filters_narrow_results_and_facets(cases, tree):
    page = run("物业费", village=str(tree.baisha.pk))
    assert numbers(page) == [cases.traditional.number]
    assert page.facets["village"][0]["selected"] is True
    assert run("", category="labour").total == 1
    assert run("", source="hotline_12345").total == 2
    assert run("", grid=tree.grids.xiling.code).total == 3
    assert run("", status="closed").total == 0


def test_year_facet_and_filter_use_local_time(tree, categories, starter_synonyms):
    shanghai = zoneinfo.ZoneInfo("Asia/Shanghai")
    g = tree.grids.donghu
    # 00:30 on 1 January in Shanghai is still 31 December in UTC.
    new_year = make_case(
        g,
        categories.safety,
        "元旦烟花爆竹隐患",
        "烟花",
        reported_at=datetime.datetime(2024, 1, 1, 0, 30, tzinfo=shanghai),
    )
    old_year = make_case(
        g,
        categories.safety,
        "除夕烟花爆竹隐患",
        "烟花",
        reported_at=datetime.datetime(2023, 12, 31, 23, 30, tzinfo=shanghai),
    )
    page = run("烟花爆竹")
    assert {f["value"]: f["count"] for f in page.facets["year"]} == {2024: 1, 2023: 1}
    assert numbers(run("烟花爆竹", year="2024")) == [new_year.number]
    assert numbers(run("烟花爆竹", year="2023")) == [old_year.number]


def test_pagination_is_stable_and_complete(tree, categories, starter_synonyms):
    g = tree.grids.xiling
    made = {
        make_case(g, categories.property, f"路灯不亮第{i}处", f"路灯不亮{i}").number
        for i in range(7)
    }
    pages = [run("路灯", page=str(p), page_size="3") for p in (1, 2, 3)]
    assert [len(p.results) for p in pages] == [3, 3, 1]
    assert all(p.total == 7 for p in pages)
    seen = [n for p in pages for n in numbers(p)]
    assert len(seen) == len(set(seen)) and set(seen) == made
    assert run("路灯", page="4", page_size="3").results == []


def test_relaxes_to_any_word_when_no_case_has_all(cases):
    page = run("漏水 宅基地")
    assert page.relaxed
    assert {cases.leak.number, cases.homestead.number} <= set(numbers(page))


def test_empty_query_lists_public_cases_newest_first(cases):
    page = run("")
    assert page.total == 8  # the private case is not listed
    times = [item["reported_at"] for item in page.results]
    assert times == sorted(times, reverse=True)
    assert page.facets["category"]
