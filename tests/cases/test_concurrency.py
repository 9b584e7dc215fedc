"""Two people pressing the same button at once: the row lock lets only one through.

Needs real concurrent transactions, so it runs on PostgreSQL only (SQLite
serialises writers anyway, and its in-memory test database is per connection).
"""

import threading

import pytest
from django.db import connection

from portal.cases import services
from portal.cases.models import Case, CaseEvent
from portal.cases.services import CaseRuleError

from .helpers import walk

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs concurrent transactions (PostgreSQL)"
)


@pytest.mark.django_db(transaction=True)
def test_concurrent_closes_record_one_close(make_case, users):
    case = walk(make_case(), users.donghu2, "dispatch", "handle")
    barrier = threading.Barrier(4)
    outcomes = []

    def close(resolution):
        from django.db import connections

        try:
            own = Case.objects.get(pk=case.pk)  # each thread starts from 处置
            barrier.wait()
            services.transition(own, "close", users.town, resolution=resolution)
            outcomes.append("ok")
        except CaseRuleError as error:
            outcomes.append(error.messages[0])
        finally:
            connections.close_all()

    threads = [threading.Thread(target=close, args=(f"结果{i}",)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert outcomes.count("ok") == 1
    assert all("案件状态已变化" in o and "当前状态：办结" in o for o in outcomes if o != "ok")
    assert CaseEvent.objects.filter(case_id=case.pk, action="close").count() == 1
    assert Case.objects.get(pk=case.pk).status == "closed"


def _run_together(count, work):
    """Run ``work(i)`` in ``count`` threads released at once; return what each returned."""
    from django.db import connections

    barrier = threading.Barrier(count)
    outcomes = [None] * count

    def run(i):
        try:
            barrier.wait()
            outcomes[i] = work(i)
        except Exception as error:  # noqa: BLE001 - the test reports every outcome
            outcomes[i] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_registrations_all_get_distinct_numbers(tree, categories, users):
    from django.utils import timezone

    year = timezone.localdate().year

    def register(i):
        return services.create_case(
            user=users.donghu,
            title=f"并发登记{i}",
            description="同时登记的案件",
            category=categories.sanitation,
            source="grid_worker",
            grid=tree.grids.donghu,
        ).number

    outcomes = _run_together(20, register)

    failures = [o for o in outcomes if not isinstance(o, str)]
    assert failures == []
    # No failure and no gap: the counter handed out 1…20 exactly once each.
    assert sorted(outcomes) == [services.format_case_number(year, n) for n in range(1, 21)]
    assert Case.objects.count() == 20
    assert CaseEvent.objects.filter(action="create").count() == 20


@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_escalate_clicks_move_the_case_one_tier(tree, categories, users):
    """Twenty 上报升级 posts from the same page: one escalates, nineteen are refused."""
    from django.test import Client

    from .helpers import shown

    case = services.create_case(
        user=users.donghu,
        title="跨小区排水纠纷",
        description="两小区排水管道互相推诿",
        category=categories.sanitation,
        source="grid_worker",
        grid=tree.grids.donghu,
    )
    page_state = shown(case)  # what every one of the twenty pages showed
    url = f"/admin/cases/case/action/{case.pk}/escalate/"

    def click(i):
        client = Client()
        client.force_login(users.county)  # reaches 区县: nothing but the state stops a click
        response = client.post(url, {"escalate-note": f"第{i}次点击", **page_state}, follow=True)
        assert response.status_code == 200
        body = response.content.decode()
        return "ok" if "已上报升级" in body else body

    outcomes = _run_together(20, click)

    assert outcomes.count("ok") == 1
    refused = [o for o in outcomes if o != "ok"]
    assert len(refused) == 19
    assert all("案件状态已变化，请刷新后重试" in o for o in refused)
    stored = Case.objects.get(pk=case.pk)
    assert (stored.tier, stored.status, stored.revision) == ("village", "dispatched", 1)
    assert list(
        CaseEvent.objects.filter(case=stored, action="escalate").values_list("from_tier", "to_tier")
    ) == [("grid", "village")]


@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_service_escalations_with_one_shown_state(make_case, users):
    case = make_case()
    expected = services.ShownState.of(case)

    def escalate(i):
        own = Case.objects.get(pk=case.pk)
        services.escalate(own, users.county, f"原因{i}", expected=expected)
        return "ok"

    outcomes = _run_together(20, escalate)

    assert outcomes.count("ok") == 1
    assert all(isinstance(o, CaseRuleError) for o in outcomes if o != "ok")
    assert Case.objects.get(pk=case.pk).tier == "village"
