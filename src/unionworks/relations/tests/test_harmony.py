"""The harmonious-enterprise score sheet, notice and commendation."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from unionworks.core.errors import DomainError
from unionworks.relations import selectors, services
from unionworks.relations.models import HarmonyAssessment, ScoreSheet


def full_marks(items) -> dict:
    return {item["code"]: item["max"] for item in items}


def applied(world, year=2008):
    return services.apply_assessment(
        actor=None,
        org=world["grassroots"],
        unit=world["taiyuan_unit"],
        year=year,
        applied_on=dt.date(year, 3, 1),
    )


def test_a_total_of_89_5_fails_and_90_passes(world):
    assessment = applied(world)
    scores = full_marks(services.DEFAULT_SHEET)
    scores["b1"] = "-0.5"
    with pytest.raises(DomainError, match="应在0到10之间"):
        services.score_assessment(
            actor=None, assessment=assessment, scores=scores, scored_on=dt.date(2008, 5, 1)
        )
    scores["b1"] = "0"
    scores["e3"] = "6"
    scores["b2"] = "10"
    scores = {**full_marks(services.DEFAULT_SHEET), "b1": "0.5"}  # 100 - 9.5 = 90.5
    scores["b4"] = "4"  # 89.5
    result = services.score_assessment(
        actor=None, assessment=assessment, scores=scores, scored_on=dt.date(2008, 5, 1)
    )
    assert result.total_score == Decimal("89.5")
    assert result.status == HarmonyAssessment.Status.FAILED
    scores["b4"] = "4.5"  # 90.0
    result = services.score_assessment(
        actor=None, assessment=result, scores=scores, scored_on=dt.date(2008, 5, 2)
    )
    assert result.total_score == Decimal("90.0")
    assert result.status == HarmonyAssessment.Status.PASSED
    assert (result.basic_score, result.system_score, result.effect_score) == (
        Decimal("30.0"),
        Decimal("40.0"),
        Decimal("20.0"),
    )


def test_an_edited_sheet_applies_to_that_year_only(world):
    items = [
        {"code": "x1", "part": "basic", "name": "基础", "max": "50"},
        {"code": "x2", "part": "system", "name": "建制", "max": "30"},
        {"code": "x3", "part": "effect", "name": "成效", "max": "20"},
    ]
    services.save_score_sheet(actor=world["province_admin"], year=2008, items=items, pass_mark=85)
    assert services.sheet_for(2008).pass_mark == 85
    assert services.sheet_for(2007).items == services.DEFAULT_SHEET
    assert services.sheet_for(2007).pass_mark == 90
    earlier = applied(world, year=2007)
    scores = {**full_marks(services.DEFAULT_SHEET), "b1": "1.5"}  # 91.5 on the standing sheet
    earlier = services.score_assessment(
        actor=None, assessment=earlier, scores=scores, scored_on=dt.date(2007, 5, 1)
    )
    assert earlier.status == HarmonyAssessment.Status.PASSED
    later = applied(world, year=2008)
    later = services.score_assessment(
        actor=None,
        assessment=later,
        scores={"x1": "40", "x2": "30", "x3": "16"},
        scored_on=dt.date(2008, 5, 1),
    )
    assert later.total_score == Decimal("86.0") and later.status == "passed"
    assert ScoreSheet.objects.count() == 1


def test_the_sheet_must_total_100_and_only_the_federation_edits_it(world):
    items = [{"code": "x1", "part": "basic", "name": "基础", "max": "50"}]
    with pytest.raises(DomainError, match="合计须为100分"):
        services.save_score_sheet(actor=world["province_admin"], year=2008, items=items)
    with pytest.raises(PermissionDenied):
        services.save_score_sheet(
            actor=world["taiyuan_admin"], year=2008, items=services.DEFAULT_SHEET
        )


def test_commended_after_the_notice_period_and_listed_per_level_and_year(world):
    assessment = applied(world)
    assessment = services.score_assessment(
        actor=None,
        assessment=assessment,
        scores=full_marks(services.DEFAULT_SHEET),
        scored_on=dt.date(2008, 5, 1),
    )
    with pytest.raises(DomainError, match="公示期满后"):
        services.commend(
            actor=None, assessment=assessment, level="province", commended_on=dt.date(2008, 9, 1)
        )
    assessment = services.start_notice(
        actor=None, assessment=assessment, notice_from=dt.date(2008, 8, 20)
    )
    assert assessment.notice_until == dt.date(2008, 8, 26)
    with pytest.raises(DomainError, match="期满后才能命名"):
        services.commend(
            actor=None, assessment=assessment, level="province", commended_on=dt.date(2008, 8, 26)
        )
    services.commend(
        actor=None, assessment=assessment, level="province", commended_on=dt.date(2008, 9, 18)
    )
    admin = world["taiyuan_admin"]
    assert selectors.commended_for(admin, year=2008, level="province").count() == 1
    assert selectors.commended_for(admin, year=2008, level="city").count() == 0
    assert selectors.commended_for(world["datong_editor"], year=2008).count() == 0


def test_a_unit_applies_once_a_year(world):
    applied(world)
    with pytest.raises(DomainError, match="已申报2008年"):
        applied(world)
