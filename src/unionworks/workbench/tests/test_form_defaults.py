"""Choices start at 请选择, not at a preselected value; a form reports every field's problem
in one round."""

import pytest
from django.urls import reverse

from unionworks.assistance.tests.factories import open_file
from unionworks.core.tests.factories import login_as


def _first_option(form, name):
    return list(form.fields[name].choices)[0]


@pytest.mark.parametrize(
    "url_name, fields",
    [
        ("orgs:unit_create", ["ownership", "industry"]),
        ("accounts:create", ["role"]),
        ("assistance:file_create", ["level"]),
        ("assistance:case_create", ["status"]),
        ("stats:targets", ["indicator"]),
    ],
)
def test_choices_start_at_please_choose(client, world, url_name, fields):
    login_as(client, world["province_admin"])
    response = client.get(reverse(url_name))
    form = response.context["form"]
    for name in fields:
        value, label = _first_option(form, name)
        assert value == "" and "请选择" in str(label), (url_name, name)
        assert not form[name].value(), (url_name, name)


def test_closing_a_file_starts_at_please_choose(client, world):
    file = open_file(world["xiaodian"])
    login_as(client, world["taiyuan_admin"])
    form = client.get(reverse("assistance:file_close", args=[file.pk])).context["form"]
    assert _first_option(form, "closing")[0] == ""


def test_every_field_is_checked_in_one_round(client, world):
    login_as(client, world["taiyuan_admin"])
    response = client.post(
        reverse("orgs:unit_create"),
        {"name": "", "credit_code": "123", "ownership": "", "industry": "", "employees": "-1"},
    )
    errors = response.context["form"].errors
    assert {"name", "credit_code", "ownership", "industry", "employees"} <= set(errors), errors


def test_a_join_reports_a_bad_id_number_with_the_other_fields(client, world):
    login_as(client, world["taiyuan_admin"])
    response = client.post(
        reverse("members:join"),
        {"org": "", "id_number": "140105198001010000", "name": "", "phone": "123", "joined_on": ""},
    )
    errors = response.context["form"].errors
    assert {"org", "id_number", "name", "phone", "joined_on"} <= set(errors), errors
    assert "校验" in errors["id_number"][0]


def test_a_hardship_file_reports_a_bad_id_number_with_the_other_fields(client, world):
    login_as(client, world["taiyuan_admin"])
    response = client.post(
        reverse("assistance:file_create"), {"id_number": "123", "name": "", "household_size": "0"}
    )
    errors = response.context["form"].errors
    assert {"id_number", "name", "household_size", "level"} <= set(errors), errors
