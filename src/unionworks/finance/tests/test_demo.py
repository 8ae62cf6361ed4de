"""The demo step: fund income growing about 30 % a year with the 一改三策 channels, shares
summing to the receipts, arrears a realistic few, every city with asset rules, the
institutions assessed."""

from decimal import Decimal

import pytest
from django.db.models import Sum

from unionworks.core.periods import parse_period, year
from unionworks.demo import finance as demo
from unionworks.demo.province import STEPS, Step, build_province
from unionworks.finance.models import FundReceipt, FundShare, Levy
from unionworks.orgs.models import Org
from unionworks.stats.lens import project
from unionworks.stats.values import evaluate


@pytest.fixture
def province(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    steps = [s for s in STEPS if s.name in ("tree", "units", "unions", "write")]
    steps.append(Step("finance", "实力强会工程", demo.build_finance))
    ctx = build_province(scale="tiny", seed=2008, password="x", out=lambda _: None, steps=steps)
    return ctx, Org.objects.get(parent=None)


def test_income_grows_about_30_percent_a_year_through_the_channels(province):
    _ctx, root = province
    codes = project("strength").kept()
    by_year = {
        y: evaluate(root, parse_period(f"@{y}-09-30"), codes)[root.pk].figures
        for y in (2006, 2007, 2008)
    }
    for y in (2007, 2008):
        growth = by_year[y]["fund_receipts"] / by_year[y - 1]["fund_receipts"]
        assert Decimal("1.22") < growth < Decimal("1.38"), (y, growth)
    f2008 = by_year[2008]
    for channel in ("tax", "fiscal", "direct", "preparatory", "grant"):
        assert f2008[f"fund_receipts_{channel}"] > 0, channel
    assert f2008["fund_receipts"] == sum(
        f2008[f"fund_receipts_{c}"]
        for c in ("tax", "fiscal", "direct", "preparatory", "grant", "other")
    )
    # every total equals the sum of its receipts
    total = FundReceipt.objects.filter(
        received_on__gte="2008-01-01", received_on__lte="2008-09-30"
    ).aggregate(s=Sum("amount"))["s"]
    assert f2008["fund_receipts"] == total
    assert 0.95 < f2008["collection_rate"] < 1.01  # received ÷ due, late payments included
    assert f2008["cities_with_asset_rules"] == Org.objects.filter(kind="city").count()
    assert f2008["assets_value"] > 0
    whole = evaluate(root, year(2008), ["institutions_assessed"])[root.pk].figures
    assert whole["institutions_assessed"] == len(demo.INSTITUTIONS)
    # a realistic few units in arrears on 30 September 2008
    payers = Levy.objects.values("unit_id").distinct().count()
    assert 0 < f2008["units_in_arrears"] < payers * 0.12
    assert f2008["arrears_amount"] > 0


def test_shares_sum_to_every_receipt_and_levies_to_their_receipts(province):
    sums = dict(FundShare.objects.values_list("receipt_id").annotate(s=Sum("amount")).order_by())
    for receipt_id, amount in FundReceipt.objects.filter(levy__isnull=False).values_list(
        "id", "amount"
    ):
        assert sums[receipt_id] == amount
    for levy in Levy.objects.annotate(r=Sum("receipts__amount")):
        assert levy.received == levy.r
        assert (levy.paid_up_on is not None) == (levy.received >= levy.due)
    # preparatory fees of units that now have a union moved to it
    moved = FundReceipt.objects.filter(channel="preparatory", moved_to__isnull=False)
    assert moved.exists()
    for r in moved.select_related("levy__unit")[:50]:
        assert r.moved_to_id == r.levy.unit.union_id
        assert r.shares.get(level="grassroots").org_id == r.moved_to_id
