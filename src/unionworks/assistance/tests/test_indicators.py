"""The lens figures of 帮扶工程 equal the records, to the fen, at every level; 同比 and
targets work through the stats machinery."""

import datetime as dt
from decimal import Decimal

import pytest

from unionworks.assistance import services
from unionworks.assistance.models import Campaign, Disbursement, FundRaising, WageArrearsCase
from unionworks.assistance.tests.factories import campaign, open_file, paid, propose, raise_funds
from unionworks.core.identity import ID_FIELD
from unionworks.core.periods import parse_period, year
from unionworks.core.personal_data import unseal
from unionworks.core.scoping import subtree_filter
from unionworks.stats.lens import project
from unionworks.stats.selectors import project_dashboard
from unionworks.stats.services import set_target
from unionworks.stats.targets import completion
from unionworks.stats.values import evaluate, series

MONEY_CODES = ["funds_raised", "amount_paid", "wages_recovered", "funds_from_fiscal"]


@pytest.fixture
def records(world):
    """2007 and 2008 records in Taiyuan (two levels) and Datong."""
    warmth = campaign(world, participants=[])
    raise_funds(warmth, world["taiyuan"], "5000.00", source="fiscal", on=dt.date(2008, 1, 10))
    raise_funds(
        warmth,
        world["xiaodian"],
        "1000.55",
        source="donation",
        goods="200.10",
        on=dt.date(2008, 1, 12),
    )
    file = open_file(world["township"], opened_on=dt.date(2006, 3, 1))
    number = unseal(file.id_number_cipher, field=ID_FIELD)
    paid(warmth, world["township"], id_number=number, category="hardship", cash="350.25",
         goods_value="99.99", on=dt.date(2008, 1, 20))  # fmt: skip
    paid(warmth, world["grassroots"], category="migrant", cash="120.10", on=dt.date(2008, 2, 3))
    paid(warmth, world["grassroots"], category="model", cash="800.00", on=dt.date(2008, 2, 4))
    propose(warmth, world["grassroots"], cash="999.00")  # proposed only: not paid, not counted
    datong = campaign(world, org=world["datong"], participants=[], kind=Campaign.Kind.SUMMER)
    raise_funds(datong, world["datong"], "300.00", source="upper", on=dt.date(2008, 7, 1))
    paid(
        datong,
        world["pingcheng"],
        category="migrant",
        cash="0",
        goods_value="25.50",
        on=dt.date(2008, 7, 8),
    )
    earlier = campaign(world, year=2007, participants=[], name="2007年送温暖")
    raise_funds(earlier, world["taiyuan"], "4000.00", source="fiscal", on=dt.date(2007, 1, 10))
    paid(earlier, world["grassroots"], category="migrant", cash="100.00", on=dt.date(2007, 1, 20))
    services.record_wage_case(
        actor=None,
        org=world["xiaodian"],
        employer_name="某建筑公司",
        workers_count=30,
        amount_owed="90000.00",
        amount_recovered="81234.56",
        status="partial",
        opened_on=dt.date(2007, 12, 20),
        resolved_on=dt.date(2008, 1, 25),
    )
    services.record_wage_case(
        actor=None,
        org=world["pingcheng"],
        employer_name="某煤矿",
        workers_count=5,
        amount_owed="10000.00",
        opened_on=dt.date(2008, 1, 3),
    )  # still open: nothing recovered yet
    home = campaign(world, kind=Campaign.Kind.SAFE_RETURN, participants=[], name="平安返乡")
    services.record_trip(
        actor=None,
        campaign=home,
        org=world["xiaodian"],
        trip_date=dt.date(2008, 1, 30),
        workers_sent=44,
    )
    closed = open_file(world["xiaodian"], opened_on=dt.date(2008, 2, 1))
    services.close_file(actor=None, file=closed, closed_on=dt.date(2008, 8, 1), note="脱困")
    return {**world, "warmth": warmth, "file": file}


def _records_under(model, org, **filters):
    return model.objects.filter(**subtree_filter(org.path, "org__path"), **filters)


