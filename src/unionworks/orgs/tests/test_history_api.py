"""The history over JSON: founding, moving, dissolving and merging unions and a unit's
coverage spells, scoped like the pages (an outsider gets 404, a viewer 403)."""

import datetime as dt

import pytest

from unionworks.core.tests.factories import OrgFactory, UnitFactory, UserFactory, login_as
from unionworks.members.models import Member
from unionworks.members.tests.factories import join
from unionworks.orgs.models import CoverageSpell, Org, OrgEvent
from unionworks.orgs.tests.test_api import unit_payload

API = "/api/v1"
JSON = "application/json"


@pytest.fixture
def api(client):
    def as_user(user):
        login_as(client, user)
        return client

    return as_user


@pytest.fixture
def place(world):
    shop = UnitFactory(name="坞城小店", org=world["township"], established_on=dt.date(2004, 1, 1))
    cafe = UnitFactory(name="坞城餐馆", org=world["township"], established_on=dt.date(2004, 1, 1))
    return {"shop": shop, "cafe": cafe, **world}


def found(api, user, place, **overrides):
    body = {
        "name": "坞城联合基层工会",
        "parent": place["township"].pk,
        "form": "joint",
        "founded_on": "2008-07-01",
        "chair": "李明",
        "units": [place["shop"].pk, place["cafe"].pk],
        **overrides,
    }
    return api(user).post(f"{API}/unions/", body, content_type=JSON)


def test_a_county_founds_a_union_and_sees_it_with_its_history(api, place):
    county = UserFactory(org=place["xiaodian"], role="editor")
    response = found(api, county, place)
    assert response.status_code == 201, response.json()
    union = Org.objects.get(pk=response.json()["id"])
    assert response.json()["form"] == "joint" and union.founded_on == dt.date(2008, 7, 1)
    events = api(county).get(f"{API}/orgs/{union.pk}/events").json()
    assert [(e["kind_display"], e["on"]) for e in events] == [("组建", "2008-07-01")]
    spells = api(county).get(f"{API}/units/{place['shop'].pk}/coverage").json()
    assert [(s["union_name"], s["start"], s["end"]) for s in spells] == [
        ("坞城联合基层工会", "2008-07-01", None)
    ]
    listed = api(county).get(f"{API}/orgs/", {"kind": "grassroots"}).json()["items"]
    assert union.pk in [o["id"] for o in listed]


def test_founding_refusals_name_the_field(api, place):
    response = found(api, place["taiyuan_admin"], place, units=[place["shop"].pk])
    assert response.status_code == 400
    assert response.json() == {
        "detail": "联合基层工会须覆盖两个及以上单位",
        "field": "units",
    }
    # A unit outside the caller's subtree reads as "no such unit".
    response = found(
        api, place["taiyuan_admin"], place, units=[place["shop"].pk, place["datong_unit"].pk]
    )
    assert response.status_code == 400 and response.json()["field"] == "units"


def test_coverage_changes_as_a_dated_spell_and_keeps_the_past(api, place):
    unit = place["taiyuan_unit"]
    other = OrgFactory(name="坞城第二工会", kind=Org.Kind.GRASSROOTS, parent=place["township"])
    response = api(place["taiyuan_admin"]).post(
        f"{API}/units/{unit.pk}/coverage",
        {"union": other.pk, "on": "2009-06-01"},
        content_type=JSON,
    )
    assert response.status_code == 200, response.json()
    assert response.json()["union"] == other.pk
    spells = api(place["taiyuan_admin"]).get(f"{API}/units/{unit.pk}/coverage").json()
    assert [(s["union"], s["end"], s["end_reason_display"]) for s in spells] == [
        (place["grassroots"].pk, "2009-06-01", "改由其他工会覆盖"),
        (other.pk, None, ""),
    ]
    # PATCH with a new union starts a spell too (today), never rewriting the first.
    patch = api(place["taiyuan_admin"]).patch(
        f"{API}/units/{unit.pk}", {"union": place["grassroots"].pk}, content_type=JSON
    )
    assert patch.status_code == 200
    assert CoverageSpell.objects.filter(unit=unit).count() == 3


