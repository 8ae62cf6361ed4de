"""The demo step: the article's figures as of 2008-09-30, scaled, through the lens; the
records keep the services' rules."""

import datetime as dt

import pytest
from django.db.models import F

from unionworks.core.periods import parse_period
from unionworks.demo import relations as demo
from unionworks.demo.province import PROVINCE_UNITS, STEPS, Step, build_province
from unionworks.orgs.models import Org
from unionworks.relations.models import CollectiveContract, CongressSession, ContractUnit
from unionworks.stats.lens import project
from unionworks.stats.values import evaluate


@pytest.fixture
def province(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    steps = [s for s in STEPS if s.name in ("tree", "units", "unions", "write")]
    steps.append(Step("relations", "和谐劳动关系", demo.build_relations))
    ctx = build_province(scale="tiny", seed=2008, password="x", out=lambda _: None, steps=steps)
    return ctx, Org.objects.get(parent=None)


def scaled(ctx, n):
    return max(1, round(n * ctx.scale.units / PROVINCE_UNITS))


def test_the_figures_as_of_september_2008_are_the_articles_scaled(province):
    ctx, root = province
    codes = project("relations").kept()
    now = evaluate(root, parse_period("@2008-09-30"), codes)[root.pk].figures
    then = evaluate(root, parse_period("@2007-09-30"), codes)[root.pk].figures
    assert now["collective_contracts"] == scaled(ctx, demo.CONTRACTS)
    assert now["regional_contracts"] == scaled(ctx, demo.REGIONAL)
    assert then["collective_contracts"] == scaled(ctx, demo.CONTRACTS_2007)
    assert then["regional_contracts"] == scaled(ctx, demo.REGIONAL_2007)
    assert now["harmony_commended"] == scaled(ctx, demo.COMMENDED)
    assert now["harmony_commended_province"] == now["harmony_commended"]
    assert (
        now["contract_employees"] > 0 and now["contract_units"] > now["collective_contracts"] * 0.9
    )
    assert 0.8 <= now["contracts_filed_on_time_rate"] <= 1
    assert 0.05 <= now["wage_rise_average"] <= 0.15
    assert 0 < now["congress_rate"] < 1 and 0 < now["openness_rate"] < 1
    assert 0 < now["dispute_success_rate"] < 1


def test_at_province_scale_the_arithmetic_gives_the_articles_own_figures():
    assert (demo.CONTRACTS, demo.REGIONAL, demo.COMMENDED) == (13_287, 805, 103)
    assert round(demo.CONTRACTS / demo.CONTRACTS_2007 - 1, 2) == 0.15
    assert round(demo.REGIONAL / demo.REGIONAL_2007 - 1, 2) == 2.19  # "220 %" in the article


def test_the_records_keep_the_rules(province):
    _ctx, _root = province
    contracts = CollectiveContract.objects.all()
    assert not contracts.filter(congress_approved_on__gt=F("signed_on")).exists()
    assert not contracts.filter(effective_on__lte=F("objection_deadline")).exists()
    live = contracts.filter(effective_on__isnull=False)
    for contract in live:
        assert contract.effective_on == contract.submitted_on + dt.timedelta(days=16)
        assert contract.filing_deadline == contract.signed_on + dt.timedelta(days=10)
    enterprise = ContractUnit.objects.filter(contract__scope="enterprise")
    assert enterprise.count() == contracts.filter(scope="enterprise").count()
    assert not CongressSession.objects.filter(delegates_present__gt=F("delegates_elected")).exists()
