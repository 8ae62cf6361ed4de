"""The organisation and unit pages: in scope 200, out of scope 404, viewers read only,
and every write through the pages leaves exactly one audit entry."""

import random

import pytest
from django.urls import reverse

from unionworks.core.creditcode import make_credit_code
from unionworks.core.models import AuditEntry
from unionworks.core.tests.factories import OrgFactory, UnitFactory, login_as
from unionworks.orgs.models import Org, Unit

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def unit_form(world, **over) -> dict:
    data = {
        "name": "太原钢铁集团有限公司",
        "credit_code": make_credit_code(random.Random(11), region_code="140105"),
        "ownership": "state",
        "industry": "C",
        "region_code": "140105",
        "org": world["township"].pk,
        "union": world["grassroots"].pk,
        "covered_since": "2008-05-01",
        "employees": "500",
        "migrant_workers": "50",
        "women_workers": "120",
        "address": "太原市小店区",
    }
    data.update(over)
    return data


def page_urls(world) -> list[str]:
    """Every read page about a Taiyuan record."""
    unit = world["taiyuan_unit"]
    return [
        reverse("orgs:detail", args=[world["xiaodian"].pk]),
        reverse("orgs:unit_detail", args=[unit.pk]),
        reverse("orgs:unit_edit", args=[unit.pk]),
        reverse("orgs:unit_delete", args=[unit.pk]),
        reverse("orgs:unit_list") + f"?org={world['xiaodian'].pk}",
    ]


# ---- access ------------------------------------------------------------------------


def test_anonymous_is_sent_to_login(client, world):
    for url in ["/", "/orgs/", "/units/", reverse("orgs:detail", args=[world["taiyuan"].pk])]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")


def test_in_scope_user_opens_every_page(client, world):
    login_as(client, world["taiyuan_admin"])
    for url in ["/", "/orgs/", "/units/", reverse("orgs:unit_create"), *page_urls(world)]:
        assert client.get(url).status_code == 200, url


def test_outsider_gets_404_on_every_page_about_a_record(client, world):
    login_as(client, world["datong_editor"])
    for url in page_urls(world):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "页面不存在" in response.content.decode()
    children = reverse("orgs:children", args=[world["xiaodian"].pk])
    assert client.get(children, **HTMX).status_code == 404
    unit = world["taiyuan_unit"]
    for name in ("orgs:unit_edit", "orgs:unit_delete"):
        response = client.post(reverse(name, args=[unit.pk]), unit_form(world))
        assert response.status_code == 404
    assert Unit.objects.filter(pk=unit.pk, name="太原重型机械有限公司").exists()
    assert not AuditEntry.objects.exists()


def test_viewer_reads_but_sees_no_write_buttons(client, world):
    login_as(client, world["taiyuan_viewer"])
    unit = world["taiyuan_unit"]
    for url in [
        "/units/",
        reverse("orgs:unit_detail", args=[unit.pk]),
        reverse("orgs:detail", args=[world["township"].pk]),
    ]:
        response = client.get(url)
        assert response.status_code == 200
        html = response.content.decode()
        assert "太原重型机械有限公司" in html
        assert reverse("orgs:unit_create") not in html
        assert reverse("orgs:unit_edit", args=[unit.pk]) not in html
        assert reverse("orgs:unit_delete", args=[unit.pk]) not in html


def test_viewer_cannot_write_through_the_pages(client, world):
    login_as(client, world["taiyuan_viewer"])
    unit = world["taiyuan_unit"]
    refused = client.post(reverse("orgs:unit_create"), unit_form(world))
    assert refused.status_code == 403
    assert "没有权限" in refused.content.decode()
    edit = reverse("orgs:unit_edit", args=[unit.pk])
    assert client.post(edit, unit_form(world, name="改名")).status_code == 403
    assert client.post(reverse("orgs:unit_delete", args=[unit.pk])).status_code == 403
    assert client.get(reverse("orgs:unit_create")).status_code == 403
    assert Unit.objects.filter(pk=unit.pk, name="太原重型机械有限公司").exists()
    assert not AuditEntry.objects.exists()


def test_writer_sees_the_write_buttons(client, world):
    login_as(client, world["taiyuan_admin"])
    html = client.get("/units/").content.decode()
    assert reverse("orgs:unit_create") in html
    assert reverse("orgs:unit_edit", args=[world["taiyuan_unit"].pk]) in html


