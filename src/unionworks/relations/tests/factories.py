"""A small relations world on top of the ``world`` fixture: helpers that go through the
real services (system acts unless an actor is given)."""

import datetime as dt
from decimal import Decimal

from unionworks.core.tests.factories import UnitFactory
from unionworks.relations import services
from unionworks.relations.models import CollectiveContract, Scope


def contract(
    world,
    *,
    org=None,
    units=None,
    actor=None,
    kind=CollectiveContract.Kind.COMPREHENSIVE,
    scope=Scope.ENTERPRISE,
    signed_on=dt.date(2008, 6, 1),
    **extra,
) -> CollectiveContract:
    data = {
        "term_years": 3,
        "employees_covered": 1200,
        "women_covered": 400,
        "migrants_covered": 300,
        "employer_party": "太原重型机械有限公司",
        "union_party": "太原重型机械有限公司工会",
        "congress_approved_on": signed_on - dt.timedelta(days=5),
        "congress_present": 180,
        "congress_votes_for": 172,
    }
    if kind == CollectiveContract.Kind.WAGE:
        data.update(wage_rise=Decimal("8.50"), last_year_wage=Decimal("21345.00"))
    if scope != Scope.ENTERPRISE:
        data["region_name"] = "坞城街道"
    data.update(extra)
    return services.record_contract(
        actor=actor,
        org=org or world["grassroots"],
        kind=kind,
        scope=scope,
        units=units if units is not None else [world["taiyuan_unit"]],
        signed_on=signed_on,
        **data,
    )


def in_force(world, *, signed_on=dt.date(2008, 6, 1), **extra) -> CollectiveContract:
    """A contract submitted the day after signing, with no objection."""
    record = contract(world, signed_on=signed_on, **extra)
    return services.submit_contract(
        actor=None, contract=record, submitted_on=signed_on + dt.timedelta(days=1)
    )


def small_units(world, count: int, org=None):
    """Small enterprises of a township, each with its own credit code."""
    return [
        UnitFactory(
            name=f"坞城小企业{i}有限公司",
            org=org or world["township"],
            employees=20,
            women_workers=8,
            migrant_workers=5,
        )
        for i in range(count)
    ]
