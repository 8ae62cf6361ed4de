"""A small assistance world on top of the ``world`` fixture: accounts, a campaign with money
raised, and helpers that go through the real services."""

import datetime as dt
import random
from decimal import Decimal

from unionworks.accounts.models import User
from unionworks.assistance import services
from unionworks.assistance.models import Campaign, Disbursement, HardshipFile, Source
from unionworks.core.idnumber import make_id_number
from unionworks.core.tests.factories import UserFactory

_rng = random.Random(369635)


def new_id_number(**kwargs) -> str:
    return make_id_number(_rng, **kwargs)


def accounts(world) -> dict:
    """A county editor who proposes, a city reviewer who approves."""
    return {
        "county_editor": UserFactory(
            username="xiaodian_editor", org=world["xiaodian"], role=User.Role.EDITOR
        ),
        "reviewer": UserFactory(
            username="taiyuan_reviewer", org=world["taiyuan"], role=User.Role.REVIEWER
        ),
        "datong_reviewer": UserFactory(
            username="datong_reviewer", org=world["datong"], role=User.Role.REVIEWER
        ),
    }


def campaign(world, *, kind=Campaign.Kind.WARMTH, org=None, participants=None, year=2008, **extra):
    org = org or world["taiyuan"]
    data = {
        "name": f"{year}年{dict(Campaign.Kind.choices).get(kind, kind)}活动",
        "year": year,
        "start_date": dt.date(year, 1, 10),
        "end_date": dt.date(year, 12, 20),
        "budget": Decimal("100000.00"),
    }
    data.update(extra)
    return services.create_campaign(
        actor=None,
        org=org,
        kind=kind,
        participants=[world["xiaodian"]] if participants is None else participants,
        **data,
    )


def raise_funds(the_campaign, org, amount="10000.00", *, source=Source.OWN, goods="0", on=None):
    return services.record_raising(
        actor=None,
        campaign=the_campaign,
        org=org,
        source=source,
        cash=Decimal(amount),
        goods_value=Decimal(goods),
        received_on=on or the_campaign.start_date,
    )


def open_file(
    org, *, actor=None, id_number=None, opened_on=dt.date(2007, 5, 1), **extra
) -> HardshipFile:
    data = {
        "id_number": id_number or new_id_number(birth_date=dt.date(1965, 3, 8)),
        "name": "王建国",
        "household_size": 3,
        "household_income": Decimal("7200.00"),
        "local_line": Decimal("260.00"),
        "level": HardshipFile.Level.DEEP,
        "causes": [HardshipFile.Cause.ILLNESS],
        "opened_on": opened_on,
    }
    data.update(extra)
    return services.open_file(actor=actor, org=org, **data)


def propose(the_campaign, org, *, actor=None, **extra) -> Disbursement:
    data = {
        # A birth date of its own: with one fixed date only 1,000 numbers exist, and a test
        # proposing a handful of people could draw the same one twice.
        "id_number": new_id_number(
            birth_date=dt.date(1965, 1, 1) + dt.timedelta(days=_rng.randrange(3650))
        ),
        "name": "李秀英",
        "category": Disbursement.Category.MIGRANT,
        "cash": Decimal("300.00"),
        "proposed_on": the_campaign.start_date,
    }
    data.update(extra)
    return services.propose_disbursement(actor=actor, campaign=the_campaign, org=org, **data)


def paid(the_campaign, org, *, on=None, **extra) -> Disbursement:
    """A disbursement taken through proposal, approval and payment as system acts."""
    record = propose(the_campaign, org, **extra)
    day = on or the_campaign.start_date
    services.approve_disbursement(actor=None, disbursement=record, on=day)
    return services.pay_disbursement(actor=None, disbursement=record, paid_on=day)
