"""Regressions from the scoping review: nothing about a person leaks beyond who may see it."""

import datetime as dt

import pytest
from django.contrib.auth.models import Permission

from unionworks.accounts.models import User
from unionworks.core.models import Task
from unionworks.core.tests.factories import OrgFactory, UserFactory, login_as
from unionworks.members.tests.factories import join, new_id_number
from unionworks.orgs.models import Org


@pytest.fixture(autouse=True)
def eager_tasks(settings, tmp_path):
    settings.TASKS_MODE = "eager"
    settings.MEDIA_ROOT = tmp_path


def full_export(client, actor, **data) -> Task:
    actor.user_permissions.add(Permission.objects.get(codename="view_personal_data"))
    login_as(client, actor)
    client.post("/members/export/", {"full": "1", **data})
    return Task.objects.latest("id")


def test_an_unmasked_export_is_downloaded_only_by_whoever_asked_for_it(client, world):
    join(world["grassroots"], id_number=new_id_number(), name="王建国", phone="13812345678")
    task = full_export(client, world["taiyuan_admin"])
    assert client.get(f"/tasks/{task.pk}/download/").status_code == 200
    login_as(client, world["taiyuan_viewer"])
    assert client.get(f"/tasks/{task.pk}/download/").status_code == 404
    assert (
        f"/tasks/{task.pk}/download/"
        not in client.get(f"/members/export/{task.pk}/").content.decode()
    )


def test_an_export_for_a_lower_org_is_not_downloadable_there(client, world):
    join(world["grassroots"], id_number=new_id_number(), name="王建国")
    task = full_export(client, world["province_admin"], org=world["xiaodian"].pk)
    login_as(client, UserFactory(org=world["xiaodian"], role=User.Role.ADMIN))
    assert client.get(f"/tasks/{task.pk}/download/").status_code == 404


def test_joining_does_not_name_a_union_outside_the_subtree(client, world):
    number = new_id_number()
    join(world["grassroots"], id_number=number, name="李明")
    datong_union = OrgFactory(
        name="大同煤矿工会", kind=Org.Kind.GRASSROOTS, parent=world["pingcheng"]
    )
    login_as(client, world["datong_editor"])
    payload = {
        "org": datong_union.pk,
        "id_number": number,
        "name": "李明",
        "joined_on": "2008-01-01",
    }
    detail = client.post("/api/v1/members/", payload, content_type="application/json").json()[
        "detail"
    ]
    assert "其他工会" in detail and "太原重型机械有限公司工会" not in detail
    page = client.post("/members/new/", payload).content.decode()
    assert "太原重型机械有限公司工会" not in page
    login_as(client, world["taiyuan_admin"])
    own = {**payload, "org": world["grassroots"].pk}
    assert (
        "太原重型机械有限公司工会"
        in client.post("/api/v1/members/", own, content_type="application/json").json()["detail"]
    )


def test_no_transfer_to_a_dissolved_union(client, world):
    member = join(world["grassroots"], name="李明")
    dissolved = OrgFactory(
        name="已撤销工会",
        kind=Org.Kind.GRASSROOTS,
        parent=world["pingcheng"],
        dissolved_on=dt.date(2005, 1, 1),
    )
    login_as(client, world["taiyuan_admin"])
    response = client.post(
        f"/api/v1/members/{member.pk}/transfers",
        {"to_org": dissolved.pk, "on": "2008-06-01"},
        content_type="application/json",
    )
    assert response.status_code == 400


def test_a_malformed_org_in_the_export_form_is_not_an_error_page(client, world):
    login_as(client, world["taiyuan_admin"])
    assert client.post("/members/export/", {"org": "abc"}).status_code == 404


def test_a_full_id_number_searched_for_stays_out_of_the_url(client, world):
    number = new_id_number()
    member = join(world["grassroots"], id_number=number, name="王建国")
    login_as(client, world["taiyuan_admin"])
    response = client.get("/members/", {"q": number})
    assert response.status_code == 302 and number not in response["Location"]
    page = client.get(response["Location"]).content.decode()
    assert f"/members/{member.pk}/" in page and number not in page
    partial = client.get("/members/", {"q": number}, HTTP_HX_REQUEST="true")
    assert partial.status_code == 200 and f"/members/{member.pk}/" in partial.content.decode()
    assert number not in partial["HX-Push-Url"] and "idx=" in partial["HX-Push-Url"]
