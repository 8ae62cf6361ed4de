"""The lens figures of 建功立业 and 职工素质 equal the records, at every level."""

import datetime as dt
from decimal import Decimal

import pytest

from unionworks.achievement import services
from unionworks.achievement.models import Competition
from unionworks.achievement.tests.factories import adopted, competition, new_id_number, proposal
from unionworks.core.periods import year
from unionworks.core.tests.factories import UnitFactory
from unionworks.stats.lens import project
from unionworks.stats.values import evaluate

pytestmark = pytest.mark.django_db


def test_a_worker_is_counted_once_however_many_proposals_they_made(world):
    number = new_id_number()
    for _ in range(3):
        proposal(world, authors=[("张建国", number)])
    proposal(world, authors=[("张建国", number), ("李红", new_id_number())])
    nodes = evaluate(world["province"], year(2008), ["proposals", "proposal_workers"])
    for key in ("province", "taiyuan", "grassroots"):
        figures = nodes[world[key].pk].figures
        assert figures["proposals"] == 4, key
        assert figures["proposal_workers"] == 2, key
    assert nodes[world["datong"].pk].figures["proposal_workers"] == 0


def test_proposal_figures_to_the_fen_and_by_category(world):
    record = adopted(world)
    services.implement_proposal(
        actor=None, proposal=record, on=dt.date(2008, 4, 1), confirmed_value="1000.10",
        confirmed_savings="200.02",
    )  # fmt: skip
    second = adopted(world, category="technical")
    services.implement_proposal(
        actor=None, proposal=second, on=dt.date(2008, 4, 1), confirmed_value="0.01",
        confirmed_savings="0",
    )  # fmt: skip
    proposal(world, category="knack")  # not adopted yet
    datong_unit = world["datong_unit"]
    proposal(world, unit=datong_unit, category="method", proposed_on=dt.date(2007, 5, 1))
    nodes = evaluate(world["province"], year(2008), project("achievement").kept())
    figures = nodes[world["taiyuan"].pk].figures
    assert figures["proposal_value"] == Decimal("1000.11")
    assert figures["proposal_savings"] == Decimal("200.02")
    assert figures["proposals"] == 3 and figures["proposals_adopted"] == 2
    assert figures["technical_innovations"] == 1 and figures["five_small"] == 1
    assert figures["proposal_units"] == 1
    assert nodes[world["province"].pk].figures["method_innovations"] == 0  # a 2007 proposal


def test_competition_figures_count_accepted_units_once(world):
    contest = competition(world)
    other = UnitFactory(org=world["township"], union=world["grassroots"], employees=500)
    services.register_units(
        actor=None, competition=contest, org=world["province"],
        entries=[(world["taiyuan_unit"], 30), (other, 200)],
    )  # fmt: skip
    second = competition(world, name="岗位练兵", kind=Competition.Kind.DRILL)
    services.register_units(
        actor=None, competition=second, org=world["province"], entries=[(other, 50)]
    )
    energy = competition(world, name="节能减排", kind=Competition.Kind.ENERGY)
    [pending] = services.register_units(
        actor=world["taiyuan_admin"], competition=energy, org=world["grassroots"],
        entries=[(world["taiyuan_unit"], 10)],
    )  # fmt: skip
    codes = [*project("achievement").kept(), *project("skills").kept()]
    figures = evaluate(world["province"], year(2008), codes)[world["province"].pk].figures
    assert figures["competitions"] == 3 and figures["skill_contests"] == 2
    assert figures["skill_contest_units"] == 2  # `other` took part twice: one enterprise
    assert figures["skill_contest_workers"] == 280
    assert figures["energy_competition_units"] == 0  # registered, not yet accepted
    services.decide_participation(actor=None, participation=pending, accept=True)
    figures = evaluate(world["province"], year(2008), codes)[world["province"].pk].figures
    assert figures["energy_competition_units"] == 1


