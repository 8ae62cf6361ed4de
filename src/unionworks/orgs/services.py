"""Every write to organisations and units: one transaction each, audit entry included."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from unionworks.core import roles
from unionworks.core.creditcode import validate_credit_code
from unionworks.core.errors import DomainError
from unionworks.core.scoping import SEGMENT, is_in_subtree
from unionworks.core.services import model_create, model_delete, model_update
from unionworks.orgs.models import Org, Unit

UNIT_FIELDS = [
    "name",
    "credit_code",
    "ownership",
    "industry",
    "region_code",
    "org",
    "union",
    "covered_since",
    "employees",
    "migrant_workers",
    "women_workers",
    "address",
]


def path_for(org_id: int, parent: Org | None) -> str:
    return (parent.path if parent else "") + str(org_id).zfill(SEGMENT)


@transaction.atomic
def create_org(*, actor, name: str, kind: str, parent: Org | None, **fields) -> Org:
    if actor is not None:
        roles.require_writer(actor)
        if parent is None or not is_in_subtree(parent, actor):
            raise DomainError("只能在本组织及下级组织中新建工会组织", field="parent")
    org = Org(name=name, kind=kind, parent=parent, path=f"tmp-{name}"[:96], **fields)
    org.save()  # the path holds the new id
    org.path = path_for(org.pk, parent)
    return model_create(instance=org, actor=actor, org=org)


def _check_unit(*, actor, data: dict) -> dict:
    data = dict(data)
    try:
        data["credit_code"] = validate_credit_code(data.get("credit_code"))
    except ValidationError as exc:
        raise DomainError(exc.messages[0], field="credit_code") from None
    if not (data.get("name") or "").strip():
        raise DomainError("单位名称不能为空", field="name")
    data["name"] = data["name"].strip()
    org = data.get("org")
    if org is None or not is_in_subtree(org, actor):
        raise DomainError("所属组织须在本组织及下级组织范围内", field="org")
    union = data.get("union")
    if union is not None:
        if union.kind != Org.Kind.GRASSROOTS:
            raise DomainError("覆盖单位的须是基层工会", field="union")
        if not is_in_subtree(union, actor):
            raise DomainError("覆盖的基层工会须在本组织及下级组织范围内", field="union")
    employees = int(data.get("employees") or 0)
    for key, label in (("migrant_workers", "农民工"), ("women_workers", "女职工")):
        if int(data.get(key) or 0) > employees:
            raise DomainError(f"{label}人数不能多于职工人数", field=key)
    return data


def _unit_conflict() -> DomainError:
    return DomainError("该统一社会信用代码已登记过单位", field="credit_code")


@transaction.atomic
def create_unit(*, actor, **data) -> Unit:
    roles.require_writer(actor)
    data = _check_unit(actor=actor, data=data)
    unit = Unit(**{k: v for k, v in data.items() if k in UNIT_FIELDS})
    return model_create(instance=unit, actor=actor, conflict=_unit_conflict())


@transaction.atomic
def update_unit(*, actor, unit: Unit, **changes) -> Unit:
    roles.require_writer(actor)
    if not is_in_subtree(unit.org, actor):
        raise DomainError("无权修改该单位")
    current = {f: getattr(unit, f) for f in UNIT_FIELDS}
    current.update({k: v for k, v in changes.items() if k in UNIT_FIELDS})
    data = _check_unit(actor=actor, data=current)
    unit, _changed = model_update(
        instance=unit,
        data={key: data.get(key) for key in UNIT_FIELDS},
        actor=actor,
        conflict=_unit_conflict(),
    )
    return unit


@transaction.atomic
def delete_unit(*, actor, unit: Unit) -> None:
    roles.require_writer(actor)
    if not is_in_subtree(unit.org, actor):
        raise DomainError("无权删除该单位")
    model_delete(instance=unit, actor=actor)
