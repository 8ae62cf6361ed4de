"""批量审批: a reviewer decides several proposals at once; each is audited as if decided
alone, and when one cannot be decided none is."""

import datetime as dt

import pytest
from django.urls import reverse

from unionworks.assistance import services
from unionworks.assistance.models import Disbursement
from unionworks.assistance.tests.factories import accounts, campaign, propose, raise_funds
from unionworks.core.errors import DomainError
from unionworks.core.models import AuditEntry
from unionworks.core.tests.factories import login_as

P = Disbursement.Status


@pytest.fixture
def queue(world):
    people = accounts(world)
    warmth = campaign(world)
    raise_funds(warmth, world["taiyuan"], "5000.00")
    records = [propose(warmth, world["xiaodian"]) for _ in range(4)]
    return {**world, **people, "warmth": warmth, "records": records}


def _status(records):
    return [Disbursement.objects.get(pk=r.pk).status for r in records]


def _audits(records):
    return AuditEntry.objects.filter(
        model="assistance.disbursement",
        action=AuditEntry.Action.UPDATE,
        object_id__in=[str(r.pk) for r in records],
    )


def test_three_approved_at_once_each_audited(queue):
    three = queue["records"][:3]
    services.decide_disbursements(
        actor=queue["reviewer"], disbursements=three, approve=True, on=dt.date(2008, 1, 20)
    )
    assert _status(queue["records"]) == [P.APPROVED, P.APPROVED, P.APPROVED, P.PROPOSED]
    entries = _audits(three)
    assert entries.count() == 3
    assert all(e.actor_id == queue["reviewer"].pk for e in entries)
    assert [e.changes["状态"] for e in entries] == [["待审核", "已批准"]] * 3


def test_rejected_together_with_the_reason(queue):
    two = queue["records"][:2]
    services.decide_disbursements(
        actor=queue["reviewer"], disbursements=two, approve=False, reason="不符合条件"
    )
    for record in two:
        record.refresh_from_db()
        assert record.status == P.REJECTED and record.reject_reason == "不符合条件"


def test_one_that_cannot_be_decided_stops_them_all(queue):
    first, second, *_ = queue["records"]
    services.approve_disbursement(actor=queue["reviewer"], disbursement=second)
    with pytest.raises(DomainError) as refused:
        services.decide_disbursements(
            actor=queue["reviewer"], disbursements=[first, second], approve=True
        )
    assert (
        second.name in refused.value.message and "只有待审核的提名可以审批" in refused.value.message
    )
    first.refresh_from_db()
    assert first.status == P.PROPOSED
    assert _audits([first]).count() == 0


def test_nothing_ticked_is_refused(queue):
    with pytest.raises(DomainError, match="请勾选"):
        services.decide_disbursements(actor=queue["reviewer"], disbursements=[], approve=True)


def test_the_review_page_approves_the_ticked_ones(client, queue):
    login_as(client, queue["reviewer"])
    ids = [r.pk for r in queue["records"][:3]]
    page = client.get(reverse("assistance:review")).content.decode()
    assert 'id="bulk-form"' in page
    response = client.post(
        reverse("assistance:review_bulk"),
        {"ids": ids, "decision": "approve", "on": "2008-01-20"},
        follow=True,
    )
    assert "已批准3人" in response.content.decode()
    assert _status(queue["records"]) == [P.APPROVED] * 3 + [P.PROPOSED]
    assert response.context["page"].paginator.count == 1


def test_rejecting_without_a_reason_is_refused_and_nothing_changes(client, queue):
    login_as(client, queue["reviewer"])
    response = client.post(
        reverse("assistance:review_bulk"),
        {"ids": [queue["records"][0].pk], "decision": "reject"},
        follow=True,
    )
    assert "不予批准须填写理由" in response.content.decode()
    assert _status(queue["records"][:1]) == [P.PROPOSED]


def test_an_outsider_gets_404_and_a_viewer_403(client, queue):
    ids = [r.pk for r in queue["records"][:2]]
    url = reverse("assistance:review_bulk")
    login_as(client, queue["datong_reviewer"])
    assert client.post(url, {"ids": ids, "decision": "approve"}).status_code == 404
    # One id of another city among the reviewer's own is a 404 too: nothing is decided.
    login_as(client, queue["taiyuan_viewer"])
    assert client.post(url, {"ids": ids, "decision": "approve"}).status_code == 403
    assert _status(queue["records"]) == [P.PROPOSED] * 4
    login_as(client, queue["reviewer"])
    assert client.get(url).status_code == 405
