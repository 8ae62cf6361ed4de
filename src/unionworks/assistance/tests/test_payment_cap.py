"""A payment may not exceed the amount approved, whatever the campaign's balance: in the
service (a Chinese message naming the field), over the API, and in the database."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from unionworks.assistance import services
from unionworks.assistance.models import Disbursement
from unionworks.assistance.tests.factories import accounts, campaign, propose, raise_funds
from unionworks.core.errors import DomainError
from unionworks.core.tests.factories import login_as


@pytest.fixture
def approved(world):
    people = accounts(world)
    warmth = campaign(world)
    raise_funds(warmth, world["taiyuan"], "10000.00")  # the balance would allow 600.00
    record = propose(warmth, world["township"], cash=Decimal("100.00"))
    services.approve_disbursement(actor=None, disbursement=record, on=dt.date(2008, 1, 15))
    record.refresh_from_db()
    return {**world, **people, "record": record}


def test_the_approval_records_the_amount_approved(approved):
    assert approved["record"].approved_total == Decimal("100.00")


@pytest.mark.parametrize(
    "amounts",
    [{"cash": "600.00"}, {"cash": "100.00", "goods_value": "0.01"}, {"goods_value": "101"}],
)
def test_a_payment_above_the_approval_is_refused(approved, amounts):
    record = approved["record"]
    with pytest.raises(DomainError) as refused:
        services.pay_disbursement(
            actor=None, disbursement=record, paid_on=dt.date(2008, 1, 20), **amounts
        )
    assert "超过批准金额100.00元" in refused.value.message and refused.value.field == "cash"
    record.refresh_from_db()
    assert record.status == Disbursement.Status.APPROVED


def test_paying_the_approval_or_less_goes_through(approved):
    record = approved["record"]
    services.pay_disbursement(
        actor=None,
        disbursement=record,
        paid_on=dt.date(2008, 1, 20),
        cash=Decimal("60.00"),
        goods_value=Decimal("40.00"),
    )
    record.refresh_from_db()
    assert (record.status, record.total) == (Disbursement.Status.PAID, Decimal("100.00"))


def test_the_cap_is_a_database_constraint(approved):
    record = approved["record"]
    with pytest.raises(IntegrityError), transaction.atomic():
        Disbursement.objects.filter(pk=record.pk).update(
            status="paid", paid_on=dt.date(2008, 1, 20), cash=Decimal("600.00")
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Disbursement.objects.filter(pk=record.pk).update(approved_total=None)


def test_the_api_refuses_an_overpayment_in_chinese(client, approved):
    login_as(client, approved["county_editor"])
    response = client.post(
        f"/api/v1/disbursements/{approved['record'].pk}/pay",
        {"paid_on": "2008-01-20", "cash": "600.00"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["field"] == "cash" and "超过批准金额" in response.json()["detail"]
