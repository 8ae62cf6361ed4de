"""Two requests at the same moment, each on its own connection (PostgreSQL): the database
constraint and the campaign-row lock decide, so exactly one of them succeeds."""

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.db import connection

from unionworks.assistance import services
from unionworks.assistance.models import Disbursement
from unionworks.assistance.tests.factories import accounts, campaign, new_id_number, raise_funds
from unionworks.core.tests.factories import login_as

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs concurrent connections (PostgreSQL)"
    ),
    pytest.mark.django_db(transaction=True),
]


def at_once(*calls) -> list:
    """Run each call in its own thread and connection, released together; their outcomes."""
    barrier = threading.Barrier(len(calls))
    outcomes: list = [None] * len(calls)

    def run(i, call):
        try:
            barrier.wait(timeout=10)
            outcomes[i] = call()
        except Exception as exc:  # the outcome is what we assert on
            outcomes[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


@pytest.fixture
def setup(world):
    people = accounts(world)
    warmth = campaign(world)
    raise_funds(warmth, world["taiyuan"], "500.00")
    return {**world, **people, "warmth": warmth}


def test_two_simultaneous_proposal_requests_for_one_person_exactly_one_succeeds(setup):
    from django.test import Client

    number = new_id_number()
    body = {
        "campaign": setup["warmth"].pk,
        "id_number": number,
        "name": "韩冬",
        "category": "migrant",
        "cash": "100.00",
        "proposed_on": "2008-01-15",
    }

    def request(org):
        client = login_as(Client(), setup["county_editor"])
        return client.post(
            "/api/v1/disbursements/", {**body, "org": org.pk}, content_type="application/json"
        ).status_code

    codes = at_once(lambda: request(setup["township"]), lambda: request(setup["grassroots"]))
    assert sorted(codes) == [201, 400]
    assert Disbursement.objects.filter(campaign=setup["warmth"]).count() == 1


def test_the_database_alone_stops_the_second_of_two_simultaneous_proposals(setup, monkeypatch):
    # Without the friendly check in Python both requests reach the INSERT together:
    # the unique constraint makes one wait for the other and then refuses it.
    monkeypatch.setattr(services, "proposal_conflict", lambda campaign, index: None)
    number = new_id_number()

    def propose(org):
        return services.propose_disbursement(
            actor=setup["county_editor"],
            campaign=setup["warmth"],
            org=org,
            id_number=number,
            name="韩冬",
            category="migrant",
            cash=Decimal("100.00"),
            proposed_on=dt.date(2008, 1, 15),
        )

    outcomes = at_once(lambda: propose(setup["township"]), lambda: propose(setup["grassroots"]))
    made = [o for o in outcomes if isinstance(o, Disbursement)]
    refused = [o for o in outcomes if isinstance(o, services.DomainError)]
    assert len(made) == 1 and len(refused) == 1, outcomes
    assert "每人只能领取一次" in refused[0].message
    assert Disbursement.objects.count() == 1


def test_two_simultaneous_payments_never_exceed_what_was_raised(setup):
    records = []
    for _ in range(2):
        record = services.propose_disbursement(
            actor=None,
            campaign=setup["warmth"],
            org=setup["township"],
            id_number=new_id_number(),
            name="韩冬",
            category="migrant",
            cash=Decimal("300.00"),
            proposed_on=dt.date(2008, 1, 15),
        )
        records.append(
            services.approve_disbursement(actor=None, disbursement=record, on=dt.date(2008, 1, 16))
        )

    def pay(record):
        return services.pay_disbursement(
            actor=setup["county_editor"], disbursement=record, paid_on=dt.date(2008, 1, 20)
        )

    outcomes = at_once(lambda: pay(records[0]), lambda: pay(records[1]))
    assert sum(isinstance(o, Disbursement) for o in outcomes) == 1, outcomes
    assert sum(isinstance(o, services.DomainError) for o in outcomes) == 1, outcomes
    assert Disbursement.objects.filter(status="paid").count() == 1


def test_two_simultaneous_payments_of_one_person_pay_once(setup):
    record = services.propose_disbursement(
        actor=None,
        campaign=setup["warmth"],
        org=setup["township"],
        id_number=new_id_number(),
        name="韩冬",
        category="migrant",
        cash=Decimal("100.00"),
        proposed_on=dt.date(2008, 1, 15),
    )
    services.approve_disbursement(actor=None, disbursement=record, on=dt.date(2008, 1, 16))

    def pay():
        return services.pay_disbursement(
            actor=setup["county_editor"], disbursement=record, paid_on=dt.date(2008, 1, 20)
        )

    outcomes = at_once(pay, pay)
    assert sum(isinstance(o, Disbursement) for o in outcomes) == 1, outcomes
    record.refresh_from_db()
    assert record.status == "paid" and record.total == Decimal("100.00")
