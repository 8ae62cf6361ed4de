"""Receipts through the services: the split under both collection modes, the ledger of each
level, arrears appearing and clearing, the preparatory fee moving to a new union."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from unionworks.core.errors import DomainError
from unionworks.core.models import AuditEntry
from unionworks.core.tests.factories import OrgFactory
from unionworks.finance import selectors, services
from unionworks.finance.models import Channel, FundShare, Levy, Mode, ShareScheme
from unionworks.finance.tests.factories import receipt, scheme, unit_without_union
from unionworks.orgs.models import Org
from unionworks.orgs.signals import union_founded

D = Decimal


def shares(r):
    return {s.level: (s.org.name if s.org else None, s.flow, s.amount) for s in r.shares.all()}


def ledger_total(world, org, year=2008):
    return selectors.ledger_for(world["province_admin"], org, year).total


def test_scheme_must_sum_to_100_and_belongs_to_the_province(world):
    with pytest.raises(DomainError, match="合计应为100%，现为95%"):
        scheme(world, national_rate=D(0))
    with pytest.raises(DomainError, match="由省总工会制定"):
        services.create_share_scheme(
            actor=None, org=world["taiyuan"], name="x", valid_from=dt.date(2008, 1, 1)
        )
    # and the database refuses a scheme that does not sum to 100 %, whoever writes it
    with pytest.raises(IntegrityError), transaction.atomic():
        ShareScheme.objects.create(
            org=world["province"], name="坏", valid_from=dt.date(2007, 1, 1), national_rate=D(6)
        )


def test_receipt_needs_a_scheme_in_force(world):
    with pytest.raises(DomainError, match="尚未制定2008-04-10适用的经费分成办法"):
        receipt(world)


def test_full_mode_tax_receipt_split_passed_up_and_returned(world):
    scheme(world, mode=Mode.FULL)
    r = receipt(world, amount="2000.00", base="100000.00")
    assert r.portion == "full"
    assert shares(r) == {
        "grassroots": ("太原重型机械有限公司工会", "down", D("1200.00")),
        "county": ("小店区总工会", "own", D("200.00")),
        "city": ("太原市总工会", "up", D("300.00")),
        "province": ("山西省总工会", "up", D("200.00")),
        "national": (None, "up", D("100.00")),
    }
    county = ledger_total(world, world["xiaodian"])
    assert (county.due, county.received, county.own) == (D(2000), D(2000), D(200))
    assert (county.passed_up, county.returned_down) == (D(600), D(1200))
    assert county.received == county.own + county.passed_up + county.returned_down
    union = ledger_total(world, world["grassroots"])
    assert (union.due, union.received, union.own, union.returned_in) == (
        D(2000),
        0,
        D(1200),
        D(1200),
    )
    assert union.passed_up == 0
    city = ledger_total(world, world["taiyuan"])
    assert (city.received, city.own, city.passed_up, city.returned_down) == (
        D(2000),
        D(300),
        D(300),
        0,
    )
    province = ledger_total(world, world["province"])
    assert (province.own, province.passed_up) == (D(200), D(100))
    # month by month: due in the period's month (March), received in April
    rows = selectors.ledger_for(world["province_admin"], world["xiaodian"], 2008).rows
    assert rows[2].due == D(2000) and rows[2].received == 0
    assert rows[3].received == D(2000)


def test_upper_mode_tax_office_takes_40_percent_unit_pays_60_directly(world):
    scheme(world, mode=Mode.UPPER)
    tax = receipt(world, amount="800.00")
    assert tax.portion == "upper"
    assert shares(tax) == {
        "county": ("小店区总工会", "own", D("200.00")),
        "city": ("太原市总工会", "up", D("300.00")),
        "province": ("山西省总工会", "up", D("200.00")),
        "national": (None, "up", D("100.00")),
    }
    direct = receipt(
        world, org=world["grassroots"], channel=Channel.DIRECT, amount="1200.00", base=None
    )
    assert direct.portion == "grassroots"
    assert shares(direct) == {"grassroots": ("太原重型机械有限公司工会", "own", D("1200.00"))}
    levy = Levy.objects.get()
    assert (levy.due, levy.received, levy.paid_up_on) == (D(2000), D(2000), dt.date(2008, 4, 10))
    union = ledger_total(world, world["grassroots"])
    assert (union.received, union.own, union.returned_in, union.passed_up) == (
        D(1200),
        D(1200),
        0,
        0,
    )
    county = ledger_total(world, world["xiaodian"])
    assert (county.received, county.own, county.passed_up, county.returned_down) == (
        D(2000),
        D(200),
        D(600),
        0,
    )
    # under either mode each level ends with the same money
    assert union.own + county.own + ledger_total(world, world["taiyuan"]).own == D(1700)


def test_every_receipts_shares_sum_to_it(world):
    scheme(
        world,
        grassroots_rate=D("33.33"),
        county_rate=D("33.33"),
        city_rate=D("33.34"),
        province_rate=D(0),
        national_rate=D(0),
    )
    r = receipt(world, amount="0.10", base="5.00")
    assert sum(s.amount for s in r.shares.all()) == D("0.10")
    assert FundShare.objects.filter(receipt=r, level="province").get().amount == 0


def test_collecting_union_must_be_the_payers_or_above(world):
    scheme(world)
    with pytest.raises(DomainError, match="收款工会须为缴费单位所属工会或其上级工会"):
        receipt(world, org=world["pingcheng"])
    with pytest.raises(DomainError, match="首次缴费，须填写工资总额"):
        receipt(world, base=None)
    receipt(world)
    with pytest.raises(DomainError, match="已申报工资总额100000.00元"):
        receipt(world, base="90000.00")


def test_viewer_and_outsider_cannot_record(world):
    scheme(world)
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        receipt(world, actor=world["taiyuan_viewer"])
    with pytest.raises(DomainError, match="收款工会须在本组织及下级组织范围内"):
        receipt(world, actor=world["datong_editor"])


def test_arrears_appear_with_months_and_late_fee_then_clear_when_paid(world):
    scheme(world, late_fee_rate=D("0.5"))
    receipt(world, amount="1500.00")  # 2,000 due for March by 15 April
    admin = world["province_admin"]
    before_deadline = selectors.arrears_for(admin, today=dt.date(2008, 4, 15))
    assert not before_deadline.exists()
    found = selectors.arrears_for(admin, today=dt.date(2008, 6, 1))
    (line,) = selectors.arrears_lines(found, today=dt.date(2008, 6, 1))
    assert line.outstanding == D("500.00")
    assert line.months == 2
    assert line.late_fee == D("11.75")  # 500 × 0.5‰ × 47 days (16 April – 1 June)
    assert selectors.arrears_totals(found) == {"amount": D("500.00"), "units": 1}
    # a county sees its own list; another city's sees nothing of it
    assert (
        selectors.arrears_for(
            world["taiyuan_admin"], org=world["xiaodian"], today=dt.date(2008, 6, 1)
        ).count()
        == 1
    )
    assert not selectors.arrears_for(world["datong_editor"], today=dt.date(2008, 6, 1)).exists()

    receipt(world, amount="500.00", base=None, on=dt.date(2008, 6, 20))
    assert not selectors.arrears_for(admin, today=dt.date(2008, 7, 1)).exists()
    levy = Levy.objects.get()
    assert levy.paid_up_on == dt.date(2008, 6, 20)
    # the past stays as it was: in arrears on 1 June, not on 1 July
    assert Levy.objects.filter(selectors.in_arrears_on(dt.date(2008, 6, 1))).count() == 1
    assert Levy.objects.filter(selectors.in_arrears_on(dt.date(2008, 7, 1))).count() == 0


def test_preparatory_fee_moves_to_the_union_founded_for_the_unit(world):
    scheme(world)
    unit = unit_without_union(world)
    with pytest.raises(DomainError, match="已建立工会"):
        receipt(world, channel=Channel.PREPARATORY)
    fee = receipt(world, unit=unit, channel=Channel.PREPARATORY, amount="2000.00")
    # held by the collecting county until a union exists
    assert shares(fee)["grassroots"] == ("小店区总工会", "own", D("1200.00"))
    assert ledger_total(world, world["xiaodian"]).own == D(1400)

    union = OrgFactory(
        name="小店新兴科技有限公司工会", kind=Org.Kind.GRASSROOTS, parent=world["township"]
    )
    union_founded.send(sender=Org, union=union, units=[unit], on=dt.date(2008, 9, 1), actor=None)

    fee.refresh_from_db()
    assert (fee.moved_to, fee.moved_on) == (union, dt.date(2008, 9, 1))
    assert shares(fee)["grassroots"] == ("小店新兴科技有限公司工会", "down", D("1200.00"))
    assert ledger_total(world, union).own == D(1200)
    assert ledger_total(world, world["xiaodian"]).own == D(200)
    assert Levy.objects.get(unit=unit).org == union
    assert AuditEntry.objects.filter(model="finance.fundreceipt", action="update").count() == 1
    # sent again (or for a unit with nothing held) nothing moves twice
    assert (
        services.move_preparatory_fees(
            union=union, units=[unit], on=dt.date(2008, 9, 2), actor=None
        )
        == 0
    )
