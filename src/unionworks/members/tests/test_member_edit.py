"""Members can be edited (name, phone, education, 农民工 — each change audited), and a
duplicate join links to the member already on the roll."""

import datetime as dt

import pytest
from django.urls import reverse

from unionworks.core.models import AuditEntry
from unionworks.core.tests.factories import OrgFactory, login_as
from unionworks.members import services
from unionworks.members.models import Member, MembershipSpell
from unionworks.members.tests.factories import join, new_id_number
from unionworks.orgs.models import Org

pytestmark = pytest.mark.django_db
PHONE = "13812345678"


@pytest.fixture
def member(world):
    return join(
        world["grassroots"],
        name="李明",
        id_number=new_id_number(birth_date=dt.date(1985, 6, 1)),
        phone=PHONE,
        on=dt.date(2007, 3, 1),
    )


def _edit(client, member, **data):
    form = {"name": member.name, "education": member.education, "phone": "", **data}
    return client.post(reverse("members:edit", args=[member.pk]), form, follow=True)


def test_an_editor_corrects_name_phone_education_and_migrant_status(client, world, member):
    login_as(client, world["taiyuan_admin"])
    assert client.get(reverse("members:edit", args=[member.pk])).status_code == 200
    response = _edit(
        client, member, name="李明亮", phone="13987654321", education="college", is_migrant="on"
    )
    assert "已保存“李明亮”的信息" in response.content.decode()
    member.refresh_from_db()
    assert (member.name, member.education, member.is_migrant) == ("李明亮", "college", True)
    assert member.phone_mask == "139****4321" and member.revealed_phone() == "13987654321"
    assert member.name_initials == "lml"
    # The open spell carries the status the figures read.
    assert MembershipSpell.objects.get(member=member, end__isnull=True).is_migrant
    entry = AuditEntry.objects.filter(model="members.member", object_id=str(member.pk)).latest("id")
    assert entry.action == "update" and entry.actor_id == world["taiyuan_admin"].pk
    assert entry.changes["姓名"] == ["李明", "李明亮"]
    assert entry.changes["文化程度"] == ["", "大专"] or entry.changes["文化程度"][1] == "大专"
    assert entry.changes["农民工"] == [False, True]
    assert entry.changes["手机号"] == ["138****5678", "139****4321"]


def test_an_empty_phone_keeps_it_and_clear_removes_it(world, member):
    services.update_member(actor=None, member=member, name="李明")
    member.refresh_from_db()
    assert member.revealed_phone() == PHONE
    services.update_member(actor=None, member=member, name="李明", clear_phone=True)
    member.refresh_from_db()
    assert member.phone_mask == "" and member.revealed_phone() == ""


def test_every_field_is_checked_in_one_round(client, world, member):
    login_as(client, world["taiyuan_admin"])
    response = _edit(client, member, name="", phone="12345", education="phd")
    errors = response.context["form"].errors
    assert {"name", "education"} <= set(errors)
    member.refresh_from_db()
    assert member.name == "李明"


def test_a_bad_phone_is_refused_naming_the_field(client, world, member):
    login_as(client, world["taiyuan_admin"])
    response = _edit(client, member, phone="12345")
    assert response.context["form"].errors.get("phone")
    member.refresh_from_db()
    assert member.revealed_phone() == PHONE


def test_nothing_changed_writes_no_audit_entry(world, member):
    count = AuditEntry.objects.count()
    services.update_member(actor=None, member=member, name="李明")
    assert AuditEntry.objects.count() == count


def test_an_outsider_gets_404_and_a_viewer_403(client, world, member):
    url = reverse("members:edit", args=[member.pk])
    login_as(client, world["datong_editor"])
    assert client.get(url).status_code == 404
    assert client.post(url, {"name": "张三"}).status_code == 404
    login_as(client, world["taiyuan_viewer"])
    assert client.get(url).status_code == 403
    assert client.post(url, {"name": "张三"}).status_code == 403
    member.refresh_from_db()
    assert member.name == "李明"
    detail = client.get(reverse("members:detail", args=[member.pk])).content.decode()
    assert "修改信息" not in detail


def test_a_duplicate_join_links_to_the_existing_member(client, world, member):
    login_as(client, world["taiyuan_admin"])
    number = member.revealed_id_number()
    second = OrgFactory(name="太原钢铁工会", kind=Org.Kind.GRASSROOTS, parent=world["township"])
    response = client.post(
        reverse("members:join"),
        {"org": second.pk, "id_number": number, "name": "李明", "joined_on": "2008-04-01"},
    )
    html = response.content.decode()
    assert "须办理转会" in html
    assert reverse("members:detail", args=[member.pk]) in html and "查看该会员" in html
    assert Member.objects.count() == 1


def test_a_duplicate_join_does_not_name_another_citys_member(client, world, member):
    datong_union = OrgFactory(
        name="大同煤矿工会", kind=Org.Kind.GRASSROOTS, parent=world["pingcheng"]
    )
    login_as(client, world["datong_editor"])
    response = client.post(
        reverse("members:join"),
        {
            "org": datong_union.pk,
            "id_number": member.revealed_id_number(),
            "name": "李明",
            "joined_on": "2008-04-01",
        },
    )
    html = response.content.decode()
    assert reverse("members:detail", args=[member.pk]) not in html and "查看该会员" not in html