def test_a_unit_registered_through_the_api_exists_from_its_dates(api, place):
    body = unit_payload(place, union=None, covered_since=None)
    response = api(place["taiyuan_admin"]).post(f"{API}/units/", body, content_type=JSON)
    assert response.status_code == 201
    assert response.json()["established_on"] == dt.date.today().isoformat()
    closed = api(place["taiyuan_admin"]).patch(
        f"{API}/units/{response.json()['id']}", {"closed_on": "2000-01-01"}, content_type=JSON
    )
    assert closed.status_code == 400 and closed.json()["field"] == "closed_on"


def test_move_dissolve_and_merge_through_the_api(api, place):
    admin = place["taiyuan_admin"]
    second = OrgFactory(name="坞城第二工会", kind=Org.Kind.GRASSROOTS, parent=place["township"])
    join(second, on=dt.date(2008, 1, 1))
    merged = api(admin).post(
        f"{API}/orgs/{second.pk}/merge",
        {"into": place["grassroots"].pk, "on": "2009-01-01"},
        content_type=JSON,
    )
    assert merged.status_code == 200, merged.json()
    assert Member.objects.get().org == place["grassroots"]
    empty = OrgFactory(name="空工会", kind=Org.Kind.GRASSROOTS, parent=place["township"])
    dissolved = api(admin).post(
        f"{API}/orgs/{empty.pk}/dissolve", {"on": "2009-01-01"}, content_type=JSON
    )
    assert dissolved.status_code == 200 and dissolved.json()["dissolved_on"] == "2009-01-01"
    refused = api(admin).post(
        f"{API}/orgs/{place['grassroots'].pk}/dissolve", {"on": "2009-02-01"}, content_type=JSON
    )
    assert refused.status_code == 400 and "尚有1名会员" in refused.json()["detail"]
    county = OrgFactory(name="迎泽区总工会", kind=Org.Kind.COUNTY, parent=place["taiyuan"])
    moved = api(admin).post(
        f"{API}/orgs/{place['township'].pk}/move",
        {"parent": county.pk, "on": "2009-03-01"},
        content_type=JSON,
    )
    assert moved.status_code == 200 and moved.json()["parent"] == county.pk
    assert OrgEvent.objects.filter(kind="moved").count() == 1


def test_an_outsider_gets_404_and_a_viewer_403(api, place):
    outsider, viewer = place["datong_editor"], place["taiyuan_viewer"]
    unit, union = place["taiyuan_unit"], place["grassroots"]
    calls = [
        ("get", f"{API}/units/{unit.pk}/coverage", None),
        ("post", f"{API}/units/{unit.pk}/coverage", {"union": None, "on": "2009-01-01"}),
        ("get", f"{API}/orgs/{union.pk}/events", None),
        (
            "post",
            f"{API}/orgs/{union.pk}/move",
            {"parent": place["xiaodian"].pk, "on": "2009-01-01"},
        ),
        ("post", f"{API}/orgs/{union.pk}/dissolve", {"on": "2009-01-01"}),
        ("post", f"{API}/orgs/{union.pk}/merge", {"into": union.pk, "on": "2009-01-01"}),
    ]
    for method, url, body in calls:
        client = api(outsider)
        response = client.get(url) if method == "get" else client.post(url, body, content_type=JSON)
        assert response.status_code == 404, (url, response.status_code)
    for method, url, body in calls:
        if method == "post":
            assert api(viewer).post(url, body, content_type=JSON).status_code == 403, url
    assert found(api, outsider, place).status_code == 400
    assert found(api, viewer, place).status_code == 403
    assert not Org.objects.filter(name="坞城联合基层工会").exists()
