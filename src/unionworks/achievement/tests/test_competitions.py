"""Competitions: registration from below, acceptance by the organiser, winners and teams."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError

from unionworks.achievement import services
from unionworks.achievement.models import Participation, Winner
from unionworks.achievement.tests.factories import competition, new_id_number
from unionworks.core.errors import DomainError

pytestmark = pytest.mark.django_db


def test_lower_union_registers_and_organiser_accepts(world):
    contest = competition(world)
    [entry] = services.register_units(
        actor=world["taiyuan_admin"], competition=contest, org=world["grassroots"],
        entries=[(world["taiyuan_unit"], 60)], on=dt.date(2008, 3, 2),
    )  # fmt: skip
    assert entry.status == Participation.Status.REGISTERED
    assert entry.registered_by == world["taiyuan_admin"]
    with pytest.raises(DomainError, match="主办工会须在本组织"):
        services.decide_participation(
            actor=world["taiyuan_admin"], participation=entry, accept=True
        )
    services.decide_participation(
        actor=world["province_admin"], participation=entry, accept=True, on=dt.date(2008, 3, 5)
    )
    entry.refresh_from_db()
    assert entry.status == Participation.Status.ACCEPTED
    assert (entry.decided_on, entry.decided_by) == (dt.date(2008, 3, 5), world["province_admin"])


def test_a_unit_is_registered_once_per_competition(world):
    contest = competition(world)
    services.register_units(
        actor=None,
        competition=contest,
        org=world["grassroots"],
        entries=[(world["taiyuan_unit"], 5)],
    )
    with pytest.raises(DomainError, match="已报名该竞赛"):
        services.register_units(
            actor=None,
            competition=contest,
            org=world["taiyuan"],
            entries=[(world["taiyuan_unit"], 5)],
        )
    with pytest.raises(IntegrityError):
        Participation.objects.create(
            competition=contest, org=world["taiyuan"], unit=world["taiyuan_unit"], workers=1,
            registered_on=dt.date(2008, 3, 1), start_date=contest.start_date, competition_kind="skills",
        )  # fmt: skip


def test_cannot_register_for_a_sibling_unions_competition(world):
    datong_contest = competition(world, org=world["datong"], name="大同市技术比武")
    with pytest.raises(DomainError, match="本级或上级"):
        services.register_units(
            actor=world["taiyuan_admin"], competition=datong_contest, org=world["taiyuan"],
            entries=[(world["taiyuan_unit"], 5)],
        )  # fmt: skip


def test_more_workers_than_the_unit_employs_is_refused(world):
    contest = competition(world)
    with pytest.raises(DomainError, match="超过单位职工人数100") as caught:
        services.register_units(
            actor=None, competition=contest, org=world["grassroots"],
            entries=[(world["taiyuan_unit"], 101)],
        )  # fmt: skip
    assert caught.value.field == "workers"


def test_winner_by_id_number_with_reward(world):
    contest = competition(world)
    number = new_id_number()
    winner = services.record_winner(
        actor=None, competition=contest, org=world["grassroots"], name="王师傅", id_number=number,
        rank=1, reward="grade", promoted_grade="高级技师", awarded_on=dt.date(2008, 5, 1),
        prize="5000",
    )  # fmt: skip
    assert winner.prize == Decimal("5000.00") and winner.revealed_id_number() == number
    assert number not in winner.id_number_mask
    with pytest.raises(DomainError, match="已在该竞赛获奖名单中"):
        services.record_winner(
            actor=None, competition=contest, org=world["grassroots"], name="王师傅",
            id_number=number, rank=2, reward="medal", awarded_on=dt.date(2008, 5, 1),
        )  # fmt: skip
    with pytest.raises(DomainError, match="须填写晋升等级"):
        services.record_winner(
            actor=None, competition=contest, org=world["grassroots"], name="李师傅",
            id_number=new_id_number(), rank=2, reward="grade", awarded_on=dt.date(2008, 5, 1),
        )  # fmt: skip
    assert Winner.objects.count() == 1


def test_team_result(world):
    contest = competition(world)
    team = services.add_team(
        actor=None, competition=contest, org=world["grassroots"], name="太重一队", members=5
    )
    result = services.record_team_result(
        actor=None, team=team, rank=1, reward="money", prize="3000", awarded_on=dt.date(2008, 5, 1)
    )
    assert result.prize == Decimal("3000.00")
    with pytest.raises(DomainError, match="已有名次"):
        services.record_team_result(
            actor=None, team=team, rank=2, reward="medal", awarded_on=dt.date(2008, 5, 1)
        )


def test_competition_dates(world):
    with pytest.raises(DomainError, match="结束日期不能早于开始日期"):
        competition(world, end_date=dt.date(2008, 1, 1))
