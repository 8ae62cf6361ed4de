"""The demo's member roll: the article's two member figures in proportion, as spells."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count, Q

from unionworks.demo.members import MEMBERS_2007, MEMBERS_2008
from unionworks.demo.province import PROVINCE_UNITS, SCALES
from unionworks.members.coverage import coverage_table
from unionworks.members.models import Member, MembershipSpell
from unionworks.orgs.models import Org, Unit


@pytest.fixture
def tiny_province(db, monkeypatch, settings):
    monkeypatch.setenv("DEMO_PASSWORD", "Demo-Taiyuan-2008")
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("demo_province", scale="tiny", seed=11, stdout=StringIO(), stderr=StringIO())


def test_member_counts_at_end_2007_and_september_2008_follow_the_article(tiny_province):
    f = SCALES["tiny"].units / PROVINCE_UNITS
    root = Org.objects.get(parent__isnull=True)
    end_2007 = coverage_table(root, as_of=dt.date(2007, 12, 31))[0].figures
    sept_2008 = coverage_table(root, as_of=dt.date(2008, 9, 30))[0].figures
    assert end_2007["members"] == round(MEMBERS_2007 * f)
    assert sept_2008["members"] == round(MEMBERS_2008 * f)
    assert sept_2008["members_joined"] > 0 and sept_2008["migrant_members"] > 0


def test_no_person_in_two_unions_and_no_unit_with_more_members_than_employees(tiny_province):
    assert (
        not MembershipSpell.objects.filter(end__isnull=True)
        .values("member")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .exists()
    )
    assert MembershipSpell.objects.filter(end_reason="transfer_out").exists()
    for unit in Unit.objects.annotate(
        n=Count("members", filter=Q(members__status="active"))
    ).filter(n__gt=0):
        assert unit.n <= unit.employees
    active = Member.objects.filter(status="active").count()
    assert active == MembershipSpell.objects.filter(end__isnull=True).count()
