"""The audit trail and the pages read Chinese only: no "set by" or "requested by", no raw
indicator codes, and never "-0.0个百分点"."""

import datetime as dt

from django.urls import reverse

from unionworks.core.audit import field_label
from unionworks.core.models import AuditEntry
from unionworks.core.tests.factories import OrgFactory, login_as
from unionworks.members import services as member_services
from unionworks.members.tests.factories import join
from unionworks.orgs.models import Org
from unionworks.stats import registry, services
from unionworks.stats.reports import change_phrase, change_text
from unionworks.stats.values import Change


def test_a_target_in_the_trail_names_the_indicator_and_who_set_it_in_chinese(client, world):
    services.set_target(
        actor=world["province_admin"],
        org=world["taiyuan"],
        year=2008,
        indicator="members",
        value=1000,
    )
    entry = AuditEntry.objects.filter(model="stats.target").latest("id")
    name = registry.get("members").name
    assert entry.changes["指标"] == [None, name]
    assert "设定人" in entry.changes and "set by" not in entry.changes
    assert "members" not in entry.object_repr and name in entry.object_repr
    login_as(client, world["province_admin"])
    html = client.get(reverse("core:audit_list")).content.decode()
    assert "set by" not in html and "指标 members" not in html and "设定人" in html


def test_a_transfer_in_the_trail_says_who_asked_in_chinese(client, world):
    member = join(world["grassroots"])
    union = OrgFactory(name="大同煤矿工会", kind=Org.Kind.GRASSROOTS, parent=world["pingcheng"])
    member_services.request_transfer(
        actor=world["taiyuan_admin"], member=member, to_org=union, on=dt.date(2008, 5, 1)
    )
    login_as(client, world["province_admin"])
    html = client.get(reverse("core:audit_list")).content.decode()
    assert "requested by" not in html and "decided by" not in html


def test_entries_written_before_still_read_chinese(client, world):
    AuditEntry.objects.create(
        org=world["taiyuan"],
        action="update",
        model="stats.target",
        object_id="1",
        object_repr="太原市总工会 2008年 会员人数 1000",
        changes={"set by": ["甲", "乙"], "requested by": [None, "丙"]},
    )
    assert field_label("set by") == "设定人" and field_label("requested by") == "申请人"
    login_as(client, world["taiyuan_admin"])
    html = client.get(reverse("core:audit_list")).content.decode()
    assert "set by" not in html and "requested by" not in html
    assert "设定人" in html and "申请人" in html


def test_never_minus_zero_points():
    rate = registry.Indicator(
        "r", "建会率", "rate", "%", registry.RATIO, numerator="a", denominator="b"
    )
    count = registry.Indicator("c", "会员人数", "members", "人", registry.FLOW, source=object())
    tiny_drop = Change(0.8999996, 0.9, -0.0000004, None)
    assert change_text(rate, tiny_drop) == "0.0个百分点"
    assert change_phrase(rate, tiny_drop) == "与上年同期持平"
    assert change_text(count, Change(999_999, 1_000_000, -1, -0.000001)) == "0.0%"
    assert change_text(rate, Change(0.95, 0.9, 0.05, None)) == "+5.0个百分点"
