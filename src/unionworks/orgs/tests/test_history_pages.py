"""The history's pages: found a union, move it, merge or dissolve it, change a unit's
coverage, read an org's 沿革. An outsider gets 404 on each, a viewer 403."""

import datetime as dt

import pytest

from unionworks.core.tests.factories import OrgFactory, UnitFactory, login_as
from unionworks.members.models import Member
from unionworks.members.tests.factories import join
from unionworks.orgs.models import CoverageSpell, Org


@pytest.fixture
def place(world):
    world["shop"] = UnitFactory(
        name="坞城小店", org=world["township"], established_on=dt.date(2004, 1, 1)
    )
    world["second"] = OrgFactory(
        name="坞城第二工会", kind=Org.Kind.GRASSROOTS, parent=world["township"]
    )
    return world


def test_founding_a_union_through_the_page(client, place):
    login_as(client, place["taiyuan_admin"])
    page = client.get(f"/orgs/found/?parent={place['township'].pk}")
    assert page.status_code == 200
    assert "坞城小店" in page.content.decode() and "请选择" in page.content.decode()
    response = client.post(
        "/orgs/found/",
        {
            "name": "坞城小店工会", "parent": place["township"].pk, "form": "single",
            "founded_on": "2008-07-01", "chair": "王芳", "units": [place["shop"].pk],
        },
    )  # fmt: skip
    union = Org.objects.get(name="坞城小店工会")
    assert response.status_code == 302 and response["Location"] == f"/orgs/{union.pk}/"
    history = client.get(f"/orgs/{union.pk}/history/").content.decode()
    assert "组建" in history and "2008-07-01" in history and "坞城小店" in history
    refused = client.post(
        "/orgs/found/",
        {
            "name": "又一工会",
            "parent": place["township"].pk,
            "form": "joint",
            "founded_on": "2008-07-01",
        },
    )
    assert refused.status_code == 200
    assert "联合基层工会须覆盖两个及以上单位" in refused.content.decode()


def test_changing_a_units_coverage_through_the_page_keeps_the_old_spell(client, place):
    login_as(client, place["taiyuan_admin"])
    unit = place["taiyuan_unit"]
    response = client.post(
        f"/units/{unit.pk}/coverage/", {"union": place["second"].pk, "on": "2009-01-01"}
    )
    assert response.status_code == 302
    assert list(CoverageSpell.objects.filter(unit=unit).values_list("union_id", "end")) == [
        (place["grassroots"].pk, dt.date(2009, 1, 1)),
        (place["second"].pk, None),
    ]
    detail = client.get(f"/units/{unit.pk}/").content.decode()
    assert "覆盖记录" in detail and "改由其他工会覆盖" in detail


def test_editing_a_units_union_in_its_form_does_not_rewrite_the_past(client, place):
    login_as(client, place["taiyuan_admin"])
    unit = place["taiyuan_unit"]
    form = client.get(f"/units/{unit.pk}/edit/")
    data = {k: v for k, v in form.context["form"].initial.items() if v is not None}
    data.update(org=unit.org_id, union=place["second"].pk)
    response = client.post(f"/units/{unit.pk}/edit/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    first = CoverageSpell.objects.filter(unit=unit).order_by("start").first()
    assert first.union == place["grassroots"] and first.end == dt.date.today()


def test_merge_dissolve_and_move_through_the_pages(client, place):
    login_as(client, place["taiyuan_admin"])
    join(place["second"], on=dt.date(2008, 1, 1))
    merged = client.post(
        f"/members/unions/{place['second'].pk}/merge/",
        {"into": place["grassroots"].pk, "on": "2009-01-01"},
    )
    assert merged.status_code == 302
    assert Member.objects.get().org == place["grassroots"]
    refused = client.post(
        f"/members/unions/{place['grassroots'].pk}/dissolve/", {"on": "2009-02-01"}
    )
    assert "尚有1名会员" in refused.content.decode()
    county = OrgFactory(name="迎泽区总工会", kind=Org.Kind.COUNTY, parent=place["taiyuan"])
    moved = client.post(
        f"/orgs/{place['township'].pk}/move/", {"new_parent": county.pk, "on": "2009-03-01"}
    )
    assert moved.status_code == 302
    place["township"].refresh_from_db()
    assert place["township"].parent == county
    history = client.get(f"/orgs/{place['township'].pk}/history/").content.decode()
    assert "隶属关系调整" in history and "小店区总工会 → 迎泽区总工会" in history


def test_an_outsider_gets_404_and_a_viewer_403_on_every_history_page(client, place):
    union, unit = place["grassroots"], place["taiyuan_unit"]
    pages = [
        f"/orgs/{union.pk}/history/",
        f"/orgs/{union.pk}/move/",
        f"/units/{unit.pk}/coverage/",
        f"/members/unions/{union.pk}/dissolve/",
        f"/members/unions/{union.pk}/merge/",
    ]
    login_as(client, place["datong_editor"])
    for url in pages:
        assert client.get(url).status_code == 404, url
        if "history" not in url:
            assert client.post(url, {"on": "2009-01-01"}).status_code == 404, url
    assert client.get(f"/orgs/found/?parent={place['township'].pk}").status_code == 404
    login_as(client, place["taiyuan_viewer"])
    assert client.get(pages[0]).status_code == 200
    for url in pages[1:] + ["/orgs/found/"]:
        assert client.get(url).status_code == 403, url
