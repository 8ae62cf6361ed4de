import datetime as dt

import pytest
from django.contrib.auth.models import Permission

from unionworks.core.models import AuditEntry
from unionworks.core.tests.factories import OrgFactory, login_as
from unionworks.members.models import Member
from unionworks.members.tests.factories import join, new_id_number
from unionworks.orgs.models import Org


@pytest.fixture
def roll(world):
    datong_union = OrgFactory(
        name="大同煤矿工会", kind=Org.Kind.GRASSROOTS, parent=world["pingcheng"]
    )
    member = join(world["grassroots"], name="李明", phone="13812345678", on=dt.date(2007, 3, 1))
    return {**world, "member": member, "datong_union": datong_union}


def test_list_and_detail_show_masked_data_only(client, roll):
    login_as(client, roll["taiyuan_admin"])
    body = client.get("/api/v1/members/?q=lm").json()
    assert body["count"] == 1
    item = body["items"][0]
    assert item["name"] == "李明" and "*" in item["id_number"] and item["phone"] == "138****5678"
    detail = client.get(f"/api/v1/members/{roll['member'].pk}").json()
    assert detail["spells"][0]["start"] == "2007-03-01"


def test_outsider_gets_404_and_never_lists_the_member(client, roll):
    login_as(client, roll["datong_editor"])
    pk = roll["member"].pk
    assert client.get(f"/api/v1/members/{pk}").status_code == 404
    assert (
        client.post(
            f"/api/v1/members/{pk}/leave", {"on": "2008-01-01"}, content_type="application/json"
        ).status_code
        == 404
    )
    assert client.post(f"/api/v1/members/{pk}/reveal").status_code == 404
    assert (
        client.post(
            f"/api/v1/members/{pk}/transfers",
            {"to_org": roll["datong_union"].pk, "on": "2008-01-01"},
            content_type="application/json",
        ).status_code
        == 404
    )
    assert client.get("/api/v1/members/").json()["count"] == 0


def test_viewer_cannot_write(client, roll):
    login_as(client, roll["taiyuan_viewer"])
    payload = {
        "org": roll["grassroots"].pk,
        "id_number": new_id_number(),
        "name": "王五",
        "joined_on": "2008-01-01",
    }
    assert (
        client.post("/api/v1/members/", payload, content_type="application/json").status_code == 403
    )
    assert (
        client.post(
            f"/api/v1/members/{roll['member'].pk}/leave",
            {"on": "2008-01-01"},
            content_type="application/json",
        ).status_code
        == 403
    )


def test_join_refuses_a_bad_id_number_with_a_chinese_reason(client, roll):
    login_as(client, roll["taiyuan_admin"])
    payload = {
        "org": roll["grassroots"].pk,
        "id_number": "140502198704020551",
        "name": "王五",
        "joined_on": "2008-01-01",
    }
    response = client.post("/api/v1/members/", payload, content_type="application/json")
    assert response.status_code == 400
    assert "校验" in response.json()["detail"] and response.json()["field"] == "id_number"


def test_join_into_another_citys_union_is_refused_without_naming_it(client, roll):
    login_as(client, roll["taiyuan_admin"])
    payload = {
        "org": roll["datong_union"].pk,
        "id_number": new_id_number(),
        "name": "王五",
        "joined_on": "2008-01-01",
    }
    response = client.post("/api/v1/members/", payload, content_type="application/json")
    assert response.status_code == 400 and "不存在" in response.json()["detail"]


def test_transfer_across_cities_through_the_api(client, roll):
    login_as(client, roll["taiyuan_admin"])
    pk = roll["member"].pk
    response = client.post(
        f"/api/v1/members/{pk}/transfers",
        {"to_org": roll["datong_union"].pk, "on": "2008-06-01"},
        content_type="application/json",
    )
    assert response.status_code == 201
    transfer_id = response.json()["id"]
    assert (
        client.post(
            f"/api/v1/transfers/{transfer_id}/accept",
            {"on": "2008-06-02"},
            content_type="application/json",
        ).status_code
        == 400
    )
    login_as(client, roll["datong_editor"])
    assert client.get("/api/v1/transfers/?status=pending").json()["count"] == 1
    assert (
        client.post(
            f"/api/v1/transfers/{transfer_id}/accept",
            {"on": "2008-06-02"},
            content_type="application/json",
        ).status_code
        == 200
    )
    assert Member.objects.get(pk=pk).org == roll["datong_union"]
    assert client.get(f"/api/v1/members/{pk}").status_code == 200


def test_reveal_needs_the_permission_and_is_logged(client, roll):
    admin = roll["taiyuan_admin"]
    login_as(client, admin)
    url = f"/api/v1/members/{roll['member'].pk}/reveal"
    refused = client.post(url)
    assert refused.status_code == 403 and "权限" in refused.json()["detail"]
    admin.user_permissions.add(Permission.objects.get(codename="view_personal_data"))
    response = client.post(url)
    assert response.status_code == 200 and response.json()["phone"] == "13812345678"
    assert "no-store" in response["Cache-Control"]
    assert AuditEntry.objects.filter(action="view").count() == 1


def test_coverage_endpoint_rows_and_scope(client, roll):
    login_as(client, roll["taiyuan_admin"])
    body = client.get("/api/v1/coverage/?as_of=2008-09-30").json()
    assert [r["name"] for r in body["rows"]] == ["太原市总工会", "小店区总工会"]
    assert body["rows"][0]["members"] == 1
    assert client.get(f"/api/v1/coverage/?org={roll['datong'].pk}").status_code == 404
