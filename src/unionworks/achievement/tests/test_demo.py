"""The demo step: the article's first-half-2008 figures, scaled, through the lens."""

from decimal import Decimal

import pytest

from unionworks.achievement.models import Proposal
from unionworks.core.periods import parse_period
from unionworks.demo import achievement as demo
from unionworks.demo.province import PROVINCE_UNITS, STEPS, Step, build_province
from unionworks.orgs.models import Org
from unionworks.stats.lens import project
from unionworks.stats.values import evaluate


@pytest.fixture
def province(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    steps = [s for s in STEPS if s.name in ("tree", "units", "unions", "write")]
    steps.append(Step("achievement", "建功立业", demo.build_achievement))
    ctx = build_province(scale="tiny", seed=2008, password="x", out=lambda _: None, steps=steps)
    return ctx, Org.objects.get(parent=None)


def test_the_first_half_of_2008_is_the_articles_scaled(province):
    ctx, root = province
    f = ctx.scale.units / PROVINCE_UNITS

    def scaled(n):
        return max(1, round(n * f))

    codes = [*project("achievement").kept(), *project("skills").kept()]
    figures = evaluate(root, parse_period("2008H1"), codes)[root.pk].figures
    assert figures["skill_contest_units"] == scaled(demo.CONTEST_UNITS)
    assert figures["skill_contest_workers"] == scaled(demo.CONTEST_WORKERS)
    assert figures["proposals"] == scaled(demo.PROPOSALS)
    assert figures["proposal_workers"] == scaled(demo.PROPOSAL_WORKERS)
    assert figures["proposal_units"] == scaled(demo.PROPOSAL_UNITS)
    assert figures["proposal_value"] == Decimal(round(demo.PROPOSAL_VALUE * f)) / 100
    assert figures["technical_innovations"] == scaled(1_503)
    assert figures["process_innovations"] == scaled(784)
    assert figures["product_innovations"] == scaled(654)
    assert figures["method_innovations"] == scaled(735)
    assert figures["ten_ones_units"] == scaled(demo.TEN_ONES_UNITS)
    assert figures["ten_ones_savings"] == Decimal(round(demo.TEN_ONES_VALUE * f)) / 100
    assert figures["energy_saving_units"] == scaled(demo.ENERGY_UNITS)
    assert figures["honours_innovation_expert"] == scaled(demo.INNOVATION_EXPERTS)
    assert 0 < figures["proposals_adopted"] < figures["proposals"]
    # Every adopted proposal went through the dated steps, in order (the constraint holds).
    rewarded = Proposal.objects.filter(status="rewarded").first()
    assert rewarded.dept_reviewed_on <= rewarded.committee_reviewed_on <= rewarded.decided_on
    assert rewarded.score.total > 0
    # At province scale the same arithmetic gives the article's own figures.
    assert (demo.PROPOSALS, demo.PROPOSAL_WORKERS, demo.PROPOSAL_UNITS) == (450_000, 520_000, 5_435)
    assert (demo.CONTEST_UNITS, demo.CONTEST_WORKERS) == (8_120, 680_000)
