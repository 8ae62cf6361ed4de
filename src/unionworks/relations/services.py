"""Every write of the 和谐劳动关系 records. Keyword-only functions, one transaction each, an
audit entry inside it; a refusal is a DomainError naming the field in Chinese.

The filing workflow of a collective contract (《集体合同规定》):

    signed ──submit (within 10 days of signing, else filed late)──▶ submitted
    submitted ──objection within 15 days, with a reason──▶ objected ──submit again──▶ …
    submitted, no objection by day 15 ──▶ in force from day 16 until the anniversary

The dates are set when the step happens (``effective_on``, ``expires_on``), so whether a
contract was in force on any day is read from the record alone.

``actor=None`` is a system act (the demo generator, tests): no role or scope check.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from unionworks.core import audit, changes, roles
from unionworks.core.checks import checked_choice as _choice
from unionworks.core.checks import checked_text as _text
from unionworks.core.errors import DomainError
from unionworks.core.money import MoneyError, parse_money
from unionworks.core.scoping import is_in_subtree
from unionworks.core.services import model_create, model_update
from unionworks.orgs.models import Org, Unit
from unionworks.relations.models import (
    MEDIATION_DAYS,
    OPENNESS_CHANNELS,
    OPENNESS_ITEMS,
    CollectiveContract,
    CongressProposal,
    CongressSession,
    ContractUnit,
    Dispute,
    HarmonyAssessment,
    Level,
    MediationCommittee,
    Openness,
    Scope,
    ScoreSheet,
    WorkerRepresentative,
    WorkersCongress,
)

FILING_DAYS = 10  # 签订后10日内报送劳动保障行政部门审查
REVIEW_DAYS = 15  # 收到文本之日起15日内未提出异议的，即行生效
RENEWAL_MONTHS = 3  # 期满前3个月内协商续签
CONGRESS_TERM_YEARS = 3
NOTICE_DAYS = 7  # 命名前公示期
DEFAULT_PASS_MARK = Decimal("90")

PARTS = {"basic": "基础指标", "system": "建制指标", "effect": "创建成效"}
# The federation's standing sheet; each year gets its own copy to edit (ScoreSheet).
DEFAULT_SHEET = [
    {"code": "b1", "part": "basic", "name": "依法签订劳动合同，签订率100%", "max": "10"},
    {"code": "b2", "part": "basic", "name": "按时足额支付工资，不低于最低工资标准", "max": "10"},
    {"code": "b3", "part": "basic", "name": "依法参加社会保险并足额缴费", "max": "10"},
    {"code": "b4", "part": "basic", "name": "执行工时和休息休假制度", "max": "5"},
    {"code": "b5", "part": "basic", "name": "劳动安全卫生条件达标", "max": "5"},
    {"code": "s1", "part": "system", "name": "依法建立工会，职工入会率90%以上", "max": "8"},
    {"code": "s2", "part": "system", "name": "建立平等协商和集体合同制度", "max": "8"},
    {"code": "s3", "part": "system", "name": "建立职代会制度并按期召开", "max": "8"},
    {"code": "s4", "part": "system", "name": "推行厂务公开", "max": "8"},
    {"code": "s5", "part": "system", "name": "建立劳动争议调解组织", "max": "8"},
    {"code": "e1", "part": "effect", "name": "职工工资正常增长", "max": "8"},
    {"code": "e2", "part": "effect", "name": "无重大劳动争议和群体性事件", "max": "6"},
    {"code": "e3", "part": "effect", "name": "职工满意度", "max": "6"},
]


# ---- shared checks ---------------------------------------------------------------------------


def _today() -> dt.date:
    return timezone.localdate()


def add_years(day: dt.date, years: int) -> dt.date:
    """The same day ``years`` later (29 February falls on the 28th)."""
    year = day.year + years
    return day.replace(year=year, day=min(day.day, calendar.monthrange(year, day.month)[1]))


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def _require_writer(actor) -> None:
    if actor is not None:
        roles.require_writer(actor)


def _check_org(org: Org | None, actor, *, field: str = "org", label: str = "工会") -> None:
    if org is None:
        raise DomainError(f"{label}不能为空", field=field)
    if actor is not None and not is_in_subtree(org, actor):
        raise DomainError(f"{label}须在本组织及下级组织范围内", field=field)


def _unit_in_scope(unit: Unit, actor) -> bool:
    return is_in_subtree(unit.org, actor) or bool(
        unit.union_id and is_in_subtree(unit.union, actor)
    )


def _check_units(units: Iterable[Unit], actor, *, field: str = "units") -> list[Unit]:
    units = list(dict.fromkeys(u for u in units or () if u is not None))
    if not units:
        raise DomainError("请选择至少一个单位", field=field)
    if actor is not None:
        for unit in units:
            if not _unit_in_scope(unit, actor):
                raise DomainError(f"单位“{unit.name}”不在本组织及下级组织范围内", field=field)
    return units


def _date(on, *, field: str, label: str, required: bool = True) -> dt.date | None:
    if on is None or on == "":
        if required:
            raise DomainError(f"{label}不能为空", field=field)
        return None
    if not isinstance(on, dt.date):
        raise DomainError(f"{label}应为日期", field=field)
    if on > _today():
        raise DomainError(f"{label}不能晚于今天", field=field)
    return on


def _count(value, *, field: str, label: str, required: bool = True, minimum: int = 0) -> int | None:
    if value is None or value == "":
        if required:
            raise DomainError(f"{label}不能为空", field=field)
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise DomainError(f"{label}应为整数", field=field) from None
    if number != value and str(number) != str(value).strip():
        raise DomainError(f"{label}应为整数", field=field)
    if number < minimum:
        raise DomainError(f"{label}不能小于{minimum}", field=field)
    if number > 10_000_000:
        raise DomainError(f"{label}过大", field=field)
    return number


def _money(value, *, field: str, label: str) -> Decimal:
    try:
        return parse_money(value, label=label)
    except MoneyError as exc:
        raise DomainError(str(exc), field=field) from None


def _decimal(value, *, field: str, label: str, low, high, places: int = 2) -> Decimal:
    try:
        number = Decimal(str(value).strip().rstrip("%"))
    except (InvalidOperation, ValueError):
        raise DomainError(f"{label}应为数字", field=field) from None
    if not number.is_finite() or number != number.quantize(Decimal(1).scaleb(-places)):
        raise DomainError(f"{label}最多{places}位小数", field=field)
    if number < low or number > high:
        raise DomainError(f"{label}应在{low}到{high}之间", field=field)
    return number


def _note_units(units: Iterable[Unit]) -> None:
    """Units are counted where they are registered: a write covering them changes those
    orgs' figures too (the audit entry notes only the contract's own org)."""
    changes.note({u.org_id for u in units}, app="relations")


# ---- collective contracts ---------------------------------------------------------------------


def contract_fields(
    *,
    kind,
    scope,
    units,
    region_name,
    employer_party,
    union_party,
    employer_negotiator,
    union_negotiator,
    congress_approved_on,
    congress_present,
    congress_votes_for,
    signed_on,
    term_years,
    employees_covered,
    women_covered,
    migrants_covered,
    last_year_wage,
    wage_rise,
    note,
    actor,
) -> tuple[dict, list[Unit]]:
    kind = _choice(kind, CollectiveContract.Kind, field="kind", label="合同类型")
    scope = _choice(scope, Scope, field="scope", label="合同范围")
    units = _check_units(units, actor)
    if scope == Scope.ENTERPRISE and len(units) != 1:
        raise DomainError("企业集体合同只覆盖签订的一个单位", field="units")
    region_name = _text(region_name, field="region_name", label="区域或行业", max_length=100)
    if scope != Scope.ENTERPRISE and not region_name:
        raise DomainError("区域性、行业性集体合同须写明区域或行业", field="region_name")
    signed_on = _date(signed_on, field="signed_on", label="签订日期")
    approved_on = _date(congress_approved_on, field="congress_approved_on", label="职代会通过日期")
    if approved_on > signed_on:
        raise DomainError("职代会须在签订前审议通过合同草案", field="congress_approved_on")
    present = _count(congress_present, field="congress_present", label="到会代表数", minimum=1)
    votes = _count(congress_votes_for, field="congress_votes_for", label="赞成票数")
    if votes > present:
        raise DomainError("赞成票数不能多于到会代表数", field="congress_votes_for")
    if votes * 2 <= present:
        raise DomainError("草案须经到会代表半数以上同意方获通过", field="congress_votes_for")
    term = _count(term_years, field="term_years", label="期限（年）", minimum=1)
    if term > 3:
        raise DomainError("集体合同期限为1至3年", field="term_years")
    employees = _count(
        employees_covered, field="employees_covered", label="覆盖职工人数", minimum=1
    )
    women = _count(women_covered or 0, field="women_covered", label="其中女职工")
    migrants = _count(migrants_covered or 0, field="migrants_covered", label="其中农民工")
    if women > employees:
        raise DomainError("女职工人数不能多于覆盖职工人数", field="women_covered")
    if migrants > employees:
        raise DomainError("农民工人数不能多于覆盖职工人数", field="migrants_covered")
    wage = rise = None
    if kind == CollectiveContract.Kind.WAGE:
        if wage_rise in (None, ""):
            raise DomainError("工资专项集体合同须填写约定工资增幅", field="wage_rise")
        rise = _decimal(wage_rise, field="wage_rise", label="约定工资增幅", low=-50, high=200)
        if last_year_wage not in (None, ""):
            wage = _money(last_year_wage, field="last_year_wage", label="上年职工平均工资")
    elif wage_rise not in (None, "") or last_year_wage not in (None, ""):
        raise DomainError("只有工资专项集体合同填写工资数据", field="wage_rise")
    return {
        "kind": kind,
        "scope": scope,
        "region_name": region_name,
        "employer_party": _text(
            employer_party, field="employer_party", label="企业方", required=True, max_length=100
        ),
        "union_party": _text(
            union_party, field="union_party", label="职工方", required=True, max_length=100
        ),
        "employer_negotiator": _text(
            employer_negotiator,
            field="employer_negotiator",
            label="企业方首席协商代表",
            max_length=50,
        ),
        "union_negotiator": _text(
            union_negotiator, field="union_negotiator", label="职工方首席协商代表", max_length=50
        ),
        "congress_approved_on": approved_on,
        "congress_present": present,
        "congress_votes_for": votes,
        "signed_on": signed_on,
        "filing_deadline": signed_on + dt.timedelta(days=FILING_DAYS),
        "term_years": term,
        "employees_covered": employees,
        "women_covered": women,
        "migrants_covered": migrants,
        "last_year_wage": wage,
        "wage_rise": rise,
        "note": _text(note, field="note", label="备注"),
    }, units


def next_contract_number(org: Org, year: int) -> str:
    taken = CollectiveContract.objects.filter(org=org, number__startswith=f"{year}-").count()
    return f"{year}-{taken + 1:04d}"


def _contract_conflict() -> DomainError:
    return DomainError("本工会已有相同编号的集体合同", field="number")


@transaction.atomic
def record_contract(
    *,
    actor,
    org: Org,
    kind: str,
    scope: str,
    units: Iterable[Unit],
    signed_on: dt.date,
    term_years: int,
    employees_covered: int,
    employer_party: str,
    union_party: str,
    congress_approved_on: dt.date,
    congress_present: int,
    congress_votes_for: int,
    number: str = "",
    region_name: str = "",
    employer_negotiator: str = "",
    union_negotiator: str = "",
    women_covered: int = 0,
    migrants_covered: int = 0,
    last_year_wage=None,
    wage_rise=None,
    renews: CollectiveContract | None = None,
    note: str = "",
) -> CollectiveContract:
    """A signed collective contract (not yet submitted for review)."""
    _require_writer(actor)
    _check_org(org, actor, label="签订工会")
    fields, units = contract_fields(
        kind=kind,
        scope=scope,
        units=units,
        region_name=region_name,
        employer_party=employer_party,
        union_party=union_party,
        employer_negotiator=employer_negotiator,
        union_negotiator=union_negotiator,
        congress_approved_on=congress_approved_on,
        congress_present=congress_present,
        congress_votes_for=congress_votes_for,
        signed_on=signed_on,
        term_years=term_years,
        employees_covered=employees_covered,
        women_covered=women_covered,
        migrants_covered=migrants_covered,
        last_year_wage=last_year_wage,
        wage_rise=wage_rise,
        note=note,
        actor=actor,
    )
    if renews is not None:
        if renews.org_id != org.pk:
            raise DomainError("只能续签本工会签订的合同", field="renews")
        if CollectiveContract.objects.filter(renews=renews).exists():
            raise DomainError("该合同已经续签", field="renews")
    number = _text(number, field="number", label="合同编号", max_length=40) or (
        next_contract_number(org, fields["signed_on"].year)
    )
    if CollectiveContract.objects.filter(org=org, number=number).exists():
        raise _contract_conflict()
    contract = model_create(
        instance=CollectiveContract(org=org, number=number, renews=renews, **fields),
        actor=actor,
        conflict=_contract_conflict,
        note={"覆盖单位": [u.name for u in units]},
    )
    ContractUnit.objects.bulk_create([ContractUnit(contract=contract, unit=u) for u in units])
    _note_units(units)
    return contract


def filing_dates(submitted_on: dt.date, term_years: int) -> dict:
    """A submission's dates: the review period's last day, in force from the day after, for
    the term (expiring on the anniversary, the first day it no longer counts)."""
    deadline = submitted_on + dt.timedelta(days=REVIEW_DAYS)
    effective = deadline + dt.timedelta(days=1)
    return {
        "status": CollectiveContract.Status.SUBMITTED,
        "submitted_on": submitted_on,
        "objection_deadline": deadline,
        "effective_on": effective,
        "expires_on": add_years(effective, term_years),
    }


def _locked(contract: CollectiveContract) -> CollectiveContract:
    return CollectiveContract.objects.select_for_update().get(pk=contract.pk)


@transaction.atomic
def update_contract(
    *, actor, contract: CollectiveContract, units=None, **data
) -> CollectiveContract:
    """Correct a contract not under review or in force (e.g. after an objection)."""
    _require_writer(actor)
    contract = _locked(contract)
    if contract.status == CollectiveContract.Status.SUBMITTED:
        raise DomainError("已报送审查的合同不能修改", field="status")
    current = {
        name: getattr(contract, name)
        for name in (
            "kind scope region_name employer_party union_party employer_negotiator "
            "union_negotiator congress_approved_on congress_present congress_votes_for "
            "signed_on term_years employees_covered women_covered migrants_covered "
            "last_year_wage wage_rise note"
        ).split()
    }
    old_units = list(Unit.objects.filter(pk__in=contract.covered.values("unit_id")))
    current.update(data)
    fields, new_units = contract_fields(
        units=old_units if units is None else units, actor=actor, **current
    )
    contract, _changed = model_update(instance=contract, data=fields, actor=actor)
    if {u.pk for u in new_units} != {u.pk for u in old_units}:
        contract.covered.all().delete()
        ContractUnit.objects.bulk_create(
            [ContractUnit(contract=contract, unit=u) for u in new_units]
        )
    _note_units([*old_units, *new_units])
    return contract


@transaction.atomic
def submit_contract(
    *, actor, contract: CollectiveContract, submitted_on: dt.date
) -> CollectiveContract:
    """报送审查: late after 10 days (recorded, not refused: the figures show it). With no
    objection within 15 days of receipt it is in force from the day after."""
    _require_writer(actor)
    contract = _locked(contract)
    if contract.status == CollectiveContract.Status.SUBMITTED:
        raise DomainError("该合同已报送审查", field="submitted_on")
    submitted_on = _date(submitted_on, field="submitted_on", label="报送日期")
    if submitted_on < contract.signed_on:
        raise DomainError("报送日期不能早于签订日期", field="submitted_on")
    if contract.objected_on and submitted_on < contract.objected_on:
        raise DomainError("重新报送日期不能早于退回日期", field="submitted_on")
    contract, _ = model_update(
        instance=contract,
        data={
            **filing_dates(submitted_on, contract.term_years),
            "first_submitted_on": contract.first_submitted_on or submitted_on,
        },
        actor=actor,
        note={"报送": "逾期报送" if submitted_on > contract.filing_deadline else "按期报送"},
    )
    _note_units(Unit.objects.filter(pk__in=contract.covered.values("unit_id")))
    return contract


@transaction.atomic
def record_objection(
    *, actor, contract: CollectiveContract, objected_on: dt.date, reason: str
) -> CollectiveContract:
    """The labour bureau objected within the review period: back to the union with the reason."""
    _require_writer(actor)
    contract = _locked(contract)
    if contract.status != CollectiveContract.Status.SUBMITTED:
        raise DomainError("只有报送审查中的合同才能登记异议", field="objected_on")
    objected_on = _date(objected_on, field="objected_on", label="提出异议日期")
    if objected_on < contract.submitted_on:
        raise DomainError("提出异议日期不能早于报送日期", field="objected_on")
    if objected_on > contract.objection_deadline:
        raise DomainError(
            f"审查期已满（{contract.objection_deadline.isoformat()}），合同已生效，不能再登记异议",
            field="objected_on",
        )
    reason = _text(reason, field="reason", label="异议理由", required=True, max_length=300)
    contract, _ = model_update(
        instance=contract,
        data={
            "status": CollectiveContract.Status.OBJECTED,
            "objected_on": objected_on,
            "objection_reason": reason,
            "effective_on": None,
            "expires_on": None,
        },
        actor=actor,
    )
    _note_units(Unit.objects.filter(pk__in=contract.covered.values("unit_id")))
    return contract


@transaction.atomic
def publish_contract(
    *, actor, contract: CollectiveContract, published_on: dt.date
) -> CollectiveContract:
    """向全体职工公布: once in force."""
    _require_writer(actor)
    contract = _locked(contract)
    published_on = _date(published_on, field="published_on", label="公布日期")
    if not contract.in_force_on(published_on):
        raise DomainError("合同生效后才能向职工公布", field="published_on")
    contract, _ = model_update(instance=contract, data={"published_on": published_on}, actor=actor)
    return contract


# ---- workers' congresses ---------------------------------------------------------------------


@transaction.atomic
def create_congress(
    *,
    actor,
    org: Org,
    name: str,
    units: Iterable[Unit],
    term_number: int,
    term_starts_on: dt.date,
    scope: str = Scope.ENTERPRISE,
    term_ends_on: dt.date | None = None,
) -> WorkersCongress:
    """A congress term (届): three years unless the end is given."""
    _require_writer(actor)
    _check_org(org, actor, label="所属工会")
    scope = _choice(scope, Scope, field="scope", label="范围")
    units = _check_units(units, actor)
    if scope == Scope.ENTERPRISE and len(units) != 1:
        raise DomainError("企业职代会只属于一个单位", field="units")
    starts = _date(term_starts_on, field="term_starts_on", label="本届起始日期")
    ends = term_ends_on or add_years(starts, CONGRESS_TERM_YEARS)
    if ends <= starts:
        raise DomainError("届满日期须晚于起始日期", field="term_ends_on")
    name = _text(name, field="name", label="名称", required=True, max_length=100)
    number = _count(term_number, field="term_number", label="届次", minimum=1)
    conflict = DomainError(f"“{name}”第{number}届已登记", field="term_number")
    if WorkersCongress.objects.filter(org=org, name=name, term_number=number).exists():
        raise conflict
    congress = model_create(
        instance=WorkersCongress(
            org=org,
            scope=scope,
            name=name,
            term_number=number,
            term_starts_on=starts,
            term_ends_on=ends,
        ),
        actor=actor,
        conflict=conflict,
        note={"单位": [u.name for u in units]},
    )
    congress.units.set(units)
    return congress


@transaction.atomic
def record_session(
    *,
    actor,
    congress: WorkersCongress,
    number: int,
    held_on: dt.date,
    delegates_elected: int,
    delegates_present: int,
    frontline_delegates: int = 0,
    women_delegates: int = 0,
    items: str = "",
) -> CongressSession:
    _require_writer(actor)
    _check_org(congress.org, actor, label="所属工会")
    number = _count(number, field="number", label="会次", minimum=1)
    held_on = _date(held_on, field="held_on", label="召开日期")
    if not congress.term_starts_on <= held_on <= congress.term_ends_on:
        raise DomainError("召开日期须在本届任期内", field="held_on")
    elected = _count(delegates_elected, field="delegates_elected", label="应到代表数", minimum=1)
    present = _count(delegates_present, field="delegates_present", label="实到代表数")
    if present > elected:
        raise DomainError("实到代表数不能多于应到代表数", field="delegates_present")
    if present * 3 < elected * 2:
        raise DomainError("职代会须有三分之二以上代表出席方可召开", field="delegates_present")
    frontline = _count(frontline_delegates or 0, field="frontline_delegates", label="一线职工代表")
    women = _count(women_delegates or 0, field="women_delegates", label="女职工代表")
    if frontline > elected:
        raise DomainError("一线职工代表不能多于应到代表数", field="frontline_delegates")
    if women > elected:
        raise DomainError("女职工代表不能多于应到代表数", field="women_delegates")
    conflict = DomainError(f"本届第{number}次会议已登记", field="number")
    if CongressSession.objects.filter(congress=congress, number=number).exists():
        raise conflict
    session = model_create(
        instance=CongressSession(
            congress=congress,
            org=congress.org,
            number=number,
            held_on=held_on,
            delegates_elected=elected,
            delegates_present=present,
            frontline_delegates=frontline,
            women_delegates=women,
            items=_text(items, field="items", label="审议事项", max_length=2000),
        ),
        actor=actor,
        conflict=conflict,
    )
    return session


def _proposal_state(status, handled_on) -> tuple[str, dt.date | None]:
    status = _choice(status, CongressProposal.Status, field="status", label="办理状态")
    if status == CongressProposal.Status.DONE:
        return status, _date(handled_on, field="handled_on", label="办结日期")
    return status, None


@transaction.atomic
def add_proposal(
    *,
    actor,
    session: CongressSession,
    title: str,
    proposer: str,
    status: str = CongressProposal.Status.FILED,
    handled_on: dt.date | None = None,
    reply: str = "",
) -> CongressProposal:
    _require_writer(actor)
    _check_org(session.org, actor, label="所属工会")
    status, handled_on = _proposal_state(status, handled_on)
    if handled_on and handled_on < session.held_on:
        raise DomainError("办结日期不能早于会议日期", field="handled_on")
    return model_create(
        instance=CongressProposal(
            session=session,
            org=session.org,
            title=_text(title, field="title", label="提案标题", required=True),
            proposer=_text(
                proposer, field="proposer", label="提案人", required=True, max_length=100
            ),
            status=status,
            status_on=handled_on or session.held_on,
            handled_on=handled_on,
            reply=_text(reply, field="reply", label="办理答复", max_length=300),
        ),
        actor=actor,
    )


# A proposal's handling (办理): 立案 → 办理中 → 已办结; a filed one may also be answered at
# once (已办结) or turned down (不予立案). 已办结 and 不予立案 are final.
PROPOSAL_NEXT = {
    CongressProposal.Status.FILED: (
        CongressProposal.Status.HANDLING,
        CongressProposal.Status.DONE,
        CongressProposal.Status.DECLINED,
    ),
    CongressProposal.Status.HANDLING: (CongressProposal.Status.DONE,),
    CongressProposal.Status.DONE: (),
    CongressProposal.Status.DECLINED: (),
}


def proposal_next(proposal: CongressProposal) -> list[str]:
    """The statuses a proposal may move to from where it is."""
    return list(PROPOSAL_NEXT.get(proposal.status, ()))


@transaction.atomic
def change_proposal_status(
    *, actor, proposal: CongressProposal, status: str, on: dt.date, reply: str = ""
) -> CongressProposal:
    """Move a proposal on in its handling, on the day ``on``: not before its session nor
    before its last change, never in the future. 已办结 is dated by ``on`` (办结日期); 不予立案
    needs the reason in ``reply``; a blank reply keeps the one given before."""
    _require_writer(actor)
    _check_org(proposal.org, actor, label="所属工会")
    proposal = (
        CongressProposal.objects.select_for_update().select_related("session").get(pk=proposal.pk)
    )
    status = _choice(status, CongressProposal.Status, field="status", label="办理状态")
    current = CongressProposal.Status(proposal.status)
    if status == current:
        raise DomainError(f"该提案已是“{current.label}”", field="status")
    if status not in PROPOSAL_NEXT[current]:
        if not PROPOSAL_NEXT[current]:
            raise DomainError(f"“{current.label}”的提案不能再改变办理状态", field="status")
        allowed = "、".join(CongressProposal.Status(s).label for s in PROPOSAL_NEXT[current])
        raise DomainError(
            f"“{current.label}”的提案只能改为{allowed}，不能改为“{CongressProposal.Status(status).label}”",
            field="status",
        )
    on = _date(on, field="on", label="日期")
    if on < proposal.session.held_on:
        raise DomainError(
            f"日期不能早于会议召开日期{proposal.session.held_on.isoformat()}", field="on"
        )
    last = proposal.status_on or proposal.session.held_on
    if on < last:
        raise DomainError(f"日期不能早于上次办理状态变更日期{last.isoformat()}", field="on")
    reply = _text(reply, field="reply", label="办理答复", max_length=300)
    if status == CongressProposal.Status.DECLINED and not reply:
        raise DomainError("不予立案须在办理答复中说明理由", field="reply")
    data = {
        "status": status,
        "status_on": on,
        "handled_on": on if status == CongressProposal.Status.DONE else None,
        "reply": reply or proposal.reply,
    }
    proposal, _ = model_update(instance=proposal, data=data, actor=actor)
    return proposal


@transaction.atomic
def elect_representative(
    *, actor, congress: WorkersCongress, name: str, role: str, elected_on: dt.date
) -> WorkerRepresentative:
    _require_writer(actor)
    _check_org(congress.org, actor, label="所属工会")
    return model_create(
        instance=WorkerRepresentative(
            congress=congress,
            name=_text(name, field="name", label="姓名", required=True, max_length=50),
            role=_choice(role, WorkerRepresentative.Role, field="role", label="职务"),
            elected_on=_date(elected_on, field="elected_on", label="当选日期"),
        ),
        actor=actor,
        org=congress.org,
    )


# ---- 厂务公开 ----------------------------------------------------------------------------------


def _picked(values, dictionary, *, field: str, label: str) -> list[str]:
    known = dict(dictionary)
    picked = list(dict.fromkeys(values or ()))
    for value in picked:
        if value not in known:
            raise DomainError(f"{label}“{value}”不在字典中", field=field)
    if not picked:
        raise DomainError(f"请选择至少一项{label}", field=field)
    return picked


@transaction.atomic
def record_openness(
    *,
    actor,
    org: Org,
    unit: Unit,
    year: int,
    items: Iterable[str],
    channels: Iterable[str],
    supervisor: str = "",
    in_assessment: bool = False,
) -> Openness:
    _require_writer(actor)
    _check_org(org, actor, label="所属工会")
    (unit,) = _check_units([unit], actor, field="unit")
    year = _count(year, field="year", label="年度", minimum=1990)
    conflict = DomainError(f"“{unit.name}”{year}年的厂务公开已登记", field="year")
    if Openness.objects.filter(unit=unit, year=year).exists():
        raise conflict
    return model_create(
        instance=Openness(
            org=org,
            unit=unit,
            year=year,
            items=_picked(items, OPENNESS_ITEMS, field="items", label="公开事项"),
            channels=_picked(channels, OPENNESS_CHANNELS, field="channels", label="公开形式"),
            supervisor=_text(supervisor, field="supervisor", label="监督小组", max_length=100),
            in_assessment=bool(in_assessment),
        ),
        actor=actor,
        conflict=conflict,
    )


# ---- harmonious-enterprise assessment ----------------------------------------------------------


def _require_federation(actor) -> None:
    if actor is not None and (not roles.can_manage_accounts(actor) or actor.org.parent_id):
        raise PermissionDenied("只有省总工会管理员可以修改评分表")


def _check_sheet(items, pass_mark) -> tuple[list[dict], Decimal]:
    cleaned, codes, total = [], set(), Decimal(0)
    for i, item in enumerate(items or (), start=1):
        code = str(item.get("code", "")).strip()
        if not code or code in codes:
            raise DomainError(f"第{i}项的编号为空或重复", field="items")
        if item.get("part") not in PARTS:
            raise DomainError(f"第{i}项的部分须为{'、'.join(PARTS.values())}之一", field="items")
        name = _text(item.get("name"), field="items", label=f"第{i}项名称", required=True)
        top = _decimal(
            item.get("max"), field="items", label=f"第{i}项分值", low=0, high=100, places=1
        )
        codes.add(code)
        total += top
        cleaned.append({"code": code, "part": item["part"], "name": name, "max": str(top)})
    if total != 100:
        raise DomainError(f"评分表各项分值合计须为100分（现为{total}分）", field="items")
    mark = _decimal(pass_mark, field="pass_mark", label="达标分数", low=0, high=100, places=1)
    return cleaned, mark


def sheet_for(year: int) -> ScoreSheet:
    """The year's sheet; a year not yet edited uses the standing sheet (unsaved)."""
    sheet = ScoreSheet.objects.filter(year=year).first()
    return sheet or ScoreSheet(year=year, items=DEFAULT_SHEET, pass_mark=DEFAULT_PASS_MARK)


