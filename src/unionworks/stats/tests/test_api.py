import datetime as dt

from unionworks.core.tests.factories import login_as
from unionworks.members.tests.factories import join


def test_indicator_catalogue_lists_the_registered_indicators(client, world):
    login_as(client, world["taiyuan_viewer"])
    body = client.get("/api/v1/indicators/").json()
    members = next(i for i in body if i["code"] == "members")
    assert members["name"] == "会员数" and "foundation" in members["projects"]
    rate = next(i for i in body if i["code"] == "coverage_rate")
    assert (rate["measure"], rate["numerator"], rate["denominator"]) == (
        "ratio",
        "units_covered",
        "units",
    )


def test_values_for_the_org_and_its_children(client, world):
    join(world["grassroots"], on=dt.date(2008, 3, 1))
    login_as(client, world["province_admin"])
    body = client.get("/api/v1/values/?period=2008Q1&indicators=members,members_joined").json()
    assert body["period_label"] == "2008年第1季度"
    assert [(r["name"], r["values"]["members"]) for r in body["rows"]] == [
        ("山西省总工会", 1),
        ("太原市总工会", 1),
        ("大同市总工会", 0),
    ]


def test_values_refuse_bad_period_and_unknown_indicator(client, world):
    login_as(client, world["province_admin"])
    assert (
        "2008Q3" in client.get("/api/v1/values/?period=2008Q9&indicators=members").json()["detail"]
    )
    response = client.get("/api/v1/values/?period=2008&indicators=nonsense")
    assert response.status_code == 400 and "nonsense" in response.json()["detail"]


def test_outsider_gets_404_on_values_and_completion_of_another_city(client, world):
    login_as(client, world["datong_editor"])
    taiyuan = world["taiyuan"].pk
    assert (
        client.get(f"/api/v1/values/?org={taiyuan}&period=2008&indicators=members").status_code
        == 404
    )
    assert client.get(f"/api/v1/targets/completion/?year=2008&org={taiyuan}").status_code == 404


def test_targets_set_listed_and_completed_through_the_api(client, world):
    join(world["grassroots"], on=dt.date(2008, 3, 1))
    login_as(client, world["province_admin"])
    response = client.post(
        "/api/v1/targets/",
        {"org": world["taiyuan"].pk, "year": 2008, "indicator": "members_joined", "value": "2"},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert client.get("/api/v1/targets/?year=2008").json()["count"] == 1
    rows = client.get("/api/v1/targets/completion/?year=2008").json()
    assert rows[0]["actual"] == 1 and rows[0]["rate"] == 0.5
    login_as(client, world["datong_editor"])
    assert client.get("/api/v1/targets/").json()["count"] == 0


def test_viewer_cannot_set_targets_through_the_api(client, world):
    login_as(client, world["taiyuan_viewer"])
    response = client.post(
        "/api/v1/targets/",
        {"org": world["xiaodian"].pk, "year": 2008, "indicator": "members", "value": "2"},
        content_type="application/json",
    )
    assert response.status_code == 403
