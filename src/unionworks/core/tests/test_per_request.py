"""What a request asks once (core.per_request): the change notes are read once per
request, not once per figure — yet a write made in the request is seen by its next read."""

import pytest
from django.core.signals import request_finished, request_started
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from unionworks.core import per_request
from unionworks.core.periods import parse_period
from unionworks.core.tests.factories import login_as
from unionworks.members.tests.factories import join
from unionworks.stats.values import evaluate

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_dashboard_reads_the_change_notes_once(client, world):
    join(world["grassroots"])
    login_as(client, world["province_admin"])
    url = reverse("stats:dashboard", args=["foundation"])
    client.get(url, {"period": "2008"})
    join(world["grassroots"])
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, {"period": "2008"}).status_code == 200
    reads = [q["sql"] for q in queries if "core_change" in q["sql"]]
    assert len(reads) == 1, reads


def test_a_write_in_the_request_is_seen_by_its_next_read(world):
    period = parse_period("2008")
    request_started.send(sender=None)
    try:
        assert per_request.in_request()
        before = evaluate(world["province"], period, ["members"])[world["province"].pk]
        join(world["grassroots"])
        after = evaluate(world["province"], period, ["members"])[world["province"].pk]
        assert after.figures["members"] == before.figures["members"] + 1
    finally:
        request_finished.send(sender=None)
    assert not per_request.in_request()


def test_outside_a_request_every_call_computes():
    calls = []
    per_request.remember(("k",), lambda: calls.append(1))
    per_request.remember(("k",), lambda: calls.append(1))
    assert calls == [1, 1]