@transaction.atomic
def save_score_sheet(*, actor, year: int, items: list[dict], pass_mark=DEFAULT_PASS_MARK):
    """The federation's sheet for ``year`` (only that year: other years keep theirs)."""
    _require_federation(actor)
    year = _count(year, field="year", label="年度", minimum=1990)
    items, mark = _check_sheet(items, pass_mark)
    if HarmonyAssessment.objects.filter(year=year, total_score__isnull=False).exists():
        raise DomainError(f"{year}年已有评分的申报，评分表不能再改", field="items")
    sheet = ScoreSheet.objects.select_for_update().filter(year=year).first()
    if sheet is None:
        sheet = ScoreSheet(year=year, items=items, pass_mark=mark)
        sheet.save()
        audit.record(
            actor=actor, action="create", instance=sheet, org=getattr(actor, "org", None),
            after=audit.snapshot(sheet),
        )  # fmt: skip
        return sheet
    sheet, _ = model_update(
        instance=sheet,
        data={"items": items, "pass_mark": mark},
        actor=actor,
        org=getattr(actor, "org", None),
    )
    return sheet


@transaction.atomic
def apply_assessment(
    *, actor, org: Org, unit: Unit, year: int, applied_on: dt.date
) -> HarmonyAssessment:
    _require_writer(actor)
    _check_org(org, actor, label="申报工会")
    (unit,) = _check_units([unit], actor, field="unit")
    year = _count(year, field="year", label="年度", minimum=1990)
    conflict = DomainError(f"“{unit.name}”已申报{year}年劳动关系和谐企业", field="year")
    if HarmonyAssessment.objects.filter(unit=unit, year=year).exists():
        raise conflict
    return model_create(
        instance=HarmonyAssessment(
            org=org,
            unit=unit,
            year=year,
            applied_on=_date(applied_on, field="applied_on", label="申报日期"),
        ),
        actor=actor,
        conflict=conflict,
    )


