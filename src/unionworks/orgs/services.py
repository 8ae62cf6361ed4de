"""Every write to organisations and units: one transaction each, audit entry included."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Concat, Substr
from django.utils import timezone

from unionworks.core import audit, changes, roles
from unionworks.core.creditcode import validate_credit_code
from unionworks.core.errors import DomainError
from unionworks.core.scoping import SEGMENT, is_in_subtree
from unionworks.core.services import model_create, model_delete, model_update
from unionworks.orgs.models import CoverageSpell, Org, OrgEvent, Unit
from unionworks.orgs.signals import union_founded

UNIT_FIELDS = [
    "name",
    "credit_code",
    "ownership",
    "industry",
    "region_code",
    "org",
    "union",
    "covered_since",
    "established_on",
    "closed_on",
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


def _today() -> dt.date:
    return timezone.localdate()


def _iso(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


# -- dates checked against the history ---------------------------------------------------


def check_union_open_on(union: Org, day: dt.date, *, field: str, what: str = "日期") -> None:
    """Nobody joins, is covered by or merges into a union before its founding or after its
    dissolution."""
    if union.founded_on and day < union.founded_on:
        raise DomainError(
            f"{what}（{_iso(day)}）早于{union.name}的成立日期（{_iso(union.founded_on)}）",
            field=field,
        )
    if union.dissolved_on and day >= union.dissolved_on:
        raise DomainError(
            f"{union.name}已于{_iso(union.dissolved_on)}撤销，{what}（{_iso(day)}）不能在撤销之后",
            field=field,
        )


def check_unit_exists_on(unit: Unit, day: dt.date, *, field: str, what: str = "覆盖日期") -> None:
    if unit.established_on and day < unit.established_on:
        raise DomainError(
            f"{unit.name}成立于{_iso(unit.established_on)}，{what}（{_iso(day)}）不能早于成立日期",
            field=field,
        )
    if unit.closed_on and day >= unit.closed_on:
        raise DomainError(
            f"{unit.name}已于{_iso(unit.closed_on)}注销，{what}（{_iso(day)}）不能在注销之后",
            field=field,
        )


def _check_not_future(day: dt.date | None, *, field: str, what: str) -> None:
    if day is not None and day > _today():
        raise DomainError(f"{what}不能晚于今天", field=field)


# -- units and their coverage --------------------------------------------------------------


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
        _check_covering_union(union, actor)
    employees = int(data.get("employees") or 0)
    for key, label in (("migrant_workers", "农民工"), ("women_workers", "女职工")):
        if int(data.get(key) or 0) > employees:
            raise DomainError(f"{label}人数不能多于职工人数", field=key)
    established, closed = data.get("established_on"), data.get("closed_on")
    _check_not_future(established, field="established_on", what="单位成立日期")
    _check_not_future(closed, field="closed_on", what="注销日期")
    if established and closed and closed <= established:
        raise DomainError("注销日期须晚于单位成立日期", field="closed_on")
    return data


def _check_covering_union(union: Org, actor) -> None:
    if union.kind != Org.Kind.GRASSROOTS:
        raise DomainError("覆盖单位的须是基层工会", field="union")
    if actor is not None and not is_in_subtree(union, actor):
        raise DomainError("覆盖的基层工会须在本组织及下级组织范围内", field="union")


def _unit_conflict() -> DomainError:
    return DomainError("该统一社会信用代码已登记过单位", field="credit_code")


def _open_coverage(unit: Unit) -> CoverageSpell | None:
    return unit.coverage_spells.select_for_update().filter(end__isnull=True).first()


def _start_coverage(*, actor, unit: Unit, union: Org, on: dt.date) -> CoverageSpell:
    check_unit_exists_on(unit, on, field="covered_since")
    check_union_open_on(union, on, field="covered_since", what="覆盖日期")
    later = unit.coverage_spells.filter(Q(end__isnull=True) | Q(end__gt=on))
    if later.exists():
        raise DomainError(
            f"{unit.name}在{_iso(on)}之后已有覆盖记录，请先调整覆盖", field="covered_since"
        )
    spell = CoverageSpell.objects.create(unit=unit, union=union, start=on)
    audit.record(
        actor=actor,
        action="create",
        instance=spell,
        org=unit.org,
        after={"单位": unit.name, "覆盖的基层工会": union.name, "起始日期": on.isoformat()},
    )
    return spell


def _end_coverage(*, actor, spell: CoverageSpell, on: dt.date, reason: str) -> None:
    if on < spell.start:
        raise DomainError(
            f"新的覆盖日期（{_iso(on)}）不能早于现覆盖的起始日期（{_iso(spell.start)}）",
            field="covered_since",
        )
    if on == spell.start:
        # Ended the day it began: it never covered a day.
        audit.record(actor=actor, action="delete", instance=spell, org=spell.unit.org)
        spell.delete()
        return
    spell.end, spell.end_reason = on, reason
    spell.save(update_fields=["end", "end_reason"])
    audit.record(
        actor=actor,
        action="update",
        instance=spell,
        org=spell.unit.org,
        after={"终止日期": on.isoformat(), "终因": spell.get_end_reason_display()},
    )


def _mirror_coverage(unit: Unit) -> None:
    """``Unit.union``/``covered_since`` mirror the open spell (lists filter by them)."""
    spell = unit.coverage_spells.filter(end__isnull=True).first()
    unit.union_id = spell.union_id if spell else None
    unit.covered_since = spell.start if spell else None
    Unit.objects.filter(pk=unit.pk).update(union=unit.union_id, covered_since=unit.covered_since)


@transaction.atomic
def set_unit_coverage(
    *, actor, unit: Unit, union: Org | None, on: dt.date, reason: str = ""
) -> Unit:
    """From ``on`` the unit is covered by ``union`` (uncovered when None): the open spell
    ends that day and the next starts, so every earlier date keeps its union."""
    if actor is not None:
        roles.require_writer(actor)
        if not is_in_subtree(unit.org, actor):
            raise DomainError("无权修改该单位")
    if on is None:
        raise DomainError("请填写覆盖变更日期", field="covered_since")
    _check_not_future(on, field="covered_since", what="覆盖变更日期")
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    current = _open_coverage(unit)
    if union is not None:
        _check_covering_union(union, actor)
        if current is not None and current.union_id == union.pk:
            return unit
    elif current is None:
        return unit
    if current is not None:
        _end_coverage(
            actor=actor,
            spell=current,
            on=on,
            reason=reason
            or (CoverageSpell.EndReason.MOVED if union else CoverageSpell.EndReason.ENDED),
        )
    if union is not None:
        _start_coverage(actor=actor, unit=unit, union=union, on=on)
    _mirror_coverage(unit)
    return unit


@transaction.atomic
def create_unit(*, actor, **data) -> Unit:
    """登记单位. Without a 成立日期 the unit exists from its coverage date or, failing that,
    the day it is registered, so the figures of every earlier date stay as they were."""
    roles.require_writer(actor)
    if data.get("union") is not None and not data.get("covered_since"):
        data["covered_since"] = data.get("established_on") or _today()
    if not data.get("established_on"):
        data["established_on"] = data.get("covered_since") or _today()
    data = _check_unit(actor=actor, data=data)
    unit = Unit(**{k: v for k, v in data.items() if k in UNIT_FIELDS})
    if unit.union is not None:
        _check_not_future(unit.covered_since, field="covered_since", what="建会(覆盖)日期")
        if unit.closed_on and unit.covered_since >= unit.closed_on:
            raise DomainError("建会(覆盖)日期须早于注销日期", field="covered_since")
        check_unit_exists_on(unit, unit.covered_since, field="covered_since")
        check_union_open_on(unit.union, unit.covered_since, field="covered_since", what="覆盖日期")
    closed = unit.union is not None and unit.closed_on is not None
    if closed:  # registered already closed: its coverage ended that day
        unit.union, unit.covered_since, union, since = None, None, unit.union, unit.covered_since
    unit = model_create(instance=unit, actor=actor, conflict=_unit_conflict())
    if closed:
        CoverageSpell.objects.create(
            unit=unit, union=union, start=since, end=unit.closed_on,
            end_reason=CoverageSpell.EndReason.CLOSED,
        )  # fmt: skip
    elif unit.union is not None:
        CoverageSpell.objects.create(unit=unit, union=unit.union, start=unit.covered_since)
    return unit


@transaction.atomic
def update_unit(*, actor, unit: Unit, **changes) -> Unit:
    """Edit a unit. A new covering ``union`` starts a new coverage spell on
    ``covered_since`` (today if not given) instead of rewriting the past; a ``closed_on``
    ends the open spell that day."""
    roles.require_writer(actor)
    if not is_in_subtree(unit.org, actor):
        raise DomainError("无权修改该单位")
    current = {f: getattr(unit, f) for f in UNIT_FIELDS}
    current.update({k: v for k, v in changes.items() if k in UNIT_FIELDS})
    data = _check_unit(actor=actor, data=current)
    first = unit.coverage_spells.order_by("start").first()
    if first is not None and data.get("established_on") and data["established_on"] > first.start:
        raise DomainError(
            f"单位成立日期不能晚于其最早的覆盖起始日期（{_iso(first.start)}）",
            field="established_on",
        )
    open_now = unit.coverage_spells.filter(end__isnull=True).first()
    if open_now is not None and data.get("closed_on") and data["closed_on"] <= open_now.start:
        raise DomainError(
            f"注销日期须晚于现覆盖的起始日期（{_iso(open_now.start)}）", field="closed_on"
        )
    new_union = data.pop("union", None)
    since = data.pop("covered_since", None)
    unit, _changed = model_update(
        instance=unit,
        data={key: data.get(key) for key in UNIT_FIELDS if key not in ("union", "covered_since")},
        actor=actor,
        conflict=_unit_conflict(),
    )
    coverage_asked = "union" in changes or "covered_since" in changes
    if coverage_asked and new_union is not None and new_union.pk == unit.union_id:
        if since and since != unit.covered_since:
            _restart_open_coverage(actor=actor, unit=unit, on=since)
    elif coverage_asked and (new_union is not None or unit.union_id is not None):
        # A date that is still the old spell's start (a form sends it back as it was) is
        # no new date: the change takes effect today, never rewriting the past.
        given = since if "covered_since" in changes and since != unit.covered_since else None
        on = given or _today()
        set_unit_coverage(actor=actor, unit=unit, union=new_union, on=on)
    if unit.closed_on:
        open_spell = _open_coverage(unit)
        if open_spell is not None:
            _end_coverage(
                actor=actor,
                spell=open_spell,
                on=unit.closed_on,
                reason=CoverageSpell.EndReason.CLOSED,
            )
            _mirror_coverage(unit)
    unit.refresh_from_db()
    return unit


def _restart_open_coverage(*, actor, unit: Unit, on: dt.date) -> None:
    """A corrected start of the open spell (the same union, another 建会日期)."""
    spell = _open_coverage(unit)
    _check_not_future(on, field="covered_since", what="建会(覆盖)日期")
    check_unit_exists_on(unit, on, field="covered_since")
    check_union_open_on(spell.union, on, field="covered_since", what="覆盖日期")
    earlier = unit.coverage_spells.exclude(pk=spell.pk).filter(end__gt=on)
    if earlier.exists():
        raise DomainError("建会(覆盖)日期不能早于上一段覆盖的终止日期", field="covered_since")
    before = spell.start
    spell.start = on
    spell.save(update_fields=["start"])
    audit.record(
        actor=actor,
        action="update",
        instance=spell,
        org=unit.org,
        before={"起始日期": before.isoformat()},
        after={"起始日期": on.isoformat()},
    )
    _mirror_coverage(unit)


@transaction.atomic
def delete_unit(*, actor, unit: Unit) -> None:
    roles.require_writer(actor)
    if not is_in_subtree(unit.org, actor):
        raise DomainError("无权删除该单位")
    model_delete(instance=unit, actor=actor)


# -- the life of a union: founded, moved (dissolving and merging move members: members) ---

FOUNDING_PARENTS = {Org.Kind.TOWNSHIP, Org.Kind.COUNTY, Org.Kind.FEDERATION, Org.Kind.CITY}


def record_event(*, actor, org: Org, kind: str, on: dt.date, **fields) -> OrgEvent:
    return OrgEvent.objects.create(
        org=org,
        kind=kind,
        on=on,
        created_by=actor if getattr(actor, "pk", None) else None,
        **fields,
    )


@transaction.atomic
def found_union(
    *,
    actor,
    name: str,
    parent: Org,
    form: str,
    founded_on: dt.date,
    chair: str = "",
    units=(),
    address: str = "",
    phone: str = "",
) -> Org:
    """组建工会: a grassroots union (独立 or 联合) covering its units from its founding date,
    or a 区域性/行业性 federation above grassroots unions."""
    if actor is not None:
        roles.require_writer(actor)
    name = (name or "").strip()
    if not name:
        raise DomainError("工会名称不能为空", field="name")
    if parent is None or parent.kind not in FOUNDING_PARENTS:
        raise DomainError("上级须是市、县(市、区)、乡镇(街道)工会或工会联合会", field="parent")
    if actor is not None and not is_in_subtree(parent, actor):
        raise DomainError("只能在本组织及下级组织中组建工会", field="parent")
    if form not in Org.Form.values:
        raise DomainError("请选择组织形式", field="form")
    if founded_on is None:
        raise DomainError("请填写成立日期", field="founded_on")
    _check_not_future(founded_on, field="founded_on", what="成立日期")
    check_union_open_on(parent, founded_on, field="founded_on", what="成立日期")
    units = list(units or ())
    federation = form in (Org.Form.REGIONAL, Org.Form.INDUSTRY)
    if federation and units:
        raise DomainError("工会联合会不直接覆盖单位，请在其下组建基层工会", field="units")
    if form == Org.Form.SINGLE and len(units) != 1:
        raise DomainError("独立基层工会覆盖一个单位，请选择一个单位", field="units")
    if form == Org.Form.JOINT and len(units) < 2:
        raise DomainError("联合基层工会须覆盖两个及以上单位", field="units")
    for unit in units:
        if actor is not None and not is_in_subtree(unit.org, actor):
            raise DomainError(f"单位“{unit.name}”不在本组织范围内", field="units")
        check_unit_exists_on(unit, founded_on, field="units", what="成立日期")
        taken = unit.coverage_spells.filter(Q(end__isnull=True) | Q(end__gt=founded_on))
        covering = taken.select_related("union").first()
        if covering is not None:
            raise DomainError(
                f"单位“{unit.name}”已由{covering.union.name}覆盖，请先调整其覆盖", field="units"
            )
    kind = Org.Kind.FEDERATION if federation else Org.Kind.GRASSROOTS
    union = create_org(
        actor=actor,
        name=name,
        kind=kind,
        parent=parent,
        form=form,
        founded_on=founded_on,
        chair=(chair or "").strip(),
        address=address or "",
        phone=phone or "",
        region_code=parent.region_code,
    )
    record_event(actor=actor, org=union, kind=OrgEvent.Kind.FOUNDED, on=founded_on)
    for unit in units:
        set_unit_coverage(actor=actor, unit=unit, union=union, on=founded_on)
    union_founded.send(sender=Org, union=union, units=units, on=founded_on, actor=actor)
    return union


@transaction.atomic
def move_org(*, actor, org: Org, new_parent: Org, on: dt.date, note: str = "") -> Org:
    """隶属关系调整: the org and its subtree go under ``new_parent`` from ``on``. The
    figures of earlier dates read the tree as it stood then (the move is an event)."""
    if actor is not None:
        roles.require_writer(actor)
        if not (is_in_subtree(org, actor) and is_in_subtree(new_parent, actor)):
            raise DomainError("只能在本组织及下级组织范围内调整隶属关系", field="parent")
    if org.parent_id is None:
        raise DomainError("省总工会不能调整隶属关系")
    if new_parent.pk == org.parent_id:
        raise DomainError("新上级与原上级相同", field="parent")
    if new_parent.path.startswith(org.path):
        raise DomainError("不能把组织调整到其自身或下级组织之下", field="parent")
    if new_parent.kind == Org.Kind.GRASSROOTS:
        raise DomainError("基层工会之下不能再设组织", field="parent")
    if on is None:
        raise DomainError("请填写调整日期", field="on")
    _check_not_future(on, field="on", what="调整日期")
    check_union_open_on(org, on, field="on", what="调整日期")
    check_union_open_on(new_parent, on, field="on", what="调整日期")
    last = org.events.filter(kind=OrgEvent.Kind.MOVED).order_by("-on").first()
    if last is not None and on < last.on:
        raise DomainError(f"调整日期不能早于上次调整（{_iso(last.on)}）", field="on")
    old_parent = org.parent
    old_path = org.path
    new_path = path_for(org.pk, new_parent)
    before = audit.snapshot(org)
    Org.objects.filter(path__startswith=old_path).update(
        path=Concat(Value(new_path), Substr(F("path"), len(old_path) + 1))
    )
    Org.objects.filter(pk=org.pk).update(parent=new_parent)
    org.refresh_from_db()
    record_event(
        actor=actor,
        org=org,
        kind=OrgEvent.Kind.MOVED,
        on=on,
        from_parent=old_parent,
        to_parent=new_parent,
        note=note or "",
    )
    audit.record(
        actor=actor,
        action="update",
        instance=org,
        org=new_parent,
        before=before,
        after={**audit.snapshot(org), "调整日期": on.isoformat()},
    )
    return org


def dissolve_coverage(*, actor, union: Org, on: dt.date, reason: str) -> int:
    """End every open coverage spell of ``union`` on ``on`` (its dissolution or merge)."""
    spells = list(union.coverage_spells.select_for_update().filter(end__isnull=True))
    for spell in spells:
        _end_coverage(actor=actor, spell=spell, on=on, reason=reason)
        _mirror_coverage(spell.unit)
    return len(spells)


def mark_dissolved(*, actor, union: Org, on: dt.date) -> None:
    before = audit.snapshot(union)
    Org.objects.filter(pk=union.pk).update(dissolved_on=on)
    union.dissolved_on = on
    audit.record(
        actor=actor, action="update", instance=union, org=union, before=before,
        after=audit.snapshot(union),
    )  # fmt: skip
    changes.note_everything()
