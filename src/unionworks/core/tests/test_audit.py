"""The audit trail: what an entry records, who may read it, and the page that shows it."""

import datetime as dt
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import resolve, reverse

from unionworks.core import audit
from unionworks.core.selectors import audit_entries_for
from unionworks.core.tests.factories import login_as
from unionworks.core.views import audited_model_choices
from unionworks.orgs import services

pytestmark = pytest.mark.django_db


def edit_both_cities(world):
    """One update in Taiyuan and one in Datong, each by its own writer."""
    services.update_unit(actor=world["taiyuan_admin"], unit=world["taiyuan_unit"], employees=150)
    services.update_unit(actor=world["datong_editor"], unit=world["datong_unit"], employees=900)


def test_diff_keeps_only_changed_fields():
    before = {"名称": "甲", "人数": 1, "地址": None}
    after = {"名称": "甲", "人数": 2, "电话": "123"}
    # ``地址`` was empty and is absent: no change; ``电话`` is new.
    assert audit.diff(before, after) == {"人数": [1, 2], "电话": [None, "123"]}


def test_snapshot_turns_values_into_plain_json(world):
    unit = world["taiyuan_unit"]
    unit.covered_since = dt.date(2008, 5, 1)
    values = audit.snapshot(unit)
    assert values["建会(覆盖)日期"] == "2008-05-01"
    assert values["经济类型"] == "私营"
    assert values["所属组织"] == "坞城街道工会"
    assert audit._plain(Decimal("1.50")) == "1.50"


def test_entries_are_scoped_to_the_subtree(world):
    edit_both_cities(world)
    taiyuan = audit_entries_for(world["taiyuan_admin"])
    assert [e.object_repr for e in taiyuan] == ["太原重型机械有限公司"]
    datong = audit_entries_for(world["datong_editor"])
    assert [e.object_repr for e in datong] == ["大同煤矿集团有限责任公司"]
    assert audit_entries_for(world["province_admin"]).count() == 2


def test_entries_filter_by_action_model_and_record(world):
    edit_both_cities(world)
    admin = world["province_admin"]
    assert audit_entries_for(admin, action="update").count() == 2
    assert audit_entries_for(admin, action="delete").count() == 0
    assert audit_entries_for(admin, model="orgs.unit").count() == 2
    assert audit_entries_for(admin, model="accounts.user").count() == 0
    one = audit_entries_for(admin, object_id=world["datong_unit"].pk)
    assert [e.object_repr for e in one] == ["大同煤矿集团有限责任公司"]


def test_entries_come_newest_first(world):
    unit = world["taiyuan_unit"]
    services.update_unit(actor=world["taiyuan_admin"], unit=unit, employees=150)
    services.update_unit(actor=world["taiyuan_admin"], unit=unit, employees=160)
    changes = [e.changes["职工人数"] for e in audit_entries_for(world["taiyuan_admin"])]
    assert changes == [[150, 160], [100, 150]]


# ---- the page ----------------------------------------------------------------------------


def test_anonymous_is_sent_to_login(client, world):
    response = client.get(reverse("core:audit_list"))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_audit_page_shows_who_when_what_and_the_field_changes(client, world):
    edit_both_cities(world)
    login_as(client, world["taiyuan_viewer"])
    response = client.get(reverse("core:audit_list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "太原重型机械有限公司" in html
    assert "职工人数" in html and "100" in html and "150" in html
    assert "修改" in html and "taiyuan" in html
    assert "大同煤矿" not in html  # another city's record


def test_audit_page_filters_and_refreshes_the_table_for_htmx(client, world):
    edit_both_cities(world)
    services.delete_unit(actor=world["taiyuan_admin"], unit=world["taiyuan_unit"])
    login_as(client, world["taiyuan_admin"])
    url = reverse("core:audit_list")
    deletes = client.get(url, {"action": "delete"})
    assert [e.action for e in deletes.context["page"].object_list] == ["delete"]
    units = client.get(url, {"model": "orgs.unit"}, HTTP_HX_REQUEST="true")
    assert units.context["page"].paginator.count == 2
    assert "<html" not in units.content.decode()
    ignored = client.get(url, {"action": "drop table", "model": "nope"})
    assert ignored.context["page"].paginator.count == 2


def test_audit_page_is_paginated(client, world, settings):
    settings.PAGE_SIZE = 1
    edit_both_cities(world)
    login_as(client, world["province_admin"])
    response = client.get(reverse("core:audit_list"), {"page": "2"})
    assert response.context["page"].number == 2
    assert response.context["page"].paginator.num_pages == 2


# ---- template helpers ----------------------------------------------------------------------


def render(source: str, **context) -> str:
    return Template("{% load uw %}" + source).render(Context(context))


def test_audit_value_and_minutes_filters():
    assert render("{{ v|audit_value }}", v=None) == "—"
    assert render("{{ v|audit_value }}", v=True) == "是"
    assert render("{{ v|audit_value }}", v=150) == "150"
    assert render("{{ v|minutes }}", v=dt.timedelta(hours=0.5)) == "30"


def test_nav_active_matches_the_current_view(world):
    request = RequestFactory().get("/units/")
    request.resolver_match = resolve("/units/")
    assert render('{% nav_active "orgs:unit_" %}', request=request) == "is-active"
    assert render('{% nav_active "orgs:tree,core:" %}', request=request) == ""


def test_the_audit_filter_offers_the_models_of_every_installed_domain_app():
    offered = {value for value, _label in audited_model_choices()}
    assert {"orgs.unit", "accounts.user", "members.member", "stats.target"} <= offered
    assert "assistance.disbursement" in offered
    assert not any(value.startswith("core.") for value in offered)
