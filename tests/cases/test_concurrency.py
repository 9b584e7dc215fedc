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
    assert all("当前状态为“办结”" in o for o in outcomes if o != "ok")
    assert CaseEvent.objects.filter(case_id=case.pk, action="close").count() == 1
    assert Case.objects.get(pk=case.pk).status == "closed"