def _locked_assessment(assessment: HarmonyAssessment) -> HarmonyAssessment:
    return HarmonyAssessment.objects.select_for_update().get(pk=assessment.pk)


def score(items: list[dict], scores: dict) -> dict[str, Decimal]:
    """The parts' totals and the total of ``scores`` on the sheet ``items``."""
    parts = dict.fromkeys(PARTS, Decimal(0))
    for item in items:
        given = scores.get(item["code"])
        label = f"“{item['name']}”得分"
        if given in (None, ""):
            raise DomainError(f"{label}不能为空", field="scores")
        value = _decimal(
            given, field="scores", label=label, low=0, high=Decimal(item["max"]), places=1
        )
        parts[item["part"]] += value
    return {**parts, "total": sum(parts.values(), Decimal(0))}


@transaction.atomic
def score_assessment(
    *,
    actor,
    assessment: HarmonyAssessment,
    scores: dict,
    scored_on: dt.date,
    site_visit_score=None,
    survey_score=None,
) -> HarmonyAssessment:
    """Score on the sheet of the assessment's year; passes at the year's pass mark."""
    _require_writer(actor)
    assessment = _locked_assessment(assessment)
    if assessment.status not in (HarmonyAssessment.Status.APPLIED, HarmonyAssessment.Status.FAILED,
                                 HarmonyAssessment.Status.PASSED):  # fmt: skip
        raise DomainError("已进入公示或已命名的申报不能重新评分", field="scores")
    sheet = sheet_for(assessment.year)
    totals = score(sheet.items, scores)
    extra = {}
    for name, value, label in (
        ("site_visit_score", site_visit_score, "实地考察得分"),
        ("survey_score", survey_score, "职工满意度测评得分"),
    ):
        extra[name] = (
            None
            if value in (None, "")
            else _decimal(value, field=name, label=label, low=0, high=100, places=1)
        )
    passed = totals["total"] >= sheet.pass_mark
    assessment, _ = model_update(
        instance=assessment,
        data={
            "scores": {k: str(v) for k, v in scores.items()},
            "basic_score": totals["basic"],
            "system_score": totals["system"],
            "effect_score": totals["effect"],
            "total_score": totals["total"],
            "scored_on": _date(scored_on, field="scored_on", label="评审日期"),
            "status": HarmonyAssessment.Status.PASSED
            if passed
            else HarmonyAssessment.Status.FAILED,
            **extra,
        },
        actor=actor,
        note={"达标分数": str(sheet.pass_mark)},
    )
    return assessment


