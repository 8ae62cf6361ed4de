import re

import pytest
from django.test import Client

from unionworks.core.creditcode import check_char
from unionworks.core.models import AuditEntry
from unionworks.core.tests.factories import UnitFactory, login_as
from unionworks.orgs.models import Unit

API = "/api/v1"


def valid_code(body: str = "MA0123456") -> str:
    first17 = f"91140105{body}"
    return first17 + check_char(first17)


def unit_payload(world, **overrides) -> dict:
    data = {
        "name": "太原钢铁集团有限公司",
        "credit_code": valid_code(),
        "ownership": "state",
        "industry": "C",
        "region_code": "140105",
        "org": world["township"].pk,
        "union": world["grassroots"].pk,
        "covered_since": "2008-05-01",
        "employees": 300,
        "migrant_workers": 120,
        "women_workers": 90,
        "address": "太原市小店区",
    }
    data.update(overrides)
    return data


@pytest.fixture
def as_user(client):
    def _as(user):
        return login_as(client, user)

    return _as


# --- schema and docs ----------------------------------------------------------------


def test_openapi_lists_every_endpoint(client):
    response = client.get(f"{API}/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert set(paths["/api/v1/orgs/"]) == {"get"}
    assert set(paths["/api/v1/orgs/{org_id}"]) == {"get"}
    assert set(paths["/api/v1/units/"]) == {"get", "post"}
    assert set(paths["/api/v1/units/{unit_id}"]) == {"get", "put", "patch", "delete"}
    schemes = response.json()["components"]["securitySchemes"]
    assert {"BearerToken", "SessionAuth"} <= set(schemes)


def test_docs_page_loads_swagger_from_our_own_static_files(client):
    response = client.get(f"{API}/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert "/static/ninja/swagger-ui-bundle.js" in assets
    assert "/static/ninja/swagger-ui.css" in assets
    assert all(url.startswith("/static/") for url in assets), assets
    # No host anywhere: not in the assets, and the online spec validator is off.
    assert not re.search(r"(https?:)?//", html)
    assert '"validatorUrl": null' in html
    assert client.get("/static/ninja/swagger-ui-bundle.js").status_code == 200


def test_api_needs_authentication(client, world):
    response = client.get(f"{API}/units/")
    assert response.status_code == 401
    assert "未登录" in response.json()["detail"]


# --- orgs -----------------------------------------------------------------------------


def test_org_list_is_the_users_subtree_with_total(as_user, world):
    client = as_user(world["taiyuan_admin"])
    body = client.get(f"{API}/orgs/").json()
    names = [o["name"] for o in body["items"]]
    assert names == ["太原市总工会", "小店区总工会", "坞城街道工会", "太原重型机械有限公司工会"]
    assert body["count"] == 4
    # The root's parent (the province) is outside the subtree: not named.
    assert body["items"][0]["parent"] is None
    assert body["items"][1]["parent"] == world["taiyuan"].pk


def test_org_list_filters(as_user, world):
    client = as_user(world["taiyuan_admin"])
    by_parent = client.get(f"{API}/orgs/", {"parent": world["xiaodian"].pk}).json()
    assert [o["name"] for o in by_parent["items"]] == ["坞城街道工会"]
    by_kind = client.get(f"{API}/orgs/", {"kind": "grassroots"}).json()
    assert [o["id"] for o in by_kind["items"]] == [world["grassroots"].pk]
    by_name = client.get(f"{API}/orgs/", {"q": "小店"}).json()
    assert [o["id"] for o in by_name["items"]] == [world["xiaodian"].pk]
    assert client.get(f"{API}/orgs/", {"kind": "nonsense"}).status_code == 422


def test_org_list_never_shows_another_city(as_user, world):
    client = as_user(world["datong_editor"])
    names = {o["name"] for o in client.get(f"{API}/orgs/").json()["items"]}
    assert names == {"大同市总工会", "平城区总工会"}
    response = client.get(f"{API}/orgs/", {"parent": world["taiyuan"].pk})
    assert response.status_code == 404


def test_org_detail_has_subtree_counts(as_user, world):
    client = as_user(world["taiyuan_admin"])
    response = client.get(f"{API}/orgs/{world['taiyuan'].pk}")
    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "太原市总工会"
    assert body["kind"] == "city"
    assert body["kind_display"] == "市总工会"
    assert body["counts"] == {"orgs": 3, "grassroots": 1, "units": 1}


def test_org_outside_the_subtree_is_not_found(as_user, world):
    client = as_user(world["datong_editor"])
    response = client.get(f"{API}/orgs/{world['taiyuan'].pk}")
    assert response.status_code == 404
    assert response.json()["detail"] == "未找到该记录"


# --- units: reads ---------------------------------------------------------------------


def test_unit_list_in_scope(as_user, world):
    client = as_user(world["taiyuan_admin"])
    body = client.get(f"{API}/units/").json()
    assert body["count"] == 1
    (unit,) = body["items"]
    assert unit["name"] == "太原重型机械有限公司"
    assert unit["org"] == world["township"].pk
    assert unit["org_name"] == "坞城街道工会"
    assert unit["union"] == world["grassroots"].pk
    assert unit["ownership_display"] == "私营"


def test_unit_list_of_outsider_never_contains_taiyuan_units(as_user, world):
    client = as_user(world["datong_editor"])
    UnitFactory.create_batch(3, org=world["township"])
    body = client.get(f"{API}/units/", {"limit": 500}).json()
    assert [u["name"] for u in body["items"]] == ["大同煤矿集团有限责任公司"]
    assert body["count"] == 1
    assert client.get(f"{API}/units/", {"q": "太原"}).json()["count"] == 0
    assert client.get(f"{API}/units/", {"org": world["township"].pk}).status_code == 404


def test_unit_list_filters_like_the_page(as_user, world):
    client = as_user(world["province_admin"])
    state = UnitFactory(
        name="晋能控股集团", org=world["pingcheng"], ownership="state", industry="B"
    )
    code_prefix = world["taiyuan_unit"].credit_code[:10]

    def ids(**params):
        return [u["id"] for u in client.get(f"{API}/units/", params).json()["items"]]

    assert ids(q="晋能") == [state.pk]
    assert ids(q=code_prefix.lower()) == [world["taiyuan_unit"].pk]
    assert ids(ownership="state") == [state.pk]
    assert ids(industry="B") == [state.pk]
    assert ids(org=world["taiyuan"].pk) == [world["taiyuan_unit"].pk]
    assert set(ids(region_code="1401")) == {u.pk for u in Unit.objects.all()}


def test_unit_list_pagination_counts_the_whole_match(as_user, world):
    client = as_user(world["taiyuan_admin"])
    UnitFactory.create_batch(6, org=world["township"])
    first = client.get(f"{API}/units/", {"limit": 3, "offset": 0}).json()
    last = client.get(f"{API}/units/", {"limit": 3, "offset": 6}).json()
    assert first["count"] == last["count"] == 7
    assert (first["limit"], first["offset"]) == (3, 0)
    assert len(first["items"]) == 3 and len(last["items"]) == 1
    everything = client.get(f"{API}/units/", {"limit": 3, "offset": 3}).json()["items"]
    seen = [u["id"] for u in first["items"] + everything + last["items"]]
    assert len(set(seen)) == 7
    assert client.get(f"{API}/units/", {"limit": 0}).status_code == 422


def test_unit_detail_in_scope_and_out(as_user, world):
    unit = world["taiyuan_unit"]
    response = as_user(world["taiyuan_viewer"]).get(f"{API}/units/{unit.pk}")
    assert response.status_code == 200
    assert response.json()["credit_code"] == unit.credit_code
    response = as_user(world["datong_editor"]).get(f"{API}/units/{unit.pk}")
    assert response.status_code == 404


# --- units: writes --------------------------------------------------------------------


def test_create_unit(as_user, world):
    client = as_user(world["taiyuan_admin"])
    response = client.post(f"{API}/units/", unit_payload(world), content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    unit = Unit.objects.get(pk=body["id"])
    assert unit.name == "太原钢铁集团有限公司"
    assert unit.org == world["township"] and unit.union == world["grassroots"]
    assert str(unit.covered_since) == "2008-05-01"
    entry = AuditEntry.objects.get(model="orgs.unit", object_id=str(unit.pk))
    assert entry.action == "create" and entry.actor == world["taiyuan_admin"]


def test_create_unit_with_a_wrong_check_character_is_refused_in_chinese(as_user, world):
    client = as_user(world["taiyuan_admin"])
    code = valid_code()
    wrong = code[:17] + ("0" if code[17] != "0" else "1")
    response = client.post(
        f"{API}/units/", unit_payload(world, credit_code=wrong), content_type="application/json"
    )
    assert response.status_code == 400
    assert "校验" in response.json()["detail"]
    assert response.json()["field"] == "credit_code"
    assert not Unit.objects.filter(credit_code=wrong).exists()
    assert not AuditEntry.objects.filter(action="create").exists()


def test_create_unit_bad_input_names_the_field(as_user, world):
    client = as_user(world["taiyuan_admin"])
    response = client.post(
        f"{API}/units/", unit_payload(world, employees=-1), content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["field"] == "employees"
    assert "不能小于0" in response.json()["detail"]
    response = client.post(
        f"{API}/units/", unit_payload(world, ownership="nonsense"), content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["field"] == "ownership"
    assert Unit.objects.count() == 2


def test_create_unit_in_an_org_outside_the_subtree_does_not_leak(as_user, world):
    client = as_user(world["taiyuan_admin"])
    outside = client.post(
        f"{API}/units/",
        unit_payload(world, org=world["pingcheng"].pk),
        content_type="application/json",
    )
    missing = client.post(
        f"{API}/units/", unit_payload(world, org=999999), content_type="application/json"
    )
    assert outside.status_code == missing.status_code == 400
    assert outside.json() == missing.json()
    assert outside.json()["field"] == "org"
    union_outside = client.post(
        f"{API}/units/",
        unit_payload(world, union=world["pingcheng"].pk),
        content_type="application/json",
    )
    assert union_outside.status_code == 400
    assert union_outside.json()["field"] == "union"
    assert Unit.objects.count() == 2


def test_replace_unit(as_user, world):
    client = as_user(world["taiyuan_admin"])
    unit = world["taiyuan_unit"]
    payload = unit_payload(world, name="太原重工股份有限公司", credit_code=unit.credit_code)
    payload["union"] = None
    response = client.put(f"{API}/units/{unit.pk}", payload, content_type="application/json")
    assert response.status_code == 200, response.content
    unit.refresh_from_db()
    assert unit.name == "太原重工股份有限公司" and unit.union is None
    entry = AuditEntry.objects.get(model="orgs.unit", object_id=str(unit.pk))
    assert entry.action == "update"
    assert entry.changes["单位名称"] == ["太原重型机械有限公司", "太原重工股份有限公司"]


def test_patch_unit_changes_only_what_is_sent(as_user, world):
    client = as_user(world["taiyuan_admin"])
    unit = world["taiyuan_unit"]
    response = client.patch(
        f"{API}/units/{unit.pk}", {"employees": 150}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    unit.refresh_from_db()
    assert unit.employees == 150 and unit.name == "太原重型机械有限公司"
    assert unit.union == world["grassroots"]
    assert AuditEntry.objects.filter(object_id=str(unit.pk), action="update").count() == 1
    response = client.patch(
        f"{API}/units/{unit.pk}", {"ownership": None}, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json() == {"detail": "经济类型不能为空", "field": "ownership"}
    response = client.patch(
        f"{API}/units/{unit.pk}", {"migrant_workers": 151}, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["field"] == "migrant_workers"
    unit.refresh_from_db()
    assert unit.migrant_workers == 20


def test_delete_unit(as_user, world):
    client = as_user(world["taiyuan_admin"])
    unit = world["taiyuan_unit"]
    response = client.delete(f"{API}/units/{unit.pk}")
    assert response.status_code == 204
    assert not Unit.objects.filter(pk=unit.pk).exists()
    entry = AuditEntry.objects.get(model="orgs.unit", object_id=str(unit.pk))
    assert entry.action == "delete"


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_outsider_cannot_write_a_taiyuan_unit(as_user, world, method):
    client = as_user(world["datong_editor"])
    unit = world["taiyuan_unit"]
    payload = unit_payload(world, org=world["pingcheng"].pk, union=None)
    response = getattr(client, method)(
        f"{API}/units/{unit.pk}", payload, content_type="application/json"
    )
    assert response.status_code == 404
    assert Unit.objects.get(pk=unit.pk).name == "太原重型机械有限公司"
    assert not AuditEntry.objects.exists()


def test_viewer_cannot_write(as_user, world):
    client = as_user(world["taiyuan_viewer"])
    unit = world["taiyuan_unit"]
    created = client.post(f"{API}/units/", unit_payload(world), content_type="application/json")
    replaced = client.put(
        f"{API}/units/{unit.pk}",
        unit_payload(world, credit_code=unit.credit_code),
        content_type="application/json",
    )
    patched = client.patch(
        f"{API}/units/{unit.pk}", {"employees": 1}, content_type="application/json"
    )
    deleted = client.delete(f"{API}/units/{unit.pk}")
    assert [r.status_code for r in (created, replaced, patched, deleted)] == [403] * 4
    assert "只能查看" in created.json()["detail"]
    assert Unit.objects.count() == 2
    assert not AuditEntry.objects.exists()


# --- session CSRF ---------------------------------------------------------------------


def test_session_writes_need_the_csrf_token(world):
    client = login_as(Client(enforce_csrf_checks=True), world["taiyuan_admin"])
    unit = world["taiyuan_unit"]
    refused = client.patch(
        f"{API}/units/{unit.pk}", {"employees": 150}, content_type="application/json"
    )
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["detail"]
    # Reads need no token; the docs page hands out the cookie and the token.
    assert client.get(f"{API}/units/{unit.pk}").status_code == 200
    client.get(f"{API}/docs")
    token = client.cookies["csrftoken"].value
    accepted = client.patch(
        f"{API}/units/{unit.pk}",
        {"employees": 150},
        content_type="application/json",
        headers={"X-CSRFToken": token},
    )
    assert accepted.status_code == 200
