"""The shared write steps: create, update and delete with their audit entries."""

import pytest
from django.db import transaction

from unionworks.core.errors import DomainError
from unionworks.core.models import AuditEntry
from unionworks.core.services import model_create, model_delete, model_update
from unionworks.orgs.models import Unit

pytestmark = pytest.mark.django_db


def entries(unit, action):
    return AuditEntry.objects.filter(
        model="orgs.unit", object_id=str(unit.pk), action=action
    ).order_by("id")


def test_update_saves_only_what_changed_and_audits_before_and_after(world):
    unit, actor = world["taiyuan_unit"], world["taiyuan_admin"]
    old_name = unit.name
    unit, changed = model_update(
        instance=unit,
        data={"name": "新名称", "employees": unit.employees, "union": None},
        actor=actor,
    )
    assert changed
    unit.refresh_from_db()
    assert unit.name == "新名称"
    entry = entries(unit, "update").get()
    assert entry.org_id == unit.org_id
    assert entry.changes["单位名称"] == [old_name, "新名称"]
    assert "职工人数" not in entry.changes


def test_update_that_changes_nothing_saves_and_writes_nothing(world, django_assert_num_queries):
    unit = Unit.objects.get(pk=world["taiyuan_unit"].pk)
    org = world["taiyuan_unit"].org
    with django_assert_num_queries(0):
        _unit, changed = model_update(
            instance=unit, data={"name": unit.name, "org": org}, actor=world["taiyuan_admin"]
        )
    assert not changed
    assert not entries(unit, "update").exists()


def test_a_note_is_written_even_when_no_field_changes(world):
    unit = world["taiyuan_unit"]
    _unit, changed = model_update(
        instance=unit,
        data={},
        actor=world["taiyuan_admin"],
        audited=["name"],
        note={"说明": "核对无误"},
    )
    assert not changed
    assert entries(unit, "update").get().changes == {"说明": [None, "核对无误"]}


def test_a_foreign_key_compares_by_id_and_the_entry_goes_to_the_new_org(world):
    unit = world["taiyuan_unit"]
    _unit, changed = model_update(
        instance=unit, data={"org": world["xiaodian"]}, actor=world["province_admin"]
    )
    assert changed
    assert entries(unit, "update").get().org_id == world["xiaodian"].pk


def test_clean_refuses_a_bad_value_as_a_domain_error_naming_the_field(world):
    unit = world["taiyuan_unit"]
    with pytest.raises(DomainError) as refused:
        model_update(
            instance=unit, data={"credit_code": "123"}, actor=world["taiyuan_admin"], clean=True
        )
    assert refused.value.field == "credit_code"


def test_a_unique_conflict_becomes_the_given_domain_error(world):
    taken = world["datong_unit"].credit_code
    with transaction.atomic():
        with pytest.raises(DomainError) as refused:
            model_update(
                instance=world["taiyuan_unit"],
                data={"credit_code": taken},
                actor=world["taiyuan_admin"],
                conflict=lambda: DomainError("已登记", field="credit_code"),
            )
        # The transaction is still usable after the refusal.
        assert Unit.objects.filter(credit_code=taken).count() == 1
    assert refused.value.message == "已登记"


def test_create_and_delete_audit_the_record(world):
    source = world["taiyuan_unit"]
    other_code = source.credit_code[:-1] + ("0" if source.credit_code[-1] != "0" else "1")
    unit = Unit(
        name="新单位",
        credit_code=other_code,  # saved unchecked: the service checks, not the save
        ownership=source.ownership,
        industry=source.industry,
        org=source.org,
    )
    model_create(instance=unit, actor=world["taiyuan_admin"], audited=["name"])
    assert entries(unit, "create").get().changes == {"单位名称": [None, "新单位"]}
    pk = unit.pk
    model_delete(instance=unit, actor=world["taiyuan_admin"])
    assert not Unit.objects.filter(pk=pk).exists()
    entry = AuditEntry.objects.get(model="orgs.unit", object_id=str(pk), action="delete")
    assert entry.changes["单位名称"] == ["新单位", None]