@transaction.atomic
def start_notice(
    *, actor, assessment: HarmonyAssessment, notice_from: dt.date, days: int = NOTICE_DAYS
) -> HarmonyAssessment:
    _require_writer(actor)
    assessment = _locked_assessment(assessment)
    if assessment.status != HarmonyAssessment.Status.PASSED:
        raise DomainError("评审达标后才能公示", field="notice_from")
    start = _date(notice_from, field="notice_from", label="公示开始日期")
    days = _count(days, field="days", label="公示天数", minimum=NOTICE_DAYS)
    assessment, _ = model_update(
        instance=assessment,
        data={
            "status": HarmonyAssessment.Status.NOTICE,
            "notice_from": start,
            "notice_until": start + dt.timedelta(days=days - 1),
        },
        actor=actor,
    )
    return assessment


@transaction.atomic
def commend(
    *,
    actor,
    assessment: HarmonyAssessment,
    level: str,
    commended_on: dt.date,
    decision: str = "",
) -> HarmonyAssessment:
    """The tripartite decision naming the unit, after the notice period."""
    _require_writer(actor)
    assessment = _locked_assessment(assessment)
    if assessment.status != HarmonyAssessment.Status.NOTICE:
        raise DomainError("公示期满后才能命名表彰", field="commended_on")
    on = _date(commended_on, field="commended_on", label="命名日期")
    if on <= assessment.notice_until:
        raise DomainError(
            f"公示期至{assessment.notice_until.isoformat()}，期满后才能命名", field="commended_on"
        )
    assessment, _ = model_update(
        instance=assessment,
        data={
            "status": HarmonyAssessment.Status.COMMENDED,
            "level": _choice(level, Level, field="level", label="命名级别"),
            "commended_on": on,
            "decision": _text(decision, field="decision", label="决定文号", max_length=100),
        },
        actor=actor,
    )
    return assessment


