"""The target page: set a target for a level below, see its completion, behind-target first."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from unionworks.core.models import AuditEntry
from unionworks.core.tests.factories import login_as
from unionworks.members.tests.factories import join, new_id_number
from unionworks.stats.models import Target

pytestmark = pytest.mark.django_db

URL = reverse("stats:targets")


def target_form(world, **over) -> dict:
    data = {
        "org": world["xiaodian"].pk,
        "indicator": "members_joined",
        "value": "10",
        "year": "2008",
    }
    data.update(over)
    return data


def test_in_scope_user_opens_the_page_for_any_offered_year(client, world):
    login_as(client, world["taiyuan_admin"])
    assert client.get(URL).status_code == 200
    assert client.get(URL, {"year": "2008"}).context["year"] == 2008
    assert client.get(URL, {"year": "1800"}).context["year"] == dt.date.today().year


def test_setting_a_target_shows_its_completion(client, world):
    join(world["grassroots"], on=dt.date(2008, 3, 1))
    join(world["grassroots"], id_number=new_id_number(), on=dt.date(2007, 3, 1))
    login_as(client, world["taiyuan_admin"])
    response = client.post(URL, target_form(world))
    assert response.status_code == 302
    assert response["Location"] == f"{URL}?year=2008"
    target = Target.objects.get()
    assert (target.org, target.year, target.value) == (world["xiaodian"], 2008, Decimal("10.00"))
    assert AuditEntry.objects.filter(model="stats.target").count() == 1
    page = client.get(URL, {"year": "2008"})
    [row] = page.context["rows"]
    assert row["item"].actual == 1 and row["rate"] == "10.0%" and row["behind"]
    body = page.content.decode()
    assert "小店区总工会" in body and "10.0%" in body and "未完成" in body


def test_behind_target_rows_come_first(client, world):
    join(world["grassroots"], on=dt.date(2008, 3, 1))
    login_as(client, world["taiyuan_admin"])
    client.post(URL, target_form(world, value="1"))
    client.post(URL, target_form(world, org=world["township"].pk, value="4"))
    rows = client.get(URL, {"year": "2008"}).context["rows"]
    assert [(r["item"].org_name, r["rate"], r["behind"]) for r in rows] == [
        ("坞城街道工会", "25.0%", True),
        ("小店区总工会", "100.0%", False),
    ]


def test_a_target_for_the_own_org_is_refused_next_to_the_field(client, world):
    login_as(client, world["taiyuan_admin"])
    response = client.post(URL, target_form(world, org=world["taiyuan"].pk))
    assert response.status_code == 200
    assert response.context["form"].errors["org"] == ["只能为下级组织下达任务指标"]
    assert not Target.objects.exists()


def test_a_negative_value_is_refused_next_to_the_field(client, world):
    login_as(client, world["taiyuan_admin"])
    response = client.post(URL, target_form(world, value="-3"))
    assert response.context["form"].errors["value"] == ["目标值不能为负数"]
    assert not Target.objects.exists()


def test_an_outsider_cannot_set_a_target_for_another_city(client, world):
    login_as(client, world["datong_editor"])
    response = client.post(URL, target_form(world))
    assert "org" in response.context["form"].errors
    assert not Target.objects.exists()
    Target.objects.create(org=world["xiaodian"], year=2008, indicator="members_joined", value=5)
    assert client.get(URL, {"year": "2008"}).context["rows"] == []


def test_viewer_sees_completion_but_no_form_and_cannot_post(client, world):
    Target.objects.create(org=world["xiaodian"], year=2008, indicator="members_joined", value=5)
    login_as(client, world["taiyuan_viewer"])
    page = client.get(URL, {"year": "2008"})
    assert len(page.context["rows"]) == 1
    assert "下达任务指标" not in page.content.decode()
    assert client.post(URL, target_form(world, value="7")).status_code == 403
    assert Target.objects.get().value == 5


def test_a_rate_target_is_shown_in_percent(client, world):
    Target.objects.create(org=world["xiaodian"], year=2008, indicator="coverage_rate", value=90)
    login_as(client, world["taiyuan_admin"])
    [row] = client.get(URL, {"year": "2008"}).context["rows"]
    assert (row["actual"], row["rate"], row["behind"]) == ("100.0%", "111.1%", False)
    assert "90%" in client.get(URL, {"year": "2008"}).content.decode()
