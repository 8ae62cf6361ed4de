"""The lens figures of 和谐劳动关系 equal the records at every level: contracts in force as
of a day, a regional contract once per contract and once per unit, rates after roll-up."""

import datetime as dt
from decimal import Decimal

import pytest

from unionworks.core.periods import parse_period
from unionworks.core.tests.factories import UnitFactory
from unionworks.relations import services
from unionworks.relations.models import Scope
from unionworks.relations.tests.factories import contract, in_force, small_units
from unionworks.stats.selectors import project_dashboard
from unionworks.stats.values import evaluate, series

AS_OF = parse_period("@2008-09-30")


def figures(world, org, codes, period=AS_OF):
    return evaluate(world[org], period, codes)[world[org].pk].figures


def test_a_regional_contract_counts_once_per_contract_and_once_per_unit(world):
    units = small_units(world, 4)
    in_force(
        world,
        org=world["township"],
        units=units,
        scope=Scope.REGIONAL,
        employees_covered=80,
        women_covered=10,
        migrants_covered=10,
    )
    # One of the units also has its own contract: still one unit covered.
    in_force(
        world,
        units=[units[0]],
        employees_covered=20,
        number="QY-own",
        women_covered=5,
        migrants_covered=5,
    )
    codes = ["collective_contracts", "regional_contracts", "contract_employees", "contract_units",
             "units", "contract_unit_rate"]  # fmt: skip
    for org in ("township", "xiaodian", "taiyuan", "province"):
        found = figures(world, org, codes)
        assert found["collective_contracts"] == 2, org
        assert found["regional_contracts"] == 1
        assert found["contract_employees"] == 100
        assert found["contract_units"] == 4
    province = figures(world, "province", codes)
    assert province["units"] == 6  # the four, Taiyuan Heavy Machinery and Datong's unit
    assert province["contract_unit_rate"] == pytest.approx(4 / 6)
    assert figures(world, "datong", codes)["collective_contracts"] == 0


def test_contracts_in_force_as_of_a_day_and_their_year_on_year(world):
    in_force(world, signed_on=dt.date(2007, 6, 1), number="A")  # in force 2007-06-18 to 2010
    in_force(world, signed_on=dt.date(2008, 6, 1), number="B")
    in_force(world, signed_on=dt.date(2008, 9, 20), number="C")  # in force from 2008-10-07
    contract(world, signed_on=dt.date(2008, 8, 1), number="D")  # never submitted
    found = figures(world, "taiyuan", ["collective_contracts", "contracts_signed"])
    assert found == {"collective_contracts": 2, "contracts_signed": 3} or (
        found["collective_contracts"] == 2 and found["contracts_signed"] == 3
    )
    board = project_dashboard(
        world["province_admin"], project_code="relations", org=world["taiyuan"], period=AS_OF
    )
    first = board.key_figures[0]
    assert first.indicator.code == "collective_contracts"
    assert (first.value, first.change.previous) == (2, 1)
    assert first.change.rate == pytest.approx(1.0)


def test_filing_rate_wage_rise_and_expiring(world):
    on_time = contract(world, kind="wage", wage_rise="10", signed_on=dt.date(2008, 6, 1))
    services.submit_contract(actor=None, contract=on_time, submitted_on=dt.date(2008, 6, 11))
    late = contract(world, kind="wage", wage_rise="6", number="L", signed_on=dt.date(2008, 6, 1))
    services.submit_contract(actor=None, contract=late, submitted_on=dt.date(2008, 6, 12))
    in_force(world, signed_on=dt.date(2006, 10, 1), term_years=2, number="E")  # to 2008-10-18
    codes = ["contracts_filed", "contracts_filed_on_time_rate", "wage_rise_average",
             "contracts_expiring"]  # fmt: skip
    found = figures(world, "province", codes)
    assert found["contracts_filed"] == 2
    assert found["contracts_filed_on_time_rate"] == pytest.approx(0.5)
    assert found["wage_rise_average"] == pytest.approx(0.08)
    assert found["contracts_expiring"] == 1


