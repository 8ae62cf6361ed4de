"""The demo's people: a name that reads as their sex, and a sex that is their ID number's."""

import random
from io import StringIO

import pytest
from django.core.management import call_command

from unionworks.assistance.models import Disbursement, HardshipFile
from unionworks.core.idnumber import parse_id_number
from unionworks.demo.names import GIVEN_BY_SEX, SURNAMES, person_name
from unionworks.members.models import Member


def _reads_as(name: str, sex: str) -> bool:
    given = name[1:] if name[0] in SURNAMES else name
    return all(ch in GIVEN_BY_SEX[sex] for ch in given)


def test_a_name_for_a_sex_reads_as_that_sex():
    rng = random.Random(7)
    for _ in range(200):
        assert _reads_as(person_name(rng, "F"), "F")
        assert _reads_as(person_name(rng, "M"), "M")
    assert not set(GIVEN_BY_SEX["M"]) & set(GIVEN_BY_SEX["F"])


@pytest.fixture
def tiny_province(db, monkeypatch, settings):
    monkeypatch.setenv("DEMO_PASSWORD", "Demo-Taiyuan-2008")
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("demo_province", scale="tiny", seed=11, stdout=StringIO(), stderr=StringIO())


def test_the_demos_people_have_sexes_matching_names_and_id_numbers(tiny_province):
    for model in (Member, HardshipFile, Disbursement):
        people = list(model.objects.all()[:300])
        assert people, model
        for person in people:
            facts = parse_id_number(person.revealed_id_number())
            assert person.sex == facts.sex, (model, person.name)
            assert _reads_as(person.name, person.sex), (model, person.name, person.sex)
