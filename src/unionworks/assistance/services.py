"""Every write of the assistance records. Keyword-only functions, one transaction each,
an audit entry inside it; a refusal is a DomainError naming the field in Chinese.

The rules that must hold under concurrent requests are database constraints
(assistance.models): one open hardship file per person, one disbursement per person and
campaign, one 金秋助学 grant per student and year. The checks here give the clear message
first; the constraint is what makes a second, simultaneous request fail. A payment locks
the campaign's row (``select_for_update``) before it sums what was raised and paid, so two
payments cannot together pay out more than the campaign raised.

``actor=None`` is a system act (the demo generator): no role or scope check.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from unionworks.assistance import selectors
from unionworks.assistance.models import (
    AssistanceCentre,
    Campaign,
    CentreFunding,
    Disbursement,
    FundRaising,
    HardshipFile,
    HardshipReview,
    HouseholdMember,
    Person,
    SafeReturnTrip,
    Source,
    WageArrearsCase,
    WageArrearsWorker,
)
from unionworks.core import audit, roles
from unionworks.core.checks import checked_choice as _choice
from unionworks.core.checks import checked_money as money
from unionworks.core.checks import checked_text as _text
from unionworks.core.errors import DomainError
from unionworks.core.identity import id_index_of, parse_identity
from unionworks.core.idnumber import IdFacts
from unionworks.core.money import FEN
from unionworks.core.scoping import is_in_subtree, org_label_for, subtree_filter
from unionworks.core.services import model_create, model_delete, model_update
from unionworks.members.models import Member
from unionworks.orgs.models import Org, Unit

PERSON_AUDIT = ["name", "sex", "birth_date", "id_number_mask", "member"]
FILE_AUDIT = [
    *PERSON_AUDIT,
    "org",
    "centre",
    "unit",
    "phone_mask",
    "household_size",
    "household_income",
    "per_capita_income",
    "local_line",
    "causes",
    "level",
    "status",
    "opened_on",
    "last_reviewed_on",
    "closed_on",
    "closing",
    "closing_note",
    "note",
]
DISBURSEMENT_AUDIT = [
    *PERSON_AUDIT,
    "campaign",
    "org",
    "category",
    "cash",
    "goods_value",
    "hardship_file",
    "school",
    "admission_year",
    "student_level",
    "status",
    "approved_total",
    "proposed_on",
    "decided_on",
    "reject_reason",
    "paid_on",
    "note",
]
WORKER_AUDIT = [*PERSON_AUDIT, "case", "amount"]

ONCE_PER_CAMPAIGN = "此人已在本次活动中提名或领取过：同一活动每人只能领取一次"
ONCE_A_YEAR = "该学生{year}年已获得过金秋助学资助：每名学生每年只能资助一次"
NEEDS_OPEN_FILE = (
    "送温暖慰问困难职工须有在档的困难职工档案：此人在本活动范围内没有在档的档案，请先建档"
)


# ---- shared checks ---------------------------------------------------------------------------


def _today() -> dt.date:
    return timezone.localdate()


def _require_writer(actor) -> None:
    if actor is not None:
        roles.require_writer(actor)


def _require_reviewer(actor) -> None:
    if actor is not None and not roles.can_review(actor):
        raise PermissionDenied("只有审核员可以审批帮扶发放")


def _check_scope(org: Org | None, actor, *, field: str = "org", label: str = "组织") -> None:
    if org is None:
        raise DomainError(f"{label}不能为空", field=field)
    if actor is not None and not is_in_subtree(org, actor):
        raise DomainError(f"{label}须在本组织及下级组织范围内", field=field)


def _check_unit(unit: Unit | None, actor, *, field: str = "unit") -> None:
    if unit is None or actor is None:
        return
    if not (is_in_subtree(unit.org, actor) or (unit.union and is_in_subtree(unit.union, actor))):
        raise DomainError("单位须在本组织及下级组织范围内", field=field)


def _check_date(
    on, *, field: str, label: str, not_before: dt.date | None = None, before_label: str = ""
) -> dt.date:
    if on is None:
        raise DomainError(f"{label}不能为空", field=field)
    if not isinstance(on, dt.date):
        raise DomainError(f"{label}应为日期", field=field)
    if on > _today():
        raise DomainError(f"{label}不能晚于今天", field=field)
    if not_before is not None and on < not_before:
        raise DomainError(f"{label}不能早于{before_label}（{not_before.isoformat()}）", field=field)
    return on


@dataclass(frozen=True)
class Identity:
    """A person's ID number (and phone) as checked, with the number's blind index."""

    facts: IdFacts
    phone: str
    index: str


def _identity(id_number, phone: str = "", *, field: str = "id_number") -> Identity:
    """The ID number (and phone) checked exactly as the member roll does it."""
    try:
        facts, phone = parse_identity(id_number, phone)
    except DomainError as exc:
        raise DomainError(
            exc.message, field=field if exc.field == "id_number" else exc.field
        ) from None
    return Identity(facts, phone, id_index_of(facts.number))


def with_person(record: Person, identity: Identity, name: str) -> Person:
    """``record`` with its person set (sealed, indexed and masked: ``Person.set_identity``),
    linked to the member with the same ID number if any."""
    record.set_identity(identity.facts, identity.phone)
    record.name = name
    record.member = Member.objects.filter(id_number_index=identity.index).first()
    return record


def _name(value, *, field: str = "name", label: str = "姓名") -> str:
    return _text(value, field=field, label=label, required=True, max_length=50)


def per_capita(household_income: Decimal, household_size: int) -> Decimal:
    """Monthly income per person from the household's yearly income."""
    return (household_income / household_size / 12).quantize(FEN, rounding=ROUND_HALF_UP)