def test_skills_figures(world):
    services.create_course(
        actor=None, org=world["grassroots"], name="焊工", start_date=dt.date(2008, 3, 1),
        end_date=dt.date(2008, 3, 20), trainees=40, promoted=12,
    )  # fmt: skip
    contest = competition(world)
    services.record_winner(
        actor=None, competition=contest, org=world["grassroots"], name="王师傅",
        id_number=new_id_number(), rank=1, reward="grade", promoted_grade="技师",
        awarded_on=dt.date(2008, 5, 1),
    )  # fmt: skip
    services.open_library(
        actor=None, org=world["grassroots"], name="书屋", level="grassroots", books=800,
        area="40", opened_on=dt.date(2007, 1, 1),
    )  # fmt: skip
    services.award_honour(
        actor=None, org=world["taiyuan"], kind="innovation_expert", level="province",
        year=2008, awarded_on=dt.date(2008, 4, 30), awarding_body="省总工会",
        unit=world["taiyuan_unit"],
    )  # fmt: skip
    codes = project("skills").kept()
    figures = evaluate(world["province"], year(2008), codes)[world["taiyuan"].pk].figures
    assert figures["trained_workers"] == 40
    assert figures["workers_promoted"] == 13
    assert figures["worker_libraries"] == 1 and figures["library_books"] == 800
    assert figures["honours_innovation_expert"] == 1 and figures["honours_level_province"] == 1


def test_ten_ones_savings(world):
    services.record_savings(
        actor=None, unit=world["taiyuan_unit"], kind="ten_ones", period_start=dt.date(2008, 1, 1),
        period_end=dt.date(2008, 6, 30), value="6290.33", confirmed_on=dt.date(2008, 7, 1),
    )  # fmt: skip
    figures = evaluate(world["province"], year(2008), ["ten_ones_units", "ten_ones_savings"])
    assert figures[world["province"].pk].figures["ten_ones_savings"] == Decimal("6290.33")
    assert figures[world["grassroots"].pk].figures["ten_ones_units"] == 1


def test_dashboard_and_annual_review_fill_in_with_year_on_year_and_targets(world):
    from unionworks.stats.reports import project_figures
    from unionworks.stats.selectors import project_dashboard
    from unionworks.stats.services import set_target

    proposal(world, proposed_on=dt.date(2007, 4, 1))
    proposal(world)
    proposal(world)
    set_target(
        actor=world["province_admin"], org=world["taiyuan"], year=2008, indicator="proposals",
        value=4,
    )  # fmt: skip
    board = project_dashboard(
        world["province_admin"], project_code="achievement", org=world["taiyuan"],
        period=year(2008),
    )  # fmt: skip
    proposals = next(f for f in board.key_figures if f.indicator.code == "proposals")
    assert proposals.value == 2 and proposals.change is not None
    assert proposals.target is not None and proposals.completion is not None
    figures, _children = project_figures(
        world["province_admin"], lens=project("skills"), org=world["taiyuan"], period=year(2008)
    )
    assert {f.indicator.code for f in figures} >= {"skill_contests", "trained_workers"}


def test_the_monthly_trend_equals_each_month_counted_alone(world):
    number = new_id_number()
    for day in (dt.date(2008, 1, 5), dt.date(2008, 1, 20), dt.date(2008, 3, 2)):
        proposal(world, authors=[("张建国", number)], proposed_on=day)
    proposal(world, proposed_on=dt.date(2008, 3, 9), category="technical")
    from unionworks.stats.values import series

    codes = ["proposals", "proposal_workers", "proposal_units", "technical_innovations"]
    months = year(2008).months()[:4]
    trend = series(world["taiyuan"], months, codes)
    for month, row in zip(months, trend, strict=True):
        alone = evaluate(world["taiyuan"], month, codes)[world["taiyuan"].pk].figures
        assert {c: row[c] for c in codes} == {c: alone[c] for c in codes}, month
    assert trend[0]["proposal_workers"] == 1 and trend[2]["proposal_workers"] == 2
