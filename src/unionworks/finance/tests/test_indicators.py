"""The 实力强会 figures equal the records, to the fen, at every level; arrears as of a day;
assets' value; the lens and dashboard carry them."""

import datetime as dt
from decimal import Decimal

import pytest

from unionworks.core.periods import parse_period, year
from unionworks.finance import services
from unionworks.finance.models import Asset, Channel, FundReceipt
from unionworks.finance.tests.factories import receipt, scheme, unit_without_union
from unionworks.stats.selectors import project_dashboard
from unionworks.stats.values import evaluate

D = Decimal


@pytest.fixture
def records(world):
    scheme(world)
    receipt(world, amount="1500.00", on=dt.date(2008, 4, 10))  # 2,000 due: 500 in arrears
    receipt(world, amount="1000.00", base="50000.00", period="2008-04", on=dt.date(2008, 5, 10))
    receipt(
        world,
        unit=unit_without_union(world),
        channel=Channel.PREPARATORY,
        amount="300.00",
        base="15000.00",
        on=dt.date(2008, 6, 1),
    )
    services.record_receipt(
        actor=None,
        org=world["taiyuan"],
        channel=Channel.GRANT,
        amount=D("10000.55"),
        received_on=dt.date(2008, 3, 1),
    )
    receipt(world, amount="1000.00", base="50000.00", period="2007-03", on=dt.date(2007, 4, 10))
    receipt(
        world,
        unit=world["datong_unit"],
        org=world["pingcheng"],
        channel=Channel.PREPARATORY,
        amount="99.99",
        base="4999.50",
        on=dt.date(2008, 2, 10),
    )
    return world


CODES = [
    "fund_receipts",
    "levy_received",
    "levy_due",
    "collection_rate",
    "fund_receipts_tax",
    "fund_receipts_preparatory",
    "fund_receipts_grant",
    "fund_share_grassroots",
    "fund_share_national",
    "arrears_amount",
    "units_in_arrears",
]


def test_fund_figures_equal_the_receipts_at_every_level(records):
    w = records
    nodes = evaluate(w["province"], year(2008), CODES)
    for key in ("province", "taiyuan", "xiaodian", "datong"):
        org = w[key]
        figures = nodes[org.pk].figures
        inside = FundReceipt.objects.filter(org__path__startswith=org.path, received_on__year=2008)
        assert figures["fund_receipts"] == sum((r.amount for r in inside), D(0)), key
    province = nodes[w["province"].pk].figures
    assert province["fund_receipts"] == D("12900.54")
    assert province["fund_receipts_tax"] == D("2500.00")
    assert province["fund_receipts_preparatory"] == D("399.99")
    assert province["fund_receipts_grant"] == D("10000.55")
    assert province["levy_received"] == D("2899.99")
    assert province["levy_due"] == D("3399.99")  # 2,000 + 1,000 + 300 + 99.99
    assert province["fund_share_national"] == D("145.00")  # 5 % of 2,899.99 to the fen
    # every share of every receipt adds back to the levy received
    shares = sum(province[f"fund_share_{lv}"] for lv in ("grassroots",)) + sum(
        evaluate(w["province"], year(2008), [f"fund_share_{lv}"])[w["province"].pk].figures[
            f"fund_share_{lv}"
        ]
        for lv in ("county", "city", "province", "national")
    )
    assert shares == province["levy_received"]
    assert nodes[w["taiyuan"].pk].figures["fund_receipts"] == D("12800.55")
    assert nodes[w["datong"].pk].figures["fund_receipts"] == D("99.99")


def test_arrears_as_of_a_day_and_cleared(records):
    w = records
    province = w["province"]
    may = evaluate(province, parse_period("@2008-05-31"), CODES)[province.pk].figures
    # 500 still owed on March; the preparatory fee for March was only paid on 1 June
    assert (may["arrears_amount"], may["units_in_arrears"]) == (D("800.00"), 2)
    receipt(w, amount="500.00", base=None, on=dt.date(2008, 6, 5))
    june = evaluate(province, parse_period("@2008-06-30"), CODES)[province.pk].figures
    assert (june["arrears_amount"], june["units_in_arrears"]) == (0, 0)
    # the past stays: end of May still shows what was owed then
    again = evaluate(province, parse_period("@2008-05-31"), CODES)[province.pk].figures
    assert again["arrears_amount"] == D("800.00")


def test_assets_value_depreciates_and_disposed_leave(world):
    building = services.register_asset(
        actor=None,
        org=world["taiyuan"],
        name="职工文化宫",
        category=Asset.Category.BUILDINGS,
        acquired_on=dt.date(2006, 1, 1),
        original_value=D("1200000.00"),
        useful_life_years=50,
    )
    car = services.register_asset(
        actor=None,
        org=world["xiaodian"],
        name="公务车",
        category=Asset.Category.GENERAL,
        acquired_on=dt.date(2007, 1, 1),
        original_value=D("120000.00"),
        useful_life_years=10,
    )
    codes = ["assets_value", "assets_original_value", "cities_with_asset_rules"]
    end_2007 = evaluate(world["province"], year(2007), codes)[world["province"].pk].figures
    # 23 months of 600 months and 11 of 120
    assert end_2007["assets_value"] == D("1200000.00") - D("46000.00") + D("120000.00") - D(
        "11000.00"
    )
    reviewer = world["taiyuan_admin"]
    services.propose_disposal(actor=world["taiyuan_admin"], asset=car, reason="报废")
    services.approve_disposal(actor=reviewer, asset=car, on=dt.date(2008, 6, 30))
    end_2008 = evaluate(world["province"], year(2008), codes)[world["province"].pk].figures
    assert end_2008["assets_original_value"] == building.original_value
    services.record_asset_rule(
        actor=None,
        org=world["taiyuan"],
        title="太原市总工会资产管理办法",
        issued_on=dt.date(2008, 3, 1),
        valid_from=dt.date(2008, 4, 1),
    )
    services.record_asset_rule(
        actor=None,
        org=world["taiyuan"],
        title="补充规定",
        issued_on=dt.date(2008, 5, 1),
        valid_from=dt.date(2008, 5, 1),
    )
    rules = evaluate(world["province"], year(2008), codes)[world["province"].pk].figures
    assert rules["cities_with_asset_rules"] == 1  # a city with two rules counts once
    before = evaluate(world["province"], parse_period("@2008-03-31"), codes)
    assert before[world["province"].pk].figures["cities_with_asset_rules"] == 0


def test_strength_dashboard_shows_income_and_its_yoy(records):
    board = project_dashboard(
        records["province_admin"],
        project_code="strength",
        org=records["province"],
        period=year(2008),
    )
    income = next(f for f in board.key_figures if f.indicator.code == "fund_receipts")
    assert income.value == D("12900.54")
    assert income.change.previous == D("1000.00")