# ---- dispute mediation -----------------------------------------------------------------------


@transaction.atomic
def create_committee(
    *,
    actor,
    org: Org,
    unit: Unit,
    chair: str,
    worker_members: int,
    employer_members: int,
    established_on: dt.date,
) -> MediationCommittee:
    _require_writer(actor)
    _check_org(org, actor, label="所属工会")
    (unit,) = _check_units([unit], actor, field="unit")
    conflict = DomainError(f"“{unit.name}”已有劳动争议调解委员会", field="unit")
    if MediationCommittee.objects.filter(unit=unit).exists():
        raise conflict
    workers = _count(worker_members, field="worker_members", label="职工代表人数", minimum=1)
    employer = _count(employer_members, field="employer_members", label="企业代表人数", minimum=1)
    if employer > workers:
        raise DomainError("企业代表人数不得超过调解委员会成员的一半", field="employer_members")
    return model_create(
        instance=MediationCommittee(
            org=org,
            unit=unit,
            chair=_text(chair, field="chair", label="主任", required=True, max_length=50),
            worker_members=workers,
            employer_members=employer,
            established_on=_date(established_on, field="established_on", label="成立日期"),
        ),
        actor=actor,
        conflict=conflict,
    )


@transaction.atomic
def accept_dispute(
    *,
    actor,
    org: Org,
    unit: Unit,
    applicants: int,
    cause: str,
    accepted_on: dt.date,
    amount_claimed=0,
    applicant_names: str = "",
    committee: MediationCommittee | None = None,
    note: str = "",
) -> Dispute:
    """受理: mediation must end within 15 days of acceptance (else flagged)."""
    _require_writer(actor)
    _check_org(org, actor, label="受理工会")
    (unit,) = _check_units([unit], actor, field="unit")
    if committee is not None and committee.unit_id != unit.pk:
        raise DomainError("调解委员会须是该单位的", field="committee")
    accepted_on = _date(accepted_on, field="accepted_on", label="受理日期")
    return model_create(
        instance=Dispute(
            org=org,
            unit=unit,
            committee=committee,
            applicants=_count(applicants, field="applicants", label="申请人数", minimum=1),
            applicant_names=_text(
                applicant_names, field="applicant_names", label="申请人", max_length=300
            ),
            cause=_choice(cause, Dispute.Cause, field="cause", label="争议原因"),
            amount_claimed=_money(amount_claimed or 0, field="amount_claimed", label="请求金额"),
            accepted_on=accepted_on,
            deadline=accepted_on + dt.timedelta(days=MEDIATION_DAYS),
            note=_text(note, field="note", label="备注"),
        ),
        actor=actor,
    )


