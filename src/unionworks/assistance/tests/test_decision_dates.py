"""Approvals and payments take the date they happened (a 2008 payment is recorded as paid
in 2008), checked only for order: paid ≥ approved ≥ proposed."""

import datetime as dt

import pytest
from django.urls import reverse

from unionworks.assistance import services
from unionworks.assistance.models import Disbursement
from unionworks.assistance.tests.factories import accounts, campaign, propose, raise_funds
from unionworks.core.errors import DomainError
from unionworks.core.tests.factories import login_as


@pytest.fixture
def proposal(world):
    people = accounts(world)
    warmth = campaign(world)
    raise_funds(warmth, world["taiyuan"], "5000.00")
    record = propose(warmth, world["xiaodian"], proposed_on=dt.date(2008, 1, 10))
    return {**world, **people, "record": record}


def test_a_2008_approval_and_payment_keep_their_2008_dates(client, proposal):
    record = proposal["record"]
    login_as(client, proposal["reviewer"])
    client.post(reverse("assistance:disbursement_approve", args=[record.pk]), {"on": "2008-01-15"})
    login_as(client, proposal["taiyuan_admin"])
    client.post(
        reverse("assistance:disbursement_pay", args=[record.pk]),
        {"paid_on": "2008-01-20", "cash": "300.00", "goods_value": "0"},
    )
    record.refresh_from_db()
    assert record.status == Disbursement.Status.PAID
    assert (record.decided_on, record.paid_on) == (dt.date(2008, 1, 15), dt.date(2008, 1, 20))


def test_the_bulk_approval_takes_its_date_too(client, proposal):
    login_as(client, proposal["reviewer"])
    client.post(
        reverse("assistance:review_bulk"),
        {"ids": [proposal["record"].pk], "decision": "approve", "on": "2008-01-11"},
    )
    proposal["record"].refresh_from_db()
    assert proposal["record"].decided_on == dt.date(2008, 1, 11)


def test_an_approval_before_the_proposal_is_refused(proposal):
    with pytest.raises(DomainError, match="不能早于提名日期") as refused:
        services.approve_disbursement(
            actor=proposal["reviewer"], disbursement=proposal["record"], on=dt.date(2008, 1, 9)
        )
    assert refused.value.field == "on"


def test_a_payment_before_the_approval_is_refused_on_the_same_day_accepted(proposal):
    record = services.approve_disbursement(
        actor=proposal["reviewer"], disbursement=proposal["record"], on=dt.date(2008, 1, 15)
    )
    with pytest.raises(DomainError, match="不能早于审核日期") as refused:
        services.pay_disbursement(actor=None, disbursement=record, paid_on=dt.date(2008, 1, 14))
    assert refused.value.field == "paid_on"
    paid = services.pay_disbursement(actor=None, disbursement=record, paid_on=dt.date(2008, 1, 15))
    assert paid.paid_on == dt.date(2008, 1, 15)
