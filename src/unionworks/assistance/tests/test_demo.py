"""The demo step: the article's 2008 figures, scaled, through the lens; every rule kept."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db.models import Count, F, Q

from unionworks.assistance.models import Campaign, Disbursement, FundRaising, HardshipFile
from unionworks.core.identity import ID_FIELD
from unionworks.core.periods import parse_period, year
from unionworks.core.personal_data import unseal
from unionworks.demo import assistance as demo
from unionworks.demo.province import PROVINCE_UNITS, STEPS, Step, build_province
from unionworks.orgs.models import Org
from unionworks.stats.lens import project
from unionworks.stats.values import evaluate


@pytest.fixture
def province(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    steps = [s for s in STEPS if s.name in ("tree", "units", "unions", "write")]
    steps.append(Step("assistance", "帮扶工程", demo.build_assistance))
    ctx = build_province(scale="tiny", seed=2008, password="x", out=lambda _: None, steps=steps)
    return ctx, Org.objects.get(parent=None)


def yuan(fen: int) -> Decimal:
    return Decimal(fen) / 100


def test_the_2008_figures_are_the_articles_scaled(province):
    ctx, root = province
    f = ctx.scale.units / PROVINCE_UNITS
    figures = evaluate(root, parse_period("@2008-09-30"), project("assistance").kept())[
        root.pk
    ].figures
    assert figures["funds_raised_warmth"] == yuan(round(demo.WARMTH_RAISED * f))
    assert figures["funds_raised_schooling"] == yuan(round(demo.SCHOOLING_RAISED * f))
    assert figures["funds_raised_summer"] == yuan(round(demo.SUMMER_RAISED * f))
    assert figures["hardship_workers_reached"] == round(demo.WARMTH_HARDSHIP * f)
    assert figures["people_reached_warmth"] == round(demo.WARMTH_HARDSHIP * f) + round(
        demo.WARMTH_MIGRANT * f
    )
    assert figures["students_reached"] == round(demo.SCHOOLING_STUDENTS * f)
    assert figures["people_reached_summer"] == round(demo.SUMMER_WORKERS * f)
    assert figures["workers_sent_home"] == round(demo.SENT_HOME * f)
    assert figures["wage_workers_helped"] == round(demo.WAGE_WORKERS * f)
    assert figures["wages_recovered"] == yuan(round(demo.WAGES_RECOVERED * f))
    assert 0 < figures["amount_paid"] < figures["funds_raised"]
    assert 0 < figures["hardship_reviews_overdue"] < figures["hardship_files_open"] * 0.06
    assert figures["hardship_files_closed"] > 0
    # 2007 is there for 同比, a little smaller.
    last = evaluate(root, year(2007), ["funds_raised_warmth", "students_reached"])[root.pk].figures
    assert 0 < last["funds_raised_warmth"] < figures["funds_raised_warmth"]
    # At province scale the same arithmetic gives the article's own figures.
    assert (demo.WARMTH_RAISED, demo.WARMTH_HARDSHIP, demo.WARMTH_MIGRANT) == (
        114_300_000_00,
        369_635,
        23_040,
    )
    assert (demo.SCHOOLING_RAISED, demo.SCHOOLING_STUDENTS, demo.SENT_HOME) == (
        26_703_500_00,
        14_704,
        87_981,
    )
    assert (demo.WAGE_WORKERS, demo.WAGES_RECOVERED) == (6_505, 11_627_000_00)
    assert (demo.SUMMER_RAISED, demo.SUMMER_WORKERS) == (1_830_000_00, 85_000)


def test_the_demo_keeps_every_rule_the_services_keep(province):
    _ctx, root = province
    paid = Disbursement.objects.filter(status="paid")
    # No campaign pays out more than it raised.
    for campaign in Campaign.objects.all():
        raised = sum((r.total for r in FundRaising.objects.filter(campaign=campaign)), Decimal(0))
        spent = sum((d.total for d in paid.filter(campaign=campaign)), Decimal(0))
        assert spent <= raised, campaign.name
    # 送温暖 to a hardship worker: an open file on the day, the same person.
    visits = paid.filter(campaign_kind="warmth", category="hardship").select_related(
        "hardship_file"
    )
    assert visits.exists()
    for visit in visits[:200]:
        file = visit.hardship_file
        assert file.id_number_index == visit.id_number_index
        assert file.opened_on <= visit.paid_on and (
            file.closed_on is None or file.closed_on > visit.paid_on
        )
    # 金秋助学 records the student; people are sealed like the roll.
    student = paid.filter(campaign_kind="schooling").first()
    assert student.school and student.admission_year and student.student_level
    number = unseal(student.id_number_cipher, field=ID_FIELD)
    assert student.id_number_mask == number[:4] + "*" * 10 + number[-4:]
    assert student.birth_date == dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    # Once per person and campaign; one open file per person (the constraints held the load).
    assert (
        not Disbursement.objects.values("campaign", "id_number_index")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .exists()
    )
    assert (
        not HardshipFile.objects.filter(status="open")
        .values("id_number_index")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .exists()
    )
    assert not HardshipFile.objects.filter(Q(closed_on__lt=F("opened_on"))).exists()
    assert Disbursement.objects.filter(status="proposed").exists()  # the review queue