def _household_size(value) -> int:
    try:
        size = int(value)
    except (TypeError, ValueError):
        raise DomainError("家庭人口应为整数", field="household_size") from None
    if not 1 <= size <= 30:
        raise DomainError("家庭人口应在1到30人之间", field="household_size")
    return size


# ---- assistance centres --------------------------------------------------------------------


@transaction.atomic
def create_centre(
    *,
    actor,
    org: Org,
    name: str,
    address: str = "",
    phone: str = "",
    opened_on: dt.date | None = None,
    staff: int = 0,
    note: str = "",
) -> AssistanceCentre:
    _require_writer(actor)
    _check_scope(org, actor, label="所属工会")
    name = _text(name, field="name", label="名称", required=True, max_length=100)
    if opened_on is not None:
        _check_date(opened_on, field="opened_on", label="成立日期")
    if AssistanceCentre.objects.filter(org=org, name=name).exists():
        raise DomainError(f"“{org.name}”已有名为“{name}”的帮扶中心", field="name")
    centre = AssistanceCentre(
        org=org,
        name=name,
        address=_text(address, field="address", label="地址"),
        phone=_text(phone, field="phone", label="联系电话", max_length=30),
        opened_on=opened_on,
        staff=max(0, int(staff or 0)),
        note=_text(note, field="note", label="备注"),
    )
    return model_create(instance=centre, actor=actor)


@transaction.atomic
def record_centre_funding(
    *,
    actor,
    centre: AssistanceCentre,
    received_on: dt.date,
    source: str,
    amount,
    purpose: str = "",
) -> CentreFunding:
    _require_writer(actor)
    _check_scope(centre.org, actor, field="centre", label="帮扶中心")
    amount = money(amount, field="amount", label="金额")
    if amount <= 0:
        raise DomainError("金额须大于零", field="amount")
    funding = CentreFunding(
        centre=centre,
        received_on=_check_date(received_on, field="received_on", label="到账日期"),
        source=_choice(source, Source, field="source", label="来源"),
        amount=amount,
        purpose=_text(purpose, field="purpose", label="用途"),
    )
    return model_create(instance=funding, actor=actor, org=centre.org)


# ---- hardship files ------------------------------------------------------------------------


def _causes(causes: Iterable[str]) -> list[str]:
    chosen = list(dict.fromkeys(c for c in (causes or []) if c))
    if not chosen:
        raise DomainError("请至少选择一项致困原因", field="causes")
    for cause in chosen:
        _choice(cause, HardshipFile.Cause, field="causes", label="致困原因")
    return chosen


@transaction.atomic
def open_file(
    *,
    actor,
    org: Org,
    id_number: str,
    name: str,
    household_size: int,
    household_income,
    local_line,
    level: str,
    causes: Iterable[str],
    opened_on: dt.date,
    centre: AssistanceCentre | None = None,
    unit: Unit | None = None,
    phone: str = "",
    note: str = "",
    household: Iterable[dict] = (),
) -> HardshipFile:
    """建档. A person has at most one open file: a second one is refused, whoever holds it."""
    _require_writer(actor)
    _check_scope(org, actor, label="建档工会")
    if centre is not None:
        _check_scope(centre.org, actor, field="centre", label="帮扶中心")
    _check_unit(unit, actor)
    name = _name(name)
    identity = _identity(id_number, phone)
    size = _household_size(household_size)
    income = money(household_income, field="household_income", label="家庭年收入")
    line = money(local_line, field="local_line", label="当地困难标准")
    _check_date(
        opened_on,
        field="opened_on",
        label="建档日期",
        not_before=identity.facts.birth_date,
        before_label="出生日期",
    )
    existing = selectors.open_files_of(identity.index).select_related("org").first()
    if existing is not None:
        raise DomainError(
            f"此人已有在档的困难职工档案（{org_label_for(existing.org, actor)}），同一人只能有一份在档档案",
            field="id_number",
        )
    record = HardshipFile(
        org=org,
        centre=centre,
        unit=unit,
        household_size=size,
        household_income=income,
        per_capita_income=per_capita(income, size),
        local_line=line,
        causes=_causes(causes),
        level=_choice(level, HardshipFile.Level, field="level", label="困难类别"),
        opened_on=opened_on,
        note=_text(note, field="note", label="备注"),
    )
    with_person(record, identity, name)
    model_create(
        instance=record,
        actor=actor,
        audited=FILE_AUDIT,
        conflict=DomainError(
            "此人已有在档的困难职工档案（刚由他人建立），同一人只能有一份在档档案",
            field="id_number",
        ),
    )
    for person in household or ():
        _add_household_member(record, **person)
    return record


