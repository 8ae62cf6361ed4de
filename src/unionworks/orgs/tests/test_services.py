"""The unit services: every write leaves one audit entry with the right diff; bad input is a
DomainError naming the field, and nothing is half-saved."""

import random

import pytest
from django.core.exceptions import PermissionDenied

from unionworks.core.creditcode import make_credit_code
from unionworks.core.errors import DomainError
from unionworks.core.models import AuditEntry
from unionworks.orgs import services
from unionworks.orgs.models import Unit

pytestmark = pytest.mark.django_db


def new_code(seed: int = 1) -> str:
    return make_credit_code(random.Random(seed), region_code="140105")


def wrong_check_char(code: str) -> str:
    return code[:17] + ("1" if code[17] != "1" else "2")


def unit_fields(world, **over):
    fields = {
        "name": "太原钢铁集团有限公司",
        "credit_code": new_code(),
        "ownership": Unit.Ownership.STATE,
        "industry": Unit.Industry.C,
        "region_code": "140105",
        "org": world["township"],
        "union": world["grassroots"],
        "employees": 500,
        "migrant_workers": 50,
        "women_workers": 120,
    }
    fields.update(over)
    return fields


def test_create_unit_leaves_one_create_entry_with_the_new_values(world):
    unit = services.create_unit(actor=world["taiyuan_admin"], **unit_fields(world))
    entries = AuditEntry.objects.filter(model="orgs.unit", object_id=str(unit.pk))
    assert entries.count() == 1
    entry = entries.get()
    assert entry.action == "create"
    assert entry.actor == world["taiyuan_admin"]
    assert entry.org == world["township"]
    assert entry.changes["单位名称"] == [None, "太原钢铁集团有限公司"]
    assert entry.changes["职工人数"] == [None, 500]
    assert entry.changes["覆盖的基层工会"] == [None, "太原重型机械有限公司工会"]


# The entry's own ``at`` says when; a record's auto_now stamp is not a change anyone made.
TIMESTAMPS = {"更新时间", "创建时间"}


def test_update_unit_records_only_the_fields_that_changed(world):
    unit = world["taiyuan_unit"]
    services.update_unit(actor=world["taiyuan_admin"], unit=unit, employees=150, name=unit.name)
    entry = AuditEntry.objects.get(model="orgs.unit", object_id=str(unit.pk), action="update")
    changed = {k: v for k, v in entry.changes.items() if k not in TIMESTAMPS}
    assert changed == {"职工人数": [100, 150]}
    unit.refresh_from_db()
    assert unit.employees == 150


def test_update_unit_diff_leaves_out_the_timestamp(world):
    unit = world["taiyuan_unit"]
    services.update_unit(actor=world["taiyuan_admin"], unit=unit, employees=150)
    entry = AuditEntry.objects.get(model="orgs.unit", object_id=str(unit.pk), action="update")
    assert entry.changes == {"职工人数": [100, 150]}


def test_delete_unit_leaves_one_delete_entry_with_the_old_values(world):
    unit = world["taiyuan_unit"]
    pk = unit.pk
    services.delete_unit(actor=world["taiyuan_admin"], unit=unit)
    assert not Unit.objects.filter(pk=pk).exists()
    entry = AuditEntry.objects.get(model="orgs.unit", object_id=str(pk))
    assert entry.action == "delete"
    assert entry.changes["单位名称"] == ["太原重型机械有限公司", None]


def test_duplicate_credit_code_is_refused(world):
    code = world["taiyuan_unit"].credit_code
    with pytest.raises(DomainError) as caught:
        services.create_unit(actor=world["taiyuan_admin"], **unit_fields(world, credit_code=code))
    assert caught.value.field == "credit_code"
    assert "已登记" in caught.value.message
    assert not AuditEntry.objects.filter(action="create", model="orgs.unit").exists()


def test_wrong_check_character_is_refused_with_a_reason(world):
    code = wrong_check_char(new_code(2))
    with pytest.raises(DomainError) as caught:
        services.create_unit(actor=world["taiyuan_admin"], **unit_fields(world, credit_code=code))
    assert caught.value.field == "credit_code"
    assert "校验" in caught.value.message
    assert not Unit.objects.filter(credit_code=code).exists()


def test_a_unit_cannot_be_put_under_another_citys_org(world):
    with pytest.raises(DomainError) as caught:
        services.create_unit(
            actor=world["taiyuan_admin"], **unit_fields(world, org=world["pingcheng"], union=None)
        )
    assert caught.value.field == "org"


def test_only_a_grassroots_union_covers_a_unit(world):
    with pytest.raises(DomainError) as caught:
        services.create_unit(
            actor=world["taiyuan_admin"], **unit_fields(world, union=world["township"])
        )
    assert caught.value.field == "union"


def test_migrant_workers_cannot_exceed_employees(world):
    with pytest.raises(DomainError) as caught:
        services.create_unit(
            actor=world["taiyuan_admin"],
            **unit_fields(world, employees=10, migrant_workers=11),
        )
    assert caught.value.field == "migrant_workers"


def test_viewer_cannot_write(world):
    with pytest.raises(PermissionDenied):
        services.create_unit(actor=world["taiyuan_viewer"], **unit_fields(world))
    with pytest.raises(PermissionDenied):
        services.delete_unit(actor=world["taiyuan_viewer"], unit=world["taiyuan_unit"])
    assert Unit.objects.filter(pk=world["taiyuan_unit"].pk).exists()


def test_a_grassroots_account_sees_the_units_its_union_covers(world):
    from unionworks.accounts.models import User
    from unionworks.core.tests.factories import UserFactory
    from unionworks.orgs import selectors

    clerk = UserFactory(org=world["grassroots"], role=User.Role.EDITOR)
    assert list(selectors.units_for(clerk)) == [world["taiyuan_unit"]]
    assert selectors.unit_for(clerk, world["taiyuan_unit"].pk) == world["taiyuan_unit"]
