"""The durable Elasticsearch sync: an outbox row per change, kept until the cluster takes it.

No cluster runs here. "Down" is a real refused TCP connection to a closed local
port (http://127.0.0.1:9), as in test_elasticsearch_contract.py; the live part
(rows deleted once a cluster accepts them) runs when ELASTICSEARCH_URL is set.
"""

import os

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.test import override_settings

from portal.cases import services
from search import indexing
from search.backends.elasticsearch import FallbackCaseBackend
from search.models import IndexOutbox
from search.tasks import drain_search_outbox

from .conftest import make_case

UNREACHABLE = "http://127.0.0.1:9"


@pytest.fixture(autouse=True)
def _cluster_state_reset():
    FallbackCaseBackend.reset()
    yield
    FallbackCaseBackend.reset()


@pytest.fixture
def cluster_down(settings):
    settings.SEARCH_BACKEND = "elasticsearch"
    settings.ELASTICSEARCH_URL = UNREACHABLE


def test_a_write_while_the_cluster_is_down_keeps_its_row(
    tree, categories, cluster_down, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        case = make_case(tree.grids.donghu, categories.property, "电梯困人", "电梯故障")
    assert callbacks  # the drain ran after the commit (immediate task backend) …
    row = IndexOutbox.objects.get()  # … was refused, and the change is still there
    assert row.case_id == case.pk
    assert row.attempts == 1 and "ConnectionError" in row.last_error


def test_draining_while_down_keeps_the_rows_and_counts_the_attempts(
    tree, categories, cluster_down, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = make_case(tree.grids.donghu, categories.property, "电梯困人", "电梯故障")
    # The process now knows the cluster is down: the next write does not wait
    # for it, but its change is recorded all the same.
    with django_capture_on_commit_callbacks(execute=True):
        second = make_case(tree.grids.donghu, categories.property, "电梯异响", "电梯异响")
    assert sorted(IndexOutbox.objects.values_list("case_id", "attempts")) == [
        (first.pk, 1),
        (second.pk, 0),
    ]
    FallbackCaseBackend.reset()  # the back-off has passed: the task retries
    result = drain_search_outbox.enqueue()
    assert result.return_value["sent"] == 0 and result.return_value["left"] == 2
    assert sorted(IndexOutbox.objects.values_list("case_id", "attempts")) == [
        (first.pk, 2),
        (second.pk, 1),
    ]


def test_every_kind_of_write_is_recorded_in_its_own_transaction(
    tree, categories, cluster_down, users=None
):
    case = make_case(tree.grids.donghu, categories.property, "楼道堆物", "楼道堆放杂物")
    services.update_case(case, None, title="楼道堆放杂物")
    services.delete_case(case, None)
    assert list(IndexOutbox.objects.values_list("case_id", flat=True)) == [case.pk] * 3


def test_a_rolled_back_write_leaves_no_row(tree, categories, cluster_down):
    with pytest.raises(RuntimeError):
        with transaction.atomic():
            make_case(tree.grids.donghu, categories.property, "电梯困人", "电梯故障")
            raise RuntimeError("the case write fails after indexing")
    assert not IndexOutbox.objects.exists()


def test_the_replay_command_keeps_the_rows_and_says_why_in_chinese(tree, categories, cluster_down):
    make_case(tree.grids.donghu, categories.property, "电梯困人", "电梯故障")
    make_case(tree.grids.donghu, categories.property, "电梯异响", "电梯异响")
    with pytest.raises(CommandError, match="Elasticsearch 暂不可用，2 条变更留待下次同步"):
        call_command("replay_search_outbox", batch_size=1)
    assert IndexOutbox.objects.count() == 2
    assert IndexOutbox.objects.order_by("id").first().attempts == 1  # stopped at the first batch


def test_the_embedded_backend_piles_nothing_up(tree, categories, settings):
    settings.SEARCH_BACKEND = "embedded"
    case = make_case(tree.grids.donghu, categories.property, "电梯困人", "电梯故障")
    services.update_case(case, None, title="电梯困人事件")
    services.delete_case(case, None)
    assert not IndexOutbox.objects.exists()
    with pytest.raises(CommandError, match="未启用 Elasticsearch"):
        call_command("replay_search_outbox")


@pytest.mark.elasticsearch
@pytest.mark.skipif(not os.environ.get("ELASTICSEARCH_URL"), reason="needs a live cluster")
def test_a_live_cluster_takes_the_rows(tree, categories, settings):
    with override_settings(SEARCH_BACKEND="elasticsearch"):
        settings.ELASTICSEARCH_URL = os.environ["ELASTICSEARCH_URL"]
        call_command("rebuild_search_index")
        make_case(tree.grids.donghu, categories.property, "电梯困人", "电梯故障")
        outcome = indexing.drain_outbox()
        assert outcome.error == "" and outcome.left == 0
        assert not IndexOutbox.objects.exists()