def _add_household_member(
    file: HardshipFile, *, name: str, relation: str, yearly_income=0, situation: str = ""
) -> HouseholdMember:
    return HouseholdMember.objects.create(
        file=file,
        name=_name(name, field="household", label="家庭成员姓名"),
        relation=_text(
            relation, field="relation", label="与本人关系", required=True, max_length=20
        ),
        yearly_income=money(yearly_income, field="yearly_income", label="年收入"),
        situation=_text(situation, field="situation", label="情况", max_length=100),
    )


@transaction.atomic
def add_household_member(
    *, actor, file: HardshipFile, name: str, relation: str, yearly_income=0, situation: str = ""
) -> HouseholdMember:
    _require_writer(actor)
    _check_scope(file.org, actor, field="file", label="档案")
    person = _add_household_member(
        file, name=name, relation=relation, yearly_income=yearly_income, situation=situation
    )
    audit.record(
        actor=actor,
        action="update",
        instance=file,
        org=file.org,
        after={"新增家庭成员": f"{person.name}（{person.relation}）"},
    )
    return person


def _locked_open_file(file: HardshipFile) -> HardshipFile:
    file = HardshipFile.objects.select_for_update().get(pk=file.pk)
    if file.status != HardshipFile.Status.OPEN:
        raise DomainError("该档案已销档")
    return file


@transaction.atomic
def review_file(
    *,
    actor,
    file: HardshipFile,
    reviewed_on: dt.date,
    household_size: int,
    household_income,
    level: str,
    note: str = "",
) -> HardshipReview:
    """年度复核: the household as found; the file takes the new figures and level."""
    _require_writer(actor)
    _check_scope(file.org, actor, field="file", label="档案")
    file = _locked_open_file(file)
    _check_date(
        reviewed_on,
        field="reviewed_on",
        label="复核日期",
        not_before=file.review_anchor,
        before_label="上次复核（建档）日期",
    )
    size = _household_size(household_size)
    income = money(household_income, field="household_income", label="家庭年收入")
    review = HardshipReview.objects.create(
        file=file,
        reviewed_on=reviewed_on,
        household_size=size,
        household_income=income,
        per_capita_income=per_capita(income, size),
        level=_choice(level, HardshipFile.Level, field="level", label="困难类别"),
        note=_text(note, field="note", label="复核意见"),
        reviewed_by=actor if getattr(actor, "pk", None) else None,
    )
    model_update(
        instance=file,
        data={
            "household_size": size,
            "household_income": income,
            "per_capita_income": review.per_capita_income,
            "level": review.level,
            "last_reviewed_on": reviewed_on,
        },
        actor=actor,
        audited=FILE_AUDIT,
        note={"复核意见": review.note},
    )
    return review


@transaction.atomic
def close_file(
    *,
    actor,
    file: HardshipFile,
    closed_on: dt.date,
    note: str,
    closing: str = HardshipFile.Closing.OUT_OF_HARDSHIP,
) -> HardshipFile:
    """销档: the family is out of hardship (脱困), or another reason; the reason is required."""
    _require_writer(actor)
    _check_scope(file.org, actor, field="file", label="档案")
    file = _locked_open_file(file)
    _check_date(
        closed_on,
        field="closed_on",
        label="销档日期",
        not_before=file.review_anchor,
        before_label="上次复核（建档）日期",
    )
    file, _changed = model_update(
        instance=file,
        data={
            "closing": _choice(closing, HardshipFile.Closing, field="closing", label="销档原因"),
            "closing_note": _text(note, field="note", label="销档说明", required=True),
            "closed_on": closed_on,
            "status": HardshipFile.Status.CLOSED,
        },
        actor=actor,
        audited=FILE_AUDIT,
    )
    return file


# ---- campaigns and fund raising ------------------------------------------------------------