# ---- the tree --------------------------------------------------------------------------


def test_tree_starts_at_the_users_org_with_one_level_and_counts(client, world):
    login_as(client, world["taiyuan_admin"])
    response = client.get("/orgs/")
    html = response.content.decode()
    assert "太原市总工会" in html
    assert "小店区总工会" in html
    assert "坞城街道工会" not in html  # two levels down: loaded only when opened
    assert "大同市总工会" not in html and "山西省总工会" not in html
    assert reverse("orgs:children", args=[world["xiaodian"].pk]) in html
    # 小店区: 2 unions below it (township, grassroots), 1 of them grassroots, 1 unit.
    child = response.context["children"][0]
    assert (child["org"], child["orgs"], child["grassroots"], child["units"]) == (
        world["xiaodian"],
        2,
        1,
        1,
    )


def test_opening_a_node_loads_its_children_only(client, world):
    login_as(client, world["taiyuan_admin"])
    url = reverse("orgs:children", args=[world["xiaodian"].pk])
    response = client.get(url, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert "坞城街道工会" in html
    assert "<html" not in html
    assert "太原重型机械有限公司工会" not in html


def test_children_without_htmx_go_to_the_org_page(client, world):
    login_as(client, world["taiyuan_admin"])
    response = client.get(reverse("orgs:children", args=[world["xiaodian"].pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("orgs:detail", args=[world["xiaodian"].pk])


def test_tree_of_a_large_level_stays_one_level(client, world, django_assert_max_num_queries):
    township = world["township"]
    for i in range(30):
        grassroots = OrgFactory(name=f"基层工会{i}", kind=Org.Kind.GRASSROOTS, parent=township)
        OrgFactory(name=f"分会{i}", kind=Org.Kind.GRASSROOTS, parent=grassroots)
    login_as(client, world["taiyuan_admin"])
    response = client.get(reverse("orgs:children", args=[township.pk]), **HTMX)
    html = response.content.decode()
    assert html.count('role="treeitem"') == 31
    assert "分会0" not in html


# ---- the organisation page ----------------------------------------------------------


def test_org_page_shows_details_children_units_and_an_inside_breadcrumb(client, world):
    township = world["township"]
    township.chair = "王建国"
    township.phone = "0351-7654321"
    township.save()
    login_as(client, world["taiyuan_admin"])
    response = client.get(reverse("orgs:detail", args=[township.pk]))
    html = response.content.decode()
    assert "王建国" in html and "0351-7654321" in html
    assert "太原重型机械有限公司工会" in html  # child
    assert "太原重型机械有限公司" in html  # unit
    assert f"{reverse('orgs:unit_list')}?org={township.pk}" in html
    assert [o.name for o in response.context["breadcrumb"]] == ["太原市总工会", "小店区总工会"]
    assert "山西省总工会" not in html


def test_grassroots_page_lists_the_units_it_covers(client, world):
    login_as(client, world["taiyuan_admin"])
    response = client.get(reverse("orgs:detail", args=[world["grassroots"].pk]))
    assert list(response.context["covered"]) == [world["taiyuan_unit"]]


# ---- the unit list ---------------------------------------------------------------------


def test_unit_list_is_scoped_and_filters(client, world):
    extra = UnitFactory(
        name="小店区第二食品厂",
        org=world["xiaodian"],
        ownership=Unit.Ownership.COLLECTIVE,
        industry=Unit.Industry.H,
        region_code="140106",
    )
    login_as(client, world["taiyuan_admin"])

    def names(query: str = "") -> set[str]:
        response = client.get("/units/" + query)
        assert response.status_code == 200
        return {u.name for u in response.context["page"].object_list}

    assert names() == {"太原重型机械有限公司", "小店区第二食品厂"}
    assert names("?q=食品") == {"小店区第二食品厂"}
    assert names(f"?q={extra.credit_code[:10].lower()}") == {"小店区第二食品厂"}
    assert names("?ownership=collective") == {"小店区第二食品厂"}
    assert names("?industry=C") == {"太原重型机械有限公司"}
    assert names("?region=140106") == {"小店区第二食品厂"}
    assert names(f"?org={world['township'].pk}") == {"太原重型机械有限公司"}
    assert names("?region=abc") == {"太原重型机械有限公司", "小店区第二食品厂"}


def test_unit_list_shows_the_covering_union_or_none(client, world):
    UnitFactory(name="未建会的商店", org=world["township"], union=None)
    login_as(client, world["taiyuan_admin"])
    html = client.get("/units/").content.decode()
    assert "太原重型机械有限公司工会" in html
    assert "未建会" in html


def test_unit_list_filtered_by_an_outside_org_is_404(client, world):
    login_as(client, world["taiyuan_admin"])
    assert client.get(f"/units/?org={world['pingcheng'].pk}").status_code == 404


def test_unit_list_refreshes_only_the_table_for_htmx(client, world):
    login_as(client, world["taiyuan_admin"])
    response = client.get("/units/?q=太原", **HTMX)
    html = response.content.decode()
    assert "<html" not in html
    assert "太原重型机械有限公司" in html
    assert "HX-Request" in response["Vary"]
    full = client.get("/units/?q=太原").content.decode()
    assert "<html" in full and 'name="q"' in full


def test_unit_list_is_paginated(client, world, settings):
    settings.PAGE_SIZE = 2
    for _ in range(3):
        UnitFactory(org=world["township"])
    login_as(client, world["taiyuan_admin"])
    response = client.get("/units/?page=2")
    assert response.context["page"].number == 2
    assert response.context["page"].paginator.num_pages == 2
    assert "page=1" in response.content.decode()


# ---- writes through the pages ----------------------------------------------------------


def test_create_unit_through_the_page_leaves_one_audit_entry(client, world):
    login_as(client, world["taiyuan_admin"])
    response = client.post(reverse("orgs:unit_create"), unit_form(world))
    unit = Unit.objects.get(name="太原钢铁集团有限公司")
    assert response.status_code == 302
    assert response["Location"] == reverse("orgs:unit_detail", args=[unit.pk])
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.model, entry.object_id) == ("create", "orgs.unit", str(unit.pk))
    assert entry.changes["职工人数"] == [None, 500]
    assert entry.changes["建会(覆盖)日期"] == [None, "2008-05-01"]


def test_wrong_credit_code_is_shown_next_to_its_field(client, world):
    login_as(client, world["taiyuan_admin"])
    good = make_credit_code(random.Random(12), region_code="140105")
    bad = good[:17] + ("1" if good[17] != "1" else "2")
    response = client.post(reverse("orgs:unit_create"), unit_form(world, credit_code=bad))
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["credit_code"] == ["统一社会信用代码校验位不对，请核对代码"]
    assert "统一社会信用代码校验位不对，请核对代码" in response.content.decode()
    assert not Unit.objects.filter(name="太原钢铁集团有限公司").exists()
    assert not AuditEntry.objects.exists()


def test_duplicate_credit_code_is_shown_next_to_its_field(client, world):
    login_as(client, world["taiyuan_admin"])
    code = world["taiyuan_unit"].credit_code
    response = client.post(reverse("orgs:unit_create"), unit_form(world, credit_code=code))
    assert "已登记" in response.context["form"].errors["credit_code"][0]


def test_org_and_union_must_lie_in_the_users_subtree(client, world):
    datong_grassroots = OrgFactory(kind=Org.Kind.GRASSROOTS, parent=world["pingcheng"])
    login_as(client, world["taiyuan_admin"])
    response = client.post(
        reverse("orgs:unit_create"),
        unit_form(world, org=world["pingcheng"].pk, union=datong_grassroots.pk),
    )
    errors = response.context["form"].errors
    assert "不在本组织及下级组织范围内" in errors["org"][0]
    assert "不在本组织及下级组织范围内" in errors["union"][0]
    assert not Unit.objects.filter(name="太原钢铁集团有限公司").exists()


def test_union_must_be_grassroots(client, world):
    login_as(client, world["taiyuan_admin"])
    response = client.post(
        reverse("orgs:unit_create"), unit_form(world, union=world["township"].pk)
    )
    assert response.context["form"].errors["union"]


def test_service_rule_errors_land_on_their_field(client, world):
    login_as(client, world["taiyuan_admin"])
    response = client.post(
        reverse("orgs:unit_create"),
        unit_form(world, employees="10", migrant_workers="0", women_workers="11"),
    )
    assert response.context["form"].errors["women_workers"] == ["女职工人数不能多于职工人数"]


def test_edit_unit_through_the_page_records_the_change(client, world):
    unit = world["taiyuan_unit"]
    login_as(client, world["taiyuan_admin"])
    page = client.get(reverse("orgs:unit_edit", args=[unit.pk]))
    assert page.context["form"]["credit_code"].value() == unit.credit_code
    data = {
        "name": unit.name,
        "credit_code": unit.credit_code,
        "ownership": unit.ownership,
        "industry": unit.industry,
        "region_code": unit.region_code,
        "org": unit.org_id,
        "union": unit.union_id,
        "covered_since": "",
        "employees": "150",
        "migrant_workers": str(unit.migrant_workers),
        "women_workers": str(unit.women_workers),
        "address": unit.address,
    }
    response = client.post(reverse("orgs:unit_edit", args=[unit.pk]), data)
    assert response.status_code == 302
    entry = AuditEntry.objects.get()
    assert entry.action == "update"
    changed = {k: v for k, v in entry.changes.items() if k not in {"更新时间"}}
    assert changed == {"职工人数": [100, 150]}


def test_delete_unit_asks_first_then_leaves_one_audit_entry(client, world):
    unit = world["taiyuan_unit"]
    login_as(client, world["taiyuan_admin"])
    url = reverse("orgs:unit_delete", args=[unit.pk])
    confirm = client.get(url)
    assert confirm.status_code == 200
    assert "确认删除" in confirm.content.decode()
    assert Unit.objects.filter(pk=unit.pk).exists()
    response = client.post(url)
    assert response.status_code == 302
    assert not Unit.objects.filter(pk=unit.pk).exists()
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.object_id) == ("delete", str(unit.pk))


def test_unit_page_shows_its_history(client, world):
    login_as(client, world["taiyuan_admin"])
    client.post(reverse("orgs:unit_create"), unit_form(world))
    unit = Unit.objects.get(name="太原钢铁集团有限公司")
    html = client.get(reverse("orgs:unit_detail", args=[unit.pk])).content.decode()
    assert "变更记录" in html and "新增" in html


# ---- the org picker --------------------------------------------------------------------


def test_org_lookup_finds_orgs_of_the_subtree_only(client, world):
    OrgFactory(name="大同机车厂工会", kind=Org.Kind.GRASSROOTS, parent=world["pingcheng"])
    login_as(client, world["taiyuan_admin"])
    response = client.get(reverse("orgs:lookup"), {"q": "工会", "kind": "grassroots"}, **HTMX)
    html = response.content.decode()
    assert "太原重型机械有限公司工会" in html
    assert "大同" not in html
    assert "坞城街道工会" not in html  # not grassroots
    registering = client.get(reverse("orgs:lookup"), {"q": "坞城", "kind": "registering"})
    assert "坞城街道工会" in registering.content.decode()


def test_unit_form_offers_a_short_list_not_the_whole_subtree(client, world, monkeypatch):
    from unionworks.orgs import forms

    monkeypatch.setattr(forms, "PICKER_LIMIT", 2)
    for i in range(5):
        OrgFactory(name=f"街道{i}", kind=Org.Kind.TOWNSHIP, parent=world["xiaodian"])
    login_as(client, world["taiyuan_admin"])
    form = client.get(reverse("orgs:unit_create")).context["form"]
    # the empty choice plus two orgs: the search box finds the rest
    assert len(form.fields["org"].widget.choices) == 3
    # an org outside the short list is still accepted, and offered again when re-shown
    far = Org.objects.get(name="街道4")
    response = client.post(reverse("orgs:unit_create"), unit_form(world, org=far.pk))
    assert response.status_code == 302
    assert Unit.objects.get(name="太原钢铁集团有限公司").org == far


def test_org_lookup_narrows_to_the_chosen_org(client, world):
    other = OrgFactory(name="另一街道工会", kind=Org.Kind.TOWNSHIP, parent=world["xiaodian"])
    OrgFactory(name="另一街道某厂工会", kind=Org.Kind.GRASSROOTS, parent=other)
    login_as(client, world["taiyuan_admin"])
    url = reverse("orgs:lookup")
    html = client.get(url, {"kind": "grassroots", "org": other.pk}).content.decode()
    assert "另一街道某厂工会" in html and "太原重型机械有限公司工会" not in html
    outside = client.get(url, {"kind": "grassroots", "org": world["pingcheng"].pk})
    assert outside.status_code == 404
