"""The API of the 工作台's pieces: the account's 待办, and bulk decisions on disbursements
(scoped like the pages: an outsider gets 404, a viewer 403)."""

import pytest

from unionworks.assistance.models import Disbursement
from unionworks.assistance.tests.factories import accounts, campaign, propose, raise_funds
from unionworks.core.models import AuditEntry
from unionworks.core.tests.factories import login_as

API = "/api/v1"


@pytest.fixture
def queue(world):
    people = accounts(world)
    warmth = campaign(world)
    raise_funds(warmth, world["taiyuan"], "5000.00")
    records = [propose(warmth, world["xiaodian"]) for _ in range(3)]
    return {**world, **people, "records": records}


def _post(client, url, data):
    return client.post(f"{API}{url}", data, content_type="application/json")


def test_todos_are_the_accounts_with_their_counts(client, queue):
    login_as(client, queue["reviewer"])
    items = {i["code"]: i for i in client.get(f"{API}/todos").json()}
    assert items["assistance.disbursements_to_review"]["count"] == 3
    assert items["assistance.disbursements_to_review"]["label"] == "待审核的发放"
    login_as(client, queue["datong_reviewer"])
    items = {i["code"]: i for i in client.get(f"{API}/todos").json()}
    assert items["assistance.disbursements_to_review"]["count"] == 0
    client.logout()
    assert client.get(f"{API}/todos").status_code == 401


def test_bulk_decision_through_the_api(client, queue):
    ids = [r.pk for r in queue["records"][:2]]
    login_as(client, queue["reviewer"])
    response = _post(
        client, "/disbursement-decisions", {"ids": ids, "approve": True, "on": "2008-01-20"}
    )
    assert response.status_code == 200, response.content
    assert [d["status"] for d in response.json()] == ["approved", "approved"]
    assert AuditEntry.objects.filter(model="assistance.disbursement", action="update").count() == 2
    # Deciding one already decided refuses them all, naming the person.
    again = _post(
        client,
        "/disbursement-decisions",
        {"ids": [ids[0], queue["records"][2].pk], "approve": True},
    )
    assert again.status_code == 400 and queue["records"][0].name in again.json()["detail"]
    assert Disbursement.objects.get(pk=queue["records"][2].pk).status == "proposed"


def test_bulk_decision_outsider_404_viewer_403(client, queue):
    ids = [r.pk for r in queue["records"]]
    login_as(client, queue["datong_reviewer"])
    assert (
        _post(client, "/disbursement-decisions", {"ids": ids, "approve": True}).status_code == 404
    )
    login_as(client, queue["taiyuan_viewer"])
    assert (
        _post(client, "/disbursement-decisions", {"ids": ids, "approve": True}).status_code == 403
    )
    assert set(Disbursement.objects.values_list("status", flat=True)) == {"proposed"}