def _campaign_fields(
    *, org: Org, kind: str, name: str, year, start_date, end_date, budget, note: str
) -> dict:
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise DomainError("年度应为四位数字", field="year") from None
    if not 1990 <= year <= 2100:
        raise DomainError("年度不合理", field="year")
    for value, field, label in (
        (start_date, "start_date", "开始日期"),
        (end_date, "end_date", "结束日期"),
    ):
        if not isinstance(value, dt.date):
            raise DomainError(f"{label}不能为空", field=field)
    if end_date < start_date:
        raise DomainError("结束日期不能早于开始日期", field="end_date")
    if year not in (start_date.year, end_date.year):
        raise DomainError("年度应为活动开始或结束的年份", field="year")
    return {
        "org": org,
        "kind": _choice(kind, Campaign.Kind, field="kind", label="活动类别"),
        "name": _text(name, field="name", label="活动名称", required=True, max_length=100),
        "year": year,
        "start_date": start_date,
        "end_date": end_date,
        "budget": money(budget, field="budget", label="预算"),
        "note": _text(note, field="note", label="说明"),
    }


def _participants(org: Org, participants: Iterable[Org]) -> list[Org]:
    chosen = list({p.pk: p for p in participants or ()}.values())
    for participant in chosen:
        if participant.pk == org.pk or not is_in_subtree(participant, org):
            raise DomainError(
                f"参加的组织“{participant.name}”须是组织单位的下级组织", field="participants"
            )
    return chosen


def _audit_campaign(campaign: Campaign) -> dict:
    names = "、".join(p.name for p in campaign.participants.order_by("path"))
    return {**audit.snapshot(campaign), "参加的下级组织": names or "全部下级组织"}


@transaction.atomic
def create_campaign(
    *,
    actor,
    org: Org,
    kind: str,
    name: str,
    year: int,
    start_date: dt.date,
    end_date: dt.date,
    budget=0,
    participants: Iterable[Org] = (),
    note: str = "",
) -> Campaign:
    """帮扶活动. With no participants listed, every union below the organiser takes part."""
    _require_writer(actor)
    _check_scope(org, actor, label="组织单位")
    fields = _campaign_fields(
        org=org,
        kind=kind,
        name=name,
        year=year,
        start_date=start_date,
        end_date=end_date,
        budget=budget,
        note=note,
    )
    chosen = _participants(org, participants)
    campaign = Campaign.objects.create(**fields)
    campaign.participants.set(chosen)
    audit.record(
        actor=actor, action="create", instance=campaign, org=org, after=_audit_campaign(campaign)
    )
    return campaign


@transaction.atomic
def update_campaign(
    *,
    actor,
    campaign: Campaign,
    org: Org,
    kind: str,
    name: str,
    year: int,
    start_date: dt.date,
    end_date: dt.date,
    budget=0,
    participants: Iterable[Org] = (),
    note: str = "",
) -> Campaign:
    _require_writer(actor)
    _check_scope(campaign.org, actor, field="org", label="组织单位")
    _check_scope(org, actor, label="组织单位")
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    fields = _campaign_fields(
        org=org,
        kind=kind,
        name=name,
        year=year,
        start_date=start_date,
        end_date=end_date,
        budget=budget,
        note=note,
    )
    used = (
        campaign.disbursements.exists()
        or campaign.raisings.exists()
        or campaign.trips.exists()
        or campaign.wage_cases.exists()
    )
    if used:
        for key, label in (("org", "组织单位"), ("kind", "活动类别"), ("year", "年度")):
            if fields[key] != getattr(campaign, key):
                raise DomainError(f"活动已有筹资或发放记录，{label}不能再改", field=key)
    campaign, _changed = model_update(
        instance=campaign,
        data={**fields, "participants": _participants(org, participants)},
        actor=actor,
        audited=_audit_campaign,
    )
    return campaign


def _check_takes_part(campaign: Campaign, org: Org, *, field: str = "org") -> None:
    if not selectors.takes_part(campaign, org):
        raise DomainError(f"“{org.name}”没有参加“{campaign.name}”", field=field)


def _amounts(cash, goods_value) -> tuple[Decimal, Decimal]:
    cash = money(cash, field="cash", label="现金")
    goods = money(goods_value, field="goods_value", label="实物折款")
    if cash + goods <= 0:
        raise DomainError("现金和实物折款不能都为零", field="cash")
    return cash, goods


