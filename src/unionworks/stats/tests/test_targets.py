import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from unionworks.core.errors import DomainError
from unionworks.core.models import AuditEntry
from unionworks.core.tests.factories import OrgFactory
from unionworks.members.tests.factories import join
from unionworks.orgs.models import Org
from unionworks.stats.services import set_target
from unionworks.stats.targets import completion


def test_targets_are_set_from_above_and_completion_lists_laggards_first(world):
    admin = world["province_admin"]
    OrgFactory(kind=Org.Kind.GRASSROOTS, parent=world["township"], founded_on=dt.date(2008, 3, 1))
    join(world["grassroots"], on=dt.date(2008, 2, 1))
    join(world["grassroots"], on=dt.date(2008, 2, 2))
    join(world["grassroots"], on=dt.date(2007, 2, 2))
    set_target(actor=admin, org=world["taiyuan"], year=2008, indicator="members_joined", value=4)
    set_target(actor=admin, org=world["taiyuan"], year=2008, indicator="unions_founded", value="1")
    set_target(actor=admin, org=world["datong"], year=2008, indicator="members_joined", value=10)
    rows = completion(admin, year=2008, as_of=dt.date(2008, 9, 30))
    assert [(r.org_name, r.indicator, r.actual, r.rate) for r in rows] == [
        ("大同市总工会", "members_joined", 0, 0.0),
        ("太原市总工会", "members_joined", 2, 0.5),
        ("太原市总工会", "unions_founded", 1, 1.0),
    ]
    assert rows[0].target == Decimal("10.00")
    assert AuditEntry.objects.filter(model="stats.target").count() == 3


def test_changing_a_target_updates_it_in_place(world):
    admin = world["province_admin"]
    set_target(actor=admin, org=world["taiyuan"], year=2008, indicator="members_joined", value=4)
    target = set_target(
        actor=admin, org=world["taiyuan"], year=2008, indicator="members_joined", value=6
    )
    assert target.value == Decimal("6.00")
    assert AuditEntry.objects.filter(model="stats.target", action="update").count() == 1


@pytest.mark.parametrize(
    ("who", "org", "indicator", "value", "error"),
    [
        ("taiyuan_admin", "taiyuan", "members_joined", 1, "下级"),
        ("taiyuan_admin", "datong", "members_joined", 1, "下级"),
        ("province_admin", "taiyuan", "nonsense", 1, "未知"),
        ("province_admin", "taiyuan", "members_joined", "abc", "不是数字"),
        ("province_admin", "taiyuan", "members_joined", -1, "负数"),
    ],
)
def test_bad_targets_are_refused_with_a_reason(world, who, org, indicator, value, error):
    with pytest.raises(DomainError, match=error):
        set_target(actor=world[who], org=world[org], year=2008, indicator=indicator, value=value)


def test_viewer_cannot_set_targets(world):
    with pytest.raises(PermissionDenied):
        set_target(
            actor=world["taiyuan_viewer"],
            org=world["xiaodian"],
            year=2008,
            indicator="members_joined",
            value=1,
        )


def test_outsider_does_not_see_other_cities_targets(world):
    set_target(
        actor=world["province_admin"],
        org=world["taiyuan"],
        year=2008,
        indicator="members_joined",
        value=4,
    )
    assert completion(world["datong_editor"], year=2008) == []