@transaction.atomic
def close_dispute(
    *, actor, dispute: Dispute, outcome: str, closed_on: dt.date, agreement_amount=0
) -> Dispute:
    """调解成功 (with the agreement's amount) or 调解不成 → 仲裁."""
    _require_writer(actor)
    dispute = Dispute.objects.select_for_update().get(pk=dispute.pk)
    if dispute.outcome != Dispute.Outcome.OPEN:
        raise DomainError("该案件已结案", field="outcome")
    outcome = _choice(outcome, Dispute.Outcome, field="outcome", label="结果")
    if outcome == Dispute.Outcome.OPEN:
        raise DomainError("请选择调解成功或调解不成", field="outcome")
    closed_on = _date(closed_on, field="closed_on", label="结案日期")
    if closed_on < dispute.accepted_on:
        raise DomainError("结案日期不能早于受理日期", field="closed_on")
    amount = _money(agreement_amount or 0, field="agreement_amount", label="协议金额")
    if outcome == Dispute.Outcome.FAILED and amount:
        raise DomainError("调解不成的案件没有协议金额", field="agreement_amount")
    dispute, _ = model_update(
        instance=dispute,
        data={"outcome": outcome, "closed_on": closed_on, "agreement_amount": amount},
        actor=actor,
    )
    return dispute