@transaction.atomic
def record_raising(
    *,
    actor,
    campaign: Campaign,
    org: Org,
    source: str,
    received_on: dt.date,
    cash=0,
    goods_value=0,
    donor: str = "",
    note: str = "",
    widen_campaign: bool = False,
) -> FundRaising:
    """筹资: money and goods for a campaign, raised by the organiser or a union taking part.

    The money arrives within the campaign's dates; a raising outside them is refused
    unless the clerk widens the campaign's dates on purpose (``widen_campaign``)."""
    _require_writer(actor)
    _check_scope(org, actor, label="筹资单位")
    _check_takes_part(campaign, org)
    cash, goods = _amounts(cash, goods_value)
    received_on = _check_date(received_on, field="received_on", label="到位日期")
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if not campaign.start_date <= received_on <= campaign.end_date:
        if not widen_campaign:
            raise DomainError(
                f"到位日期（{received_on.isoformat()}）不在活动“{campaign.name}”的起止日期"
                f"（{campaign.start_date.isoformat()}至{campaign.end_date.isoformat()}）内；"
                "如确属本活动，请勾选“同时放宽活动起止日期”",
                field="received_on",
            )
        model_update(
            instance=campaign,
            data={
                "start_date": min(campaign.start_date, received_on),
                "end_date": max(campaign.end_date, received_on),
            },
            actor=actor,
            audited=_audit_campaign,
            note={"放宽原因": f"筹资到位日期 {received_on.isoformat()}"},
        )
    raising = FundRaising(
        campaign=campaign,
        org=org,
        source=_choice(source, Source, field="source", label="来源"),
        cash=cash,
        goods_value=goods,
        received_on=received_on,
        donor=_text(donor, field="donor", label="出资方", max_length=100),
        note=_text(note, field="note", label="备注"),
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    return model_create(instance=raising, actor=actor)


@transaction.atomic
def delete_raising(*, actor, raising: FundRaising) -> None:
    """Withdraw a raising entered by mistake, unless the campaign has paid it out already."""
    _require_writer(actor)
    _check_scope(raising.org, actor, label="筹资单位")
    campaign = Campaign.objects.select_for_update().get(pk=raising.campaign_id)
    totals = selectors.campaign_totals(campaign)
    if totals.raised - raising.total < totals.paid:
        raise DomainError(
            f"删除后筹资总额（{totals.raised - raising.total}元）将少于已发放金额（{totals.paid}元），不能删除"
        )
    model_delete(instance=raising, actor=actor)


# ---- disbursements -------------------------------------------------------------------------


def check_student(
    campaign: Campaign, *, category: str, school, admission_year, student_level
) -> dict:
    """金秋助学 records the student: school, year of admission and level (本科/专科/高中)."""
    if campaign.kind != Campaign.Kind.SCHOOLING:
        return {"school": "", "admission_year": None, "student_level": ""}
    if category != Disbursement.Category.STUDENT:
        raise DomainError(
            "金秋助学的资助对象是学生：对象类别请选“学生”，并填写学生本人的身份证号",
            field="category",
        )
    school = _text(school, field="school", label="学校", required=True, max_length=100)
    if admission_year in (None, ""):
        raise DomainError("入学年份不能为空", field="admission_year")
    try:
        admission_year = int(admission_year)
    except (TypeError, ValueError):
        raise DomainError("入学年份应为四位数字", field="admission_year") from None
    if not campaign.year - 8 <= admission_year <= campaign.year:
        raise DomainError(
            f"入学年份应在{campaign.year - 8}年至{campaign.year}年之间", field="admission_year"
        )
    if student_level in (None, ""):
        raise DomainError("学历层次不能为空（本科、专科或高中）", field="student_level")
    level = _choice(
        student_level, Disbursement.StudentLevel, field="student_level", label="学历层次"
    )
    return {"school": school, "admission_year": admission_year, "student_level": level}


def proposal_conflict(campaign: Campaign, index: str) -> str | None:
    """Why this person cannot be proposed for the campaign, or None."""
    taken = Disbursement.objects.exclude(status=Disbursement.Status.REJECTED)
    if taken.filter(campaign=campaign, id_number_index=index).exists():
        return ONCE_PER_CAMPAIGN
    if (
        campaign.kind == Campaign.Kind.SCHOOLING
        and taken.filter(
            campaign_kind=Campaign.Kind.SCHOOLING, year=campaign.year, id_number_index=index
        ).exists()
    ):
        return ONCE_A_YEAR.format(year=campaign.year)
    return None


def open_file_for(campaign: Campaign, index: str) -> HardshipFile | None:
    """The person's open hardship file held within the campaign's reach."""
    return (
        selectors.open_files_of(index)
        .filter(**subtree_filter(campaign.org.path, "org__path"))
        .first()
    )


@transaction.atomic
def propose_disbursement(
    *,
    actor,
    campaign: Campaign,
    org: Org,
    id_number: str,
    name: str,
    category: str,
    cash=0,
    goods_value=0,
    proposed_on: dt.date | None = None,
    school: str = "",
    admission_year: int | None = None,
    student_level: str = "",
    note: str = "",
) -> Disbursement:
    """提名: a union taking part proposes a recipient; a reviewer decides, then it is paid."""
    _require_writer(actor)
    _check_scope(org, actor, label="提名单位")
    _check_takes_part(campaign, org)
    name = _name(name)
    category = _choice(category, Disbursement.Category, field="category", label="对象类别")
    identity = _identity(id_number)
    cash, goods = _amounts(cash, goods_value)
    student = check_student(
        campaign,
        category=category,
        school=school,
        admission_year=admission_year,
        student_level=student_level,
    )
    proposed_on = _check_date(proposed_on or _today(), field="proposed_on", label="提名日期")
    hardship_file = None
    if campaign.kind == Campaign.Kind.WARMTH and category == Disbursement.Category.HARDSHIP:
        hardship_file = open_file_for(campaign, identity.index)
        if hardship_file is None:
            raise DomainError(NEEDS_OPEN_FILE, field="id_number")
    conflict = proposal_conflict(campaign, identity.index)
    if conflict:
        raise DomainError(conflict, field="id_number")
    record = Disbursement(
        campaign=campaign,
        org=org,
        year=campaign.year,
        campaign_kind=campaign.kind,
        category=category,
        cash=cash,
        goods_value=goods,
        hardship_file=hardship_file,
        proposed_on=proposed_on,
        proposed_by=actor if getattr(actor, "pk", None) else None,
        note=_text(note, field="note", label="备注"),
        **student,
    )
    with_person(record, identity, name)
    return model_create(
        instance=record,
        actor=actor,
        audited=DISBURSEMENT_AUDIT,
        # Someone proposed the same person at the same moment: the constraint decided.
        conflict=lambda: DomainError(
            proposal_conflict(campaign, identity.index) or ONCE_PER_CAMPAIGN, field="id_number"
        ),
    )


def _locked(disbursement: Disbursement, status: str, message: str) -> Disbursement:
    record = Disbursement.objects.select_for_update().get(pk=disbursement.pk)
    if record.status != status:
        raise DomainError(f"{message}（当前状态：{record.get_status_display()}）")
    return record


def _decide(actor, disbursement: Disbursement, on: dt.date | None, **decision) -> Disbursement:
    """Approve or reject (``decision``: the status, and a rejection's reason)."""
    _require_reviewer(actor)
    _check_scope(disbursement.org, actor, label="提名单位")
    record = _locked(disbursement, Disbursement.Status.PROPOSED, "只有待审核的提名可以审批")
    if decision["status"] == Disbursement.Status.APPROVED:
        # The amount approved, read under the row lock: the payment may not exceed it.
        decision["approved_total"] = record.cash + record.goods_value
    if actor is not None and record.proposed_by_id == getattr(actor, "pk", None):
        raise DomainError("不能审批自己提名的对象，请由其他审核员审批")
    decided_on = _check_date(
        on or _today(),
        field="on",
        label="审核日期",
        not_before=record.proposed_on,
        before_label="提名日期",
    )
    record, _changed = model_update(
        instance=record,
        data={
            "decided_on": decided_on,
            "decided_by": actor if getattr(actor, "pk", None) else None,
            **decision,
        },
        actor=actor,
        audited=DISBURSEMENT_AUDIT,
    )
    return record


@transaction.atomic
def approve_disbursement(
    *, actor, disbursement: Disbursement, on: dt.date | None = None
) -> Disbursement:
    return _decide(actor, disbursement, on, status=Disbursement.Status.APPROVED)


@transaction.atomic
def reject_disbursement(
    *, actor, disbursement: Disbursement, reason: str, on: dt.date | None = None
) -> Disbursement:
    reason = _text(reason, field="reason", label="未批准理由", required=True)
    return _decide(
        actor, disbursement, on, status=Disbursement.Status.REJECTED, reject_reason=reason
    )


BULK_LIMIT = 200  # proposals decided in one bulk action (a page of the queue is 50)


@transaction.atomic
def decide_disbursements(
    *,
    actor,
    disbursements: Iterable[Disbursement],
    approve: bool,
    reason: str = "",
    on: dt.date | None = None,
) -> list[Disbursement]:
    """批量审批: several proposals approved (or not) at once, each through the one-record
    service, so each is checked and audited as if decided alone. One transaction: when one
    cannot be decided (already decided, proposed by the reviewer…) none is, and the message
    names that person."""
    records = list(disbursements)
    if not records:
        raise DomainError("请勾选要审批的对象", field="ids")
    if len(records) > BULK_LIMIT:
        raise DomainError(f"一次最多审批{BULK_LIMIT}人", field="ids")
    decided = []
    for record in records:
        try:
            if approve:
                decided.append(approve_disbursement(actor=actor, disbursement=record, on=on))
            else:
                decided.append(
                    reject_disbursement(actor=actor, disbursement=record, reason=reason, on=on)
                )
        except DomainError as exc:
            raise DomainError(f"{record.name}：{exc.message}", field=exc.field) from exc
    return decided


@transaction.atomic
def pay_disbursement(
    *,
    actor,
    disbursement: Disbursement,
    paid_on: dt.date,
    cash=None,
    goods_value=None,
) -> Disbursement:
    """发放: an approved recipient is paid (cash and goods as actually handed over, by default
    as approved). The campaign's row is locked first, so the balance check and the payment
    are one step for every concurrent payer: the campaign never pays out more than it raised."""
    _require_writer(actor)
    _check_scope(disbursement.org, actor, label="提名单位")
    campaign = Campaign.objects.select_for_update().get(pk=disbursement.campaign_id)
    record = _locked(disbursement, Disbursement.Status.APPROVED, "只有已批准的对象可以发放")
    _check_date(
        paid_on,
        field="paid_on",
        label="发放日期",
        not_before=record.decided_on,
        before_label="审核日期",
    )
    if cash is not None or goods_value is not None:
        new_cash, new_goods = _amounts(
            record.cash if cash is None else cash,
            record.goods_value if goods_value is None else goods_value,
        )
    else:
        new_cash, new_goods = record.cash, record.goods_value
    amount = new_cash + new_goods
    if amount > record.approved_total:
        raise DomainError(
            f"发放金额{amount}元超过批准金额{record.approved_total}元，"
            "须按批准金额发放或重新提名审批",
            field="cash",
        )
    totals = selectors.campaign_totals(campaign)
    if totals.paid + amount > totals.raised:
        raise DomainError(
            f"活动余额不足：“{campaign.name}”共筹集{totals.raised}元，已发放{totals.paid}元，"
            f"余额{totals.balance}元，本次发放{amount}元",
            field="cash",
        )
    record, _changed = model_update(
        instance=record,
        data={
            "cash": new_cash,
            "goods_value": new_goods,
            "status": Disbursement.Status.PAID,
            "paid_on": paid_on,
            "paid_by": actor if getattr(actor, "pk", None) else None,
        },
        actor=actor,
        audited=DISBURSEMENT_AUDIT,
    )
    return record


# ---- wage arrears ---------------------------------------------------------------------------


def _case_outcome(
    *, status: str, amount_owed: Decimal, amount_recovered: Decimal, opened_on, resolved_on
) -> None:
    S = WageArrearsCase.Status
    _choice(status, S, field="status", label="状态")
    if amount_recovered > amount_owed:
        raise DomainError("追回金额不能大于欠薪金额", field="amount_recovered")
    if status == S.OPEN:
        if resolved_on is not None:
            raise DomainError("办理中的案件不填办结日期", field="resolved_on")
        return
    _check_date(
        resolved_on,
        field="resolved_on",
        label="办结日期",
        not_before=opened_on,
        before_label="受理日期",
    )
    if status == S.RECOVERED and amount_recovered != amount_owed:
        raise DomainError("全部追回时，追回金额应等于欠薪金额", field="amount_recovered")
    if status == S.PARTIAL and not 0 < amount_recovered < amount_owed:
        raise DomainError("部分追回时，追回金额应大于零且小于欠薪金额", field="amount_recovered")
    if status == S.UNRECOVERED and amount_recovered:
        raise DomainError("未能追回时，追回金额应为零", field="amount_recovered")


def _workers_count(value) -> int:
    try:
        count = int(value)
    except (TypeError, ValueError):
        raise DomainError("涉及职工人数应为整数", field="workers_count") from None
    if count < 1:
        raise DomainError("涉及职工人数至少为1", field="workers_count")
    return count


@transaction.atomic
def record_wage_case(
    *,
    actor,
    org: Org,
    workers_count: int,
    amount_owed,
    opened_on: dt.date,
    employer_name: str = "",
    unit: Unit | None = None,
    amount_recovered=0,
    status: str = WageArrearsCase.Status.OPEN,
    resolved_on: dt.date | None = None,
    campaign: Campaign | None = None,
    note: str = "",
    workers: Iterable[dict] = (),
) -> WageArrearsCase:
    """讨薪: the employer, how many workers (and who, where known), owed and recovered."""
    _require_writer(actor)
    _check_scope(org, actor, label="办理工会")
    _check_unit(unit, actor)
    if campaign is not None:
        if campaign.kind != Campaign.Kind.WAGES:
            raise DomainError("只能归入讨薪类的帮扶活动", field="campaign")
        _check_takes_part(campaign, org, field="campaign")
    employer = _text(
        employer_name or (unit.name if unit else ""),
        field="employer_name",
        label="欠薪单位名称",
        required=True,
        max_length=100,
    )
    count = _workers_count(workers_count)
    owed = money(amount_owed, field="amount_owed", label="欠薪金额")
    if owed <= 0:
        raise DomainError("欠薪金额须大于零", field="amount_owed")
    recovered = money(amount_recovered, field="amount_recovered", label="追回金额")
    _check_date(opened_on, field="opened_on", label="受理日期")
    _case_outcome(
        status=status,
        amount_owed=owed,
        amount_recovered=recovered,
        opened_on=opened_on,
        resolved_on=resolved_on,
    )
    workers = list(workers or ())
    if len(workers) > count:
        raise DomainError("登记的职工多于涉及职工人数", field="workers")
    case = WageArrearsCase.objects.create(
        org=org,
        campaign=campaign,
        unit=unit,
        employer_name=employer,
        workers_count=count,
        amount_owed=owed,
        amount_recovered=recovered,
        status=status,
        opened_on=opened_on,
        resolved_on=resolved_on,
        note=_text(note, field="note", label="说明"),
    )
    for worker in workers:
        _new_worker(case, **worker).save()
    audit.record(
        actor=actor,
        action="create",
        instance=case,
        org=org,
        after={**audit.snapshot(case), "登记职工": len(workers)},
    )
    return case


@transaction.atomic
def update_wage_case(
    *,
    actor,
    case: WageArrearsCase,
    amount_recovered,
    status: str,
    resolved_on: dt.date | None = None,
    workers_count: int | None = None,
    note: str | None = None,
) -> WageArrearsCase:
    """Progress of a case: what was recovered, its status, the day it was resolved."""
    _require_writer(actor)
    _check_scope(case.org, actor, label="办理工会")
    case = WageArrearsCase.objects.select_for_update().get(pk=case.pk)
    recovered = money(amount_recovered, field="amount_recovered", label="追回金额")
    count = case.workers_count if workers_count is None else _workers_count(workers_count)
    if count < case.workers.count():
        raise DomainError("涉及职工人数不能少于已登记的职工", field="workers_count")
    _case_outcome(
        status=status,
        amount_owed=case.amount_owed,
        amount_recovered=recovered,
        opened_on=case.opened_on,
        resolved_on=resolved_on,
    )
    data = {
        "amount_recovered": recovered,
        "status": status,
        "resolved_on": resolved_on,
        "workers_count": count,
    }
    if note is not None:
        data["note"] = _text(note, field="note", label="说明")
    case, _changed = model_update(instance=case, data=data, actor=actor)
    return case


def _new_worker(case: WageArrearsCase, *, id_number: str, name: str, amount=None):
    """A worker of the case, checked, not yet saved."""
    identity = _identity(id_number)
    if case.workers.filter(id_number_index=identity.index).exists():
        raise DomainError("此人已登记在本案件中", field="id_number")
    if case.workers.count() >= case.workers_count:
        raise DomainError("登记的职工已达涉及职工人数", field="id_number")
    value = None if amount in (None, "") else money(amount, field="amount", label="追回金额")
    return with_person(WageArrearsWorker(case=case, amount=value), identity, _name(name))


@transaction.atomic
def add_wage_worker(
    *, actor, case: WageArrearsCase, id_number: str, name: str, amount=None
) -> WageArrearsWorker:
    _require_writer(actor)
    _check_scope(case.org, actor, label="办理工会")
    case = WageArrearsCase.objects.select_for_update().get(pk=case.pk)
    worker = _new_worker(case, id_number=id_number, name=name, amount=amount)
    return model_create(instance=worker, actor=actor, org=case.org, audited=WORKER_AUDIT)


# ---- 平安返乡 ---------------------------------------------------------------------------------


@transaction.atomic
def record_trip(
    *,
    actor,
    campaign: Campaign,
    org: Org,
    trip_date: dt.date,
    workers_sent: int,
    destination: str = "",
    vehicles: int = 0,
    cost=0,
    note: str = "",
) -> SafeReturnTrip:
    _require_writer(actor)
    _check_scope(org, actor, label="组织单位")
    if campaign.kind != Campaign.Kind.SAFE_RETURN:
        raise DomainError("返乡车次只能登记在平安返乡活动中", field="campaign")
    _check_takes_part(campaign, org)
    try:
        sent = int(workers_sent)
    except (TypeError, ValueError):
        raise DomainError("送返人数应为整数", field="workers_sent") from None
    if sent < 1:
        raise DomainError("送返人数至少为1", field="workers_sent")
    trip = SafeReturnTrip(
        campaign=campaign,
        org=org,
        trip_date=_check_date(trip_date, field="trip_date", label="发车日期"),
        workers_sent=sent,
        destination=_text(destination, field="destination", label="目的地", max_length=100),
        vehicles=max(0, int(vehicles or 0)),
        cost=money(cost, field="cost", label="费用"),
        note=_text(note, field="note", label="备注"),
    )
    return model_create(instance=trip, actor=actor)