def test_money_figures_equal_the_records_at_every_level_to_the_fen(records):
    codes = project("assistance").kept()
    nodes = evaluate(records["province"], year(2008), codes)
    for key in ("province", "taiyuan", "xiaodian", "township", "grassroots", "datong", "pingcheng"):
        org = records[key]
        figures = nodes[org.pk].figures
        raised = sum(
            (r.total for r in _records_under(FundRaising, org, received_on__year=2008)), Decimal(0)
        )
        paid_records = _records_under(Disbursement, org, status="paid", paid_on__year=2008)
        recovered = sum(
            (
                c.amount_recovered
                for c in _records_under(WageArrearsCase, org, resolved_on__year=2008)
            ),
            Decimal(0),
        )
        assert figures["funds_raised"] == raised, key
        assert figures["amount_paid"] == sum((d.total for d in paid_records), Decimal(0)), key
        assert figures["people_reached"] == paid_records.count(), key
        assert figures["wages_recovered"] == recovered, key
        for code in MONEY_CODES:
            value = figures[code]
            assert isinstance(value, Decimal), (key, code)
            assert value == 0 or value.as_tuple().exponent == -2, (key, code, value)
    province = nodes[records["province"].pk].figures
    assert province["funds_raised"] == Decimal("6500.65")
    assert province["funds_from_fiscal"] == Decimal("5000.00")
    assert province["funds_from_donation"] == Decimal("1200.65")
    assert province["funds_raised_warmth"] == Decimal("6200.65")
    assert province["funds_raised_summer"] == Decimal("300.00")
    assert province["amount_paid"] == Decimal("1395.84")
    assert (province["hardship_workers_reached"], province["migrant_workers_reached"]) == (1, 2)
    assert (province["model_workers_reached"], province["people_reached_warmth"]) == (1, 3)
    assert province["wages_recovered"] == Decimal("81234.56")
    assert province["wage_workers_helped"] == 30
    assert province["workers_sent_home"] == 44
    assert (province["hardship_files_open"], province["hardship_files_closed"]) == (1, 1)
    # The open file was opened in March 2006 and never reviewed: overdue at the end of 2008.
    assert province["hardship_reviews_overdue"] == 1
    taiyuan = nodes[records["taiyuan"].pk].figures
    assert taiyuan["amount_paid"] == Decimal("1370.34")


def test_a_month_trend_adds_up_to_the_year(records):
    codes = [
        "funds_raised",
        "amount_paid",
        "people_reached",
        "wages_recovered",
        "workers_sent_home",
    ]
    province = records["province"]
    months = series(province, year(2008).months(), codes)
    whole = evaluate(province, year(2008), codes)[province.pk].figures
    for code in codes:
        assert (
            sum((m[code] for m in months), Decimal(0) if code != "people_reached" else 0)
            == whole[code]
        )
    assert months[0]["amount_paid"] == Decimal("450.24") and months[1]["people_reached"] == 2


def test_overdue_reviews_are_counted_as_of_the_period_end(records):
    province = records["province"]
    as_of = parse_period("@2007-02-28")
    assert (
        evaluate(province, as_of, ["hardship_reviews_overdue"])[province.pk].figures[
            "hardship_reviews_overdue"
        ]
        == 0
    )
    services.review_file(
        actor=None,
        file=records["file"],
        reviewed_on=dt.date(2008, 3, 1),
        household_size=3,
        household_income="9000",
        level="relative",
    )
    figures = evaluate(province, year(2008), ["hardship_reviews_overdue"])[province.pk].figures
    assert figures["hardship_reviews_overdue"] == 0


def test_year_on_year_and_targets_work_through_the_stats_machinery(records):
    province, taiyuan = records["province"], records["taiyuan"]
    board = project_dashboard(
        records["province_admin"], project_code="assistance", org=province, period=year(2008)
    )
    paid = next(f for f in board.key_figures if f.indicator.code == "amount_paid")
    assert (paid.value, paid.change.previous) == (Decimal("1395.84"), Decimal("100.00"))
    assert paid.change.difference == Decimal("1295.84")
    set_target(
        actor=records["province_admin"],
        org=taiyuan,
        year=2008,
        indicator="amount_paid",
        value="2000",
    )
    row = next(
        c
        for c in completion(records["province_admin"], year=2008, as_of=dt.date(2008, 12, 31))
        if c.indicator == "amount_paid"
    )
    assert row.actual == Decimal("1370.34")
    assert row.rate == pytest.approx(1370.34 / 2000)


def test_the_file_trend_matches_each_month_counted_alone(records):
    province = records["province"]
    codes = ["hardship_files_open", "hardship_reviews_overdue", "hardship_files_closed",
             "hardship_files_opened", "assistance_centres"]  # fmt: skip
    months = year(2008).months()
    trend = series(province, months, codes)
    for month, row in zip(months, trend, strict=True):
        alone = evaluate(province, month, codes)[province.pk].figures
        assert {c: row[c] for c in codes} == {c: alone[c] for c in codes}, month.code
    assert [row["hardship_reviews_overdue"] for row in trend] == [1] * 12
