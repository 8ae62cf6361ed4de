"""Every write to the member roll: joining, transfers, leaving, and revealing personal data.

Each function runs in one transaction and writes its audit entry. The spells and the
member's denormalised ``org``/``status`` change together, so the roll and the figures
"as of" any date never disagree.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from unionworks.core import audit, roles
from unionworks.core.errors import DomainError
from unionworks.core.identity import check_mobile, id_index_of, name_initials, parse_identity
from unionworks.core.idnumber import parse_id_number
from unionworks.core.models import AuditEntry
from unionworks.core.scoping import is_in_subtree, org_label_for
from unionworks.core.services import model_create, model_update
from unionworks.members.models import Member, MembershipSpell, Transfer
from unionworks.orgs import services as org_services
from unionworks.orgs.models import CoverageSpell, Org, OrgEvent, Unit

AUDITED = [
    "name",
    "sex",
    "birth_date",
    "ethnicity",
    "education",
    "is_migrant",
    "id_number_mask",
    "phone_mask",
    "card_number",
    "org",
    "unit",
    "status",
]


def _today() -> dt.date:
    return timezone.localdate()


def _check_union(org: Org, actor, *, field: str = "org") -> None:
    if org is None or org.kind != Org.Kind.GRASSROOTS:
        raise DomainError("会员只能加入基层工会", field=field)
    if actor is not None and not is_in_subtree(org, actor):
        raise DomainError("只能在本组织及下级组织范围内办理", field=field)


def _check_unit(unit: Unit | None, actor) -> None:
    if (
        unit is not None
        and actor is not None
        and not (
            is_in_subtree(unit.org, actor) or (unit.union and is_in_subtree(unit.union, actor))
        )
    ):
        raise DomainError("工作单位须在本组织及下级组织范围内", field="unit")


def _check_date(
    on: dt.date, *, field: str, after: dt.date | None = None, after_label: str = ""
) -> None:
    if on > _today():
        raise DomainError("日期不能晚于今天", field=field)
    if after is not None and on < after:
        raise DomainError(f"日期不能早于{after_label}（{after.isoformat()}）", field=field)


def open_spell(member: Member) -> MembershipSpell | None:
    return member.spells.filter(end__isnull=True).first()


@transaction.atomic
def join_member(
    *,
    actor,
    org: Org,
    id_number: str,
    name: str,
    joined_on: dt.date,
    unit: Unit | None = None,
    phone: str = "",
    education: str = "",
    ethnicity: str = "",
    is_migrant: bool = False,
    card_number: str | None = None,
) -> Member:
    """入会. A person who left earlier rejoins on the same record; one in a union is refused."""
    if actor is not None:
        roles.require_writer(actor)
    _check_union(org, actor)
    _check_unit(unit, actor)
    name = (name or "").strip()
    if not name:
        raise DomainError("姓名不能为空", field="name")
    facts, phone = parse_identity(id_number, phone)
    _check_date(joined_on, field="joined_on", after=facts.birth_date, after_label="出生日期")
    # Locked: a union being dissolved or merged at this moment takes no new member.
    union = (
        Org.objects.select_for_update().only("name", "founded_on", "dissolved_on").get(pk=org.pk)
    )
    org_services.check_union_open_on(union, joined_on, field="joined_on", what="入会日期")
    index = id_index_of(facts.number)
    member = Member.objects.select_for_update().filter(id_number_index=index).first()
    if member is not None:
        if member.status == Member.Status.DECEASED:
            raise DomainError("该身份证号对应的会员已登记去世", field="id_number")
        current = open_spell(member)
        if current is not None:
            raise DomainError(
                f"此人已是{org_label_for(current.org, actor)}的会员，须办理转会", field="id_number"
            )
        last = member.spells.order_by("-end").first()
        if last is not None and joined_on < last.end:
            raise DomainError(
                f"入会日期不能早于上次会籍终止日期（{last.end.isoformat()}）", field="joined_on"
            )
        before = audit.snapshot(member, AUDITED)
        action = "update"
    else:
        member = Member()
        before, action = {}, "create"
    member.set_identity(facts, phone)
    member.name = name
    member.name_initials = name_initials(name)
    member.education = education or ""
    member.ethnicity = ethnicity or ""
    member.is_migrant = bool(is_migrant)
    member.card_number = card_number or None
    member.org = org
    member.unit = unit
    member.status = Member.Status.ACTIVE
    try:
        with transaction.atomic():
            member.save()
            MembershipSpell.objects.create(
                member=member,
                org=org,
                unit=unit,
                start=joined_on,
                start_reason=MembershipSpell.StartReason.JOIN,
                is_migrant=member.is_migrant,
            )
    except IntegrityError:
        raise DomainError("该会员卡号或身份证号已被登记", field="card_number") from None
    audit.record(
        actor=actor,
        action=action,
        instance=member,
        org=org,
        before=before,
        after={**audit.snapshot(member, AUDITED), "入会日期": joined_on.isoformat()},
    )
    return member


@transaction.atomic
def request_transfer(
    *,
    actor,
    member: Member,
    to_org: Org,
    on: dt.date,
    to_unit: Unit | None = None,
    reason: str = "",
) -> Transfer:
    """转会申请 by the sending side. The receiving union may be anywhere in the province."""
    if actor is not None:
        roles.require_writer(actor)
        if not is_in_subtree(member.org, actor):
            raise DomainError("只能为本组织及下级组织的会员办理转会")
    _check_union(to_org, None, field="to_org")
    member = Member.objects.select_for_update().get(pk=member.pk)
    current = open_spell(member)
    if current is None:
        raise DomainError("此人当前不在任何工会，不能转会")
    if current.org_id == to_org.pk:
        raise DomainError("转入工会与当前工会相同", field="to_org")
    _check_date(on, field="on", after=current.start, after_label="本次会籍起始日期")
    org_services.check_union_open_on(to_org, on, field="on", what="转会日期")
    if member.transfers.filter(status=Transfer.Status.PENDING).exists():
        raise DomainError("此会员已有待接收的转会申请")
    transfer = Transfer(
        member=member,
        from_org=current.org,
        to_org=to_org,
        to_unit=to_unit,
        requested_on=on,
        reason=reason,
        requested_by=actor,
    )
    return model_create(instance=transfer, actor=actor, org=current.org)


@transaction.atomic
def accept_transfer(*, actor, transfer: Transfer, on: dt.date | None = None) -> Transfer:
    """The receiving union accepts: the old spell ends and the new one starts on the same day."""
    if actor is not None:
        roles.require_writer(actor)
        if not is_in_subtree(transfer.to_org, actor):
            raise DomainError("只有转入工会（或其上级）可以接收转会")
    transfer = Transfer.objects.select_for_update().get(pk=transfer.pk)
    if transfer.status != Transfer.Status.PENDING:
        raise DomainError("该转会申请已办理")
    on = on or _today()
    member = Member.objects.select_for_update().get(pk=transfer.member_id)
    current = open_spell(member)
    if current is None or current.org_id != transfer.from_org_id:
        raise DomainError("会员的会籍已变化，该转会申请不再有效")
    _check_date(
        on, field="on", after=max(current.start, transfer.requested_on), after_label="转会申请日期"
    )
    to_org = Org.objects.select_for_update().only("name", "founded_on", "dissolved_on")
    org_services.check_union_open_on(
        to_org.get(pk=transfer.to_org_id), on, field="on", what="转会日期"
    )
    current.end = on
    current.end_reason = MembershipSpell.EndReason.TRANSFER_OUT
    current.save(update_fields=["end", "end_reason"])
    MembershipSpell.objects.create(
        member=member,
        org=transfer.to_org,
        unit=transfer.to_unit,
        start=on,
        start_reason=MembershipSpell.StartReason.TRANSFER_IN,
        is_migrant=current.is_migrant,
    )
    model_update(
        instance=member,
        data={"org": transfer.to_org, "unit": transfer.to_unit},
        actor=actor,
        audited=AUDITED,
        note={"转会日期": on.isoformat()},
    )
    transfer.status = Transfer.Status.ACCEPTED
    transfer.decided_on = on
    transfer.decided_by = actor
    transfer.save(update_fields=["status", "decided_on", "decided_by"])
    return transfer


@transaction.atomic
def reject_transfer(*, actor, transfer: Transfer, reason: str) -> Transfer:
    if actor is not None:
        roles.require_writer(actor)
        if not is_in_subtree(transfer.to_org, actor):
            raise DomainError("只有转入工会（或其上级）可以退回转会")
    if not (reason or "").strip():
        raise DomainError("退回须说明理由", field="reason")
    transfer = Transfer.objects.select_for_update().get(pk=transfer.pk)
    if transfer.status != Transfer.Status.PENDING:
        raise DomainError("该转会申请已办理")
    transfer.status = Transfer.Status.REJECTED
    transfer.reason = reason.strip()
    transfer.decided_on = _today()
    transfer.decided_by = actor
    transfer.save(update_fields=["status", "reason", "decided_on", "decided_by"])
    audit.record(
        actor=actor,
        action="update",
        instance=transfer,
        org=transfer.from_org,
        after={"状态": "已退回", "理由": transfer.reason},
    )
    return transfer


@transaction.atomic
def record_leaving(*, actor, member: Member, on: dt.date, death: bool = False) -> Member:
    """退会 or death: the open spell ends; the record stays with its last union."""
    if actor is not None:
        roles.require_writer(actor)
        if not is_in_subtree(member.org, actor):
            raise DomainError("只能为本组织及下级组织的会员办理")
    member = Member.objects.select_for_update().get(pk=member.pk)
    current = open_spell(member)
    if current is None:
        raise DomainError("此人当前不在任何工会")
    _check_date(on, field="on", after=current.start, after_label="本次会籍起始日期")
    current.end = on
    current.end_reason = (
        MembershipSpell.EndReason.DEATH if death else MembershipSpell.EndReason.LEAVE
    )
    current.save(update_fields=["end", "end_reason"])
    member.transfers.filter(status=Transfer.Status.PENDING).update(
        status=Transfer.Status.REJECTED, reason="会员已退会或去世", decided_on=on
    )
    member, _changed = model_update(
        instance=member,
        data={"status": Member.Status.DECEASED if death else Member.Status.LEFT},
        actor=actor,
        audited=AUDITED,
        note={"终止日期": on.isoformat()},
    )
    return member


# -- a union dissolved or merged: its members and units go with it ---------------------------


def _check_union_change(*, actor, union: Org, on: dt.date, field: str) -> None:
    if actor is not None:
        roles.require_writer(actor)
        if not is_in_subtree(union, actor):
            raise DomainError("只能办理本组织及下级组织的工会", field=field)
    if union.kind != Org.Kind.GRASSROOTS:
        raise DomainError("只有基层工会可以撤销或合并；上级工会请先调整其下级组织", field=field)
    if on is None:
        raise DomainError("请填写日期", field="on")
    _check_date(on, field="on")
    org_services.check_union_open_on(union, on, field="on", what="撤销或合并日期")
    if Transfer.objects.filter(
        Q(from_org=union) | Q(to_org=union), status=Transfer.Status.PENDING
    ).exists():
        raise DomainError(f"{union.name}尚有待办理的转会申请，请先办理", field=field)


@transaction.atomic
def dissolve_union(*, actor, union: Org, on: dt.date, note: str = "") -> Org:
    """撤销: its members must have been transferred or have left first; the units it
    covered are uncovered from that day."""
    union = Org.objects.select_for_update().get(pk=union.pk)
    _check_union_change(actor=actor, union=union, on=on, field="union")
    staying = union.spells.filter(Q(end__isnull=True) | Q(end__gt=on))
    if staying.exists():
        raise DomainError(
            f"{union.name}在{on.isoformat()}之后尚有{staying.count():,}名会员，"
            "请先为他们办理转会或退会，或把该工会合并到其他工会",
            field="union",
        )
    org_services.dissolve_coverage(
        actor=actor, union=union, on=on, reason=CoverageSpell.EndReason.DISSOLVED
    )
    org_services.mark_dissolved(actor=actor, union=union, on=on)
    org_services.record_event(
        actor=actor, org=union, kind=OrgEvent.Kind.DISSOLVED, on=on, note=note or ""
    )
    return union


@transaction.atomic
def merge_unions(*, actor, absorbed: Org, into: Org, on: dt.date, note: str = "") -> Org:
    """合并: on ``on`` every member and covered unit of ``absorbed`` moves to ``into`` (one
    spell ends, the next starts the same day) and ``absorbed`` is dissolved."""
    if actor is not None:
        roles.require_writer(actor)
    if absorbed.pk == into.pk:
        raise DomainError("不能把工会合并到它自身", field="into")
    absorbed = Org.objects.select_for_update().get(pk=absorbed.pk)
    into = Org.objects.select_for_update().get(pk=into.pk)
    _check_union_change(actor=actor, union=absorbed, on=on, field="union")
    _check_union_change(actor=actor, union=into, on=on, field="into")
    later = absorbed.spells.filter(start__gt=on)
    if later.exists():
        raise DomainError(
            f"{absorbed.name}有{later.count():,}段会籍始于合并日期之后，请核对合并日期",
            field="on",
        )
    moving = list(absorbed.spells.select_for_update().filter(Q(end__isnull=True) | Q(end__gt=on)))
    closed = [s for s in moving if s.end is None]
    if any(s.end is not None for s in moving):
        raise DomainError(f"{absorbed.name}有会员在合并日期之后离开，请核对合并日期", field="on")
    for spell in closed:
        spell.end, spell.end_reason = on, MembershipSpell.EndReason.MERGED
    MembershipSpell.objects.bulk_update(closed, ["end", "end_reason"], batch_size=2000)
    MembershipSpell.objects.bulk_create(
        [
            MembershipSpell(
                member_id=s.member_id,
                org=into,
                unit_id=s.unit_id,
                start=on,
                start_reason=MembershipSpell.StartReason.MERGED_IN,
                is_migrant=s.is_migrant,
            )
            for s in closed
        ],
        batch_size=2000,
    )
    Member.objects.filter(pk__in=[s.member_id for s in closed]).update(org=into)
    units = [
        s.unit for s in absorbed.coverage_spells.filter(end__isnull=True).select_related("unit")
    ]
    org_services.dissolve_coverage(
        actor=actor, union=absorbed, on=on, reason=CoverageSpell.EndReason.MERGED
    )
    for unit in units:
        org_services.set_unit_coverage(actor=actor, unit=unit, union=into, on=on)
    org_services.mark_dissolved(actor=actor, union=absorbed, on=on)
    org_services.record_event(
        actor=actor, org=absorbed, kind=OrgEvent.Kind.MERGED_INTO, on=on, other=into, note=note
    )
    org_services.record_event(
        actor=actor, org=into, kind=OrgEvent.Kind.ABSORBED, on=on, other=absorbed, note=note
    )
    audit.record_bulk(
        actor=actor,
        org=into,
        model=MembershipSpell,
        summary={"转入会员": len(closed), "转入单位": len(units)},
        title=f"{absorbed.name}并入{into.name}",
        action=AuditEntry.Action.UPDATE,
    )
    return into


def can_view_personal_data(user) -> bool:
    return bool(getattr(user, "is_active", False) and user.has_perm("members.view_personal_data"))


@transaction.atomic
def reveal_personal_data(*, actor, member: Member) -> dict:
    """The full ID number and phone, for a user with the permission; every viewing is logged."""
    if not can_view_personal_data(actor):
        raise DomainError("您没有查看完整身份证号和手机号的权限")
    if not is_in_subtree(member.org, actor):
        raise DomainError("无权查看该会员")
    AuditEntry.objects.create(
        actor=actor,
        org=member.org,
        action=AuditEntry.Action.VIEW,
        model=Member._meta.label_lower,
        object_id=str(member.pk),
        object_repr=str(member)[:200],
        changes={"查看": ["", "完整身份证号和手机号"]},
    )
    return {"id_number": member.revealed_id_number(), "phone": member.revealed_phone()}


@transaction.atomic
def update_member(
    *,
    actor,
    member: Member,
    name: str,
    education: str = "",
    is_migrant: bool = False,
    phone: str = "",
    clear_phone: bool = False,
) -> Member:
    """修改会员信息: name, phone, education and 农民工 status, audited field by field.

    The ID number (and the sex and birth date it gives) is not edited: a wrong number is a
    different person. An empty ``phone`` keeps the one on record; ``clear_phone`` removes
    it. A change of 农民工 status corrects the open spell too, which is where the figures
    read it (closed spells keep the status of their time)."""
    if actor is not None:
        roles.require_writer(actor)
        if not is_in_subtree(member.org, actor):
            raise DomainError("只能修改本组织及下级组织的会员", field="name")
    errors = []
    name = (name or "").strip()
    if not name:
        errors.append(DomainError("姓名不能为空", field="name"))
    elif len(name) > Member._meta.get_field("name").max_length:
        errors.append(DomainError("姓名不能超过50个字", field="name"))
    if education and education not in Member.Education.values:
        errors.append(DomainError("请选择有效的文化程度", field="education"))
    clean_phone = ""
    if phone and not clear_phone:
        try:
            clean_phone = check_mobile(phone)
        except ValidationError as exc:
            errors.append(DomainError(exc.messages[0], field="phone"))
    if errors:
        raise errors[0]
    member = Member.objects.select_for_update().get(pk=member.pk)
    before = audit.snapshot(member, AUDITED)
    member.name = name
    member.name_initials = name_initials(name)
    member.education = education or ""
    migrant_changed = member.is_migrant != bool(is_migrant)
    member.is_migrant = bool(is_migrant)
    if clean_phone or clear_phone:
        facts = parse_id_number(member.revealed_id_number())
        member.set_identity(facts, clean_phone)
    after = audit.snapshot(member, AUDITED)
    if after == before:
        return member
    member.save()
    if migrant_changed:
        member.spells.filter(end__isnull=True).update(is_migrant=member.is_migrant)
    audit.record(
        actor=actor, action="update", instance=member, org=member.org, before=before, after=after
    )
    return member