def test_congress_openness_harmony_and_dispute_figures(world):
    other = UnitFactory(name="第二家公司", org=world["township"], union=world["grassroots"])
    congress = services.create_congress(
        actor=None, org=world["grassroots"], name="太重职代会", units=[world["taiyuan_unit"]],
        term_number=1, term_starts_on=dt.date(2007, 1, 1),
    )  # fmt: skip
    session = services.record_session(
        actor=None, congress=congress, number=1, held_on=dt.date(2008, 3, 1),
        delegates_elected=100, delegates_present=90,
    )  # fmt: skip
    services.record_session(
        actor=None, congress=congress, number=2, held_on=dt.date(2008, 8, 1),
        delegates_elected=100, delegates_present=90,
    )  # fmt: skip
    for title, status, handled in (("食堂", "done", dt.date(2008, 4, 1)), ("班车", "handling", None),
                                   ("奖金", "declined", None)):  # fmt: skip
        services.add_proposal(
            actor=None, session=session, title=title, proposer="代表", status=status,
            handled_on=handled,
        )  # fmt: skip
    services.record_openness(
        actor=None, org=world["grassroots"], unit=other, year=2008, items=["pay"],
        channels=["board"], in_assessment=True,
    )  # fmt: skip
    for i, (outcome, amount) in enumerate((("settled", "5000.10"), ("failed", "0"))):
        case = services.accept_dispute(
            actor=None, org=world["grassroots"], unit=world["taiyuan_unit"], applicants=2 + i,
            cause="wages", accepted_on=dt.date(2008, 5, 1),
        )  # fmt: skip
        services.close_dispute(
            actor=None, dispute=case, outcome=outcome, closed_on=dt.date(2008, 5, 10),
            agreement_amount=amount,
        )  # fmt: skip
    services.accept_dispute(
        actor=None, org=world["grassroots"], unit=other, applicants=1, cause="hours",
        accepted_on=dt.date(2008, 9, 1),
    )  # fmt: skip
    codes = ["congress_units", "congress_sessions", "congress_rate", "units_covered",
             "proposal_handling_rate", "openness_units", "openness_rate", "disputes_received",
             "dispute_success_rate", "dispute_amount_settled", "disputes_overdue"]  # fmt: skip
    found = figures(world, "taiyuan", codes, parse_period("2008"))
    assert found["congress_units"] == 1 and found["congress_sessions"] == 2
    assert found["units_covered"] == 2 and found["congress_rate"] == pytest.approx(0.5)
    assert found["proposal_handling_rate"] == pytest.approx(0.5)
    assert found["openness_units"] == 1 and found["openness_rate"] == pytest.approx(0.5)
    assert found["disputes_received"] == 3
    assert found["dispute_success_rate"] == pytest.approx(0.5)
    assert found["dispute_amount_settled"] == Decimal("5000.10")
    assert found["disputes_overdue"] == 1  # the September case, still open on 31 December
    on = lambda day: figures(world, "taiyuan", ["disputes_overdue"], parse_period(f"@{day}"))  # noqa: E731
    assert on("2008-09-16")["disputes_overdue"] == 0
    assert on("2008-09-17")["disputes_overdue"] == 1


def test_the_trend_equals_the_figures_month_by_month(world):
    in_force(world, signed_on=dt.date(2008, 2, 1), number="A")
    in_force(world, signed_on=dt.date(2008, 6, 1), number="B", term_years=1)
    in_force(world, signed_on=dt.date(2007, 3, 1), number="W", term_years=1, kind="wage")
    codes = ["collective_contracts", "contract_units", "contracts_signed", "harmony_commended",
             "contracts_wage", "wage_rise_total", "contracts_expiring", "contract_employees",
             "regional_contracts", "contracts_enterprise_scope"]  # fmt: skip
    months = parse_period("2008").months()
    rows = series(world["taiyuan"], months, codes)
    for month, row in zip(months, rows, strict=True):
        expected = evaluate(world["taiyuan"], month, codes)[world["taiyuan"].pk].figures
        assert {c: row[c] for c in codes} == {c: expected[c] for c in codes}, month


def test_kept_figures_follow_a_new_contract_to_where_its_units_are_registered(world):
    codes = ["collective_contracts", "contract_units"]
    assert figures(world, "province", codes) == {"collective_contracts": 0, "contract_units": 0}
    assert figures(world, "township", codes)["contract_units"] == 0
    # Signed by the grassroots union; the unit is registered at the township above it.
    in_force(world)
    assert figures(world, "province", codes) == {"collective_contracts": 1, "contract_units": 1}
    assert figures(world, "township", codes)["contract_units"] == 1
    assert figures(world, "grassroots", codes) == {"collective_contracts": 1, "contract_units": 0}
