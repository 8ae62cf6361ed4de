"""The demo step: the article's figures as of 30 September 2008, scaled, through the lens."""

import pytest
from django.db.models import Count

from unionworks.cadres.models import Attendance, Election, Post, StudyEvent
from unionworks.core.identity import ID_FIELD
from unionworks.core.periods import parse_period
from unionworks.core.personal_data import unseal
from unionworks.demo import cadres as demo
from unionworks.demo.province import PROVINCE_UNITS, STEPS, Step, build_province
from unionworks.orgs.models import Org
from unionworks.stats.lens import project
from unionworks.stats.values import evaluate


@pytest.fixture
def province(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    steps = [s for s in STEPS if s.name in ("tree", "units", "unions", "write")]
    steps.append(Step("cadres", "理论武装与人才兴会", demo.build_cadres))
    ctx = build_province(scale="tiny", seed=2008, password="x", out=lambda _: None, steps=steps)
    return ctx, Org.objects.get(parent=None)


def test_the_articles_figures_scaled(province):
    ctx, root = province
    f = ctx.scale.units / PROVINCE_UNITS
    codes = project("theory").kept() + project("talent").kept()
    figures = evaluate(root, parse_period("@2008-09-30"), codes)[root.pk].figures
    assert figures["chairs_elected_directly"] == round(demo.DIRECT_CHAIRS * f)
    assert figures["cadres_recruited"] == round(demo.RECRUITED * f)
    assert figures["cadres_trained"] == max(round(demo.TRAINED * f), 64 + 11)
    assert figures["rights_mechanisms"] == 11
    assert figures["chairs_deputy_city"] == 8 and figures["chairs_deputy_county"] == 38
    assert figures["elections_overdue"] > 0 and figures["full_committees"] > 0
    assert figures["study_sessions"] == 18  # two monthly series, January to September
    # The province's own: 3 lectures, 12 classes, 64 cadres.
    own = StudyEvent.objects.filter(org=root)
    assert own.filter(kind="lecture").count() == 3 and own.filter(kind="class").count() == 12
    assert (
        Attendance.objects.filter(event__org=root, event__kind__in=["lecture", "class"])
        .values("person_index").distinct().count() == 64
    )  # fmt: skip
    assert own.filter(kind="forum", start_date="2008-09-01").exists()
    # Some cadres took two courses and are still counted once.
    twice = Attendance.objects.values("person_index").annotate(n=Count("id")).filter(n__gt=1)
    assert twice.exists()


def test_the_rules_hold_in_the_demo(province):
    _ctx, root = province
    chairs = (
        Post.objects.filter(kind="chair", end__isnull=True).values("org").annotate(n=Count("id"))
    )
    assert not chairs.filter(n__gt=1).exists()
    for election in Election.objects.all()[:200]:
        if election.members_count < 80:
            assert election.method == "assembly"
        else:
            assert election.method == "congress"
    cadre = Post.objects.select_related("cadre").first().cadre
    number = unseal(cadre.id_number_cipher, field=ID_FIELD)
    assert cadre.id_number_mask == number[:4] + "*" * 10 + number[-4:]
