"""What the 和谐劳动关系 API reads and writes. Money travels as decimal strings (yuan to the
fen); related records as ids; units as unit ids."""

import datetime as dt
from decimal import Decimal

from ninja import Field, Schema

from unionworks.core.api import bounded_by
from unionworks.core.money import Money
from unionworks.relations.models import (
    CollectiveContract,
    CongressProposal,
    CongressSession,
    Dispute,
    HarmonyAssessment,
    Level,
    Openness,
    Scope,
    WorkerRepresentative,
    WorkersCongress,
)

COUNT = {"ge": 0, "le": 10_000_000}


@bounded_by(CollectiveContract)
class ContractFilter(Schema):
    q: str = Field("", description="合同编号、企业方或区域")
    kind: CollectiveContract.Kind | None = None
    scope: str = Field("", description="enterprise / regional / industry；regional 含行业性")
    state: str = Field(
        "", description="in_force 已生效 / review 审查中 / to_submit 待报送 / late 逾期未报送 / "
        "objected 有异议退回 / expired 已到期 / renewal 3个月内到期待续签"
    )  # fmt: skip
    org: int | None = Field(None, description="只看该组织及其下级")


@bounded_by(CollectiveContract)
class ContractIn(Schema):
    org: int = Field(description="签订工会编号")
    kind: CollectiveContract.Kind
    scope: Scope
    units: list[int] = Field(description="覆盖单位编号：企业合同一个，区域性、行业性多个")
    signed_on: dt.date
    term_years: int = Field(ge=1, le=3)
    employees_covered: int = Field(ge=1, le=10_000_000)
    employer_party: str
    union_party: str
    congress_approved_on: dt.date
    congress_present: int = Field(ge=1, le=10_000_000)
    congress_votes_for: int = Field(**COUNT)
    number: str = ""
    region_name: str = ""
    employer_negotiator: str = ""
    union_negotiator: str = ""
    women_covered: int = Field(0, **COUNT)
    migrants_covered: int = Field(0, **COUNT)
    last_year_wage: Money | None = None
    wage_rise: Decimal | None = Field(None, ge=-50, le=200, decimal_places=2)
    renews: int | None = Field(None, description="续签的原合同编号（id）")
    note: str = ""


class ContractOut(Schema):
    id: int
    org: int = Field(alias="org_id")
    org_name: str = Field(alias="org.name")
    number: str
    kind: CollectiveContract.Kind
    scope: Scope
    region_name: str
    employer_party: str
    union_party: str
    signed_on: dt.date
    term_years: int
    employees_covered: int
    women_covered: int
    migrants_covered: int
    last_year_wage: Decimal | None
    wage_rise: Decimal | None
    status: CollectiveContract.Status
    filing_deadline: dt.date
    first_submitted_on: dt.date | None
    submitted_on: dt.date | None
    objection_deadline: dt.date | None
    objected_on: dt.date | None
    objection_reason: str
    effective_on: dt.date | None
    expires_on: dt.date | None
    published_on: dt.date | None
    filed_late: bool | None


class ContractDetailOut(ContractOut):
    units: list[int] = Field(alias="unit_ids")
    state: str = Field(alias="state_today", description="今天的状态")


@bounded_by()
class SubmitIn(Schema):
    submitted_on: dt.date


@bounded_by(CollectiveContract)
class ObjectionIn(Schema):
    objected_on: dt.date
    reason: str


@bounded_by()
class PublishIn(Schema):
    published_on: dt.date


@bounded_by(WorkersCongress)
class CongressIn(Schema):
    org: int
    name: str
    units: list[int]
    term_number: int = Field(ge=1, le=99)
    term_starts_on: dt.date
    scope: Scope = Scope.ENTERPRISE
    term_ends_on: dt.date | None = None


class CongressOut(Schema):
    id: int
    org: int = Field(alias="org_id")
    scope: Scope
    name: str
    term_number: int
    term_starts_on: dt.date
    term_ends_on: dt.date


@bounded_by(CongressSession)
class SessionIn(Schema):
    number: int = Field(ge=1, le=99)
    held_on: dt.date
    delegates_elected: int = Field(ge=1, le=10_000_000)
    delegates_present: int = Field(**COUNT)
    frontline_delegates: int = Field(0, **COUNT)
    women_delegates: int = Field(0, **COUNT)
    items: str = ""


class SessionOut(SessionIn):
    id: int
    congress: int = Field(alias="congress_id")


@bounded_by(CongressProposal)
class ProposalIn(Schema):
    session: int
    title: str
    proposer: str
    status: CongressProposal.Status = CongressProposal.Status.FILED
    handled_on: dt.date | None = None
    reply: str = ""


@bounded_by(CongressProposal)
class ProposalStatusIn(Schema):
    status: CongressProposal.Status
    on: dt.date
    reply: str = ""


class ProposalOut(Schema):
    id: int
    session: int = Field(alias="session_id")
    title: str
    proposer: str
    status: CongressProposal.Status
    status_on: dt.date | None
    handled_on: dt.date | None
    reply: str


@bounded_by(WorkerRepresentative)
class RepresentativeIn(Schema):
    name: str
    role: WorkerRepresentative.Role
    elected_on: dt.date


@bounded_by(Openness)
class OpennessIn(Schema):
    org: int
    unit: int
    year: int = Field(ge=1990, le=2100)
    items: list[str]
    channels: list[str]
    supervisor: str = ""
    in_assessment: bool = False


class OpennessOut(Schema):
    id: int
    org: int = Field(alias="org_id")
    unit: int = Field(alias="unit_id")
    year: int
    items: list[str]
    channels: list[str]
    supervisor: str
    in_assessment: bool


@bounded_by(HarmonyAssessment)
class ApplyIn(Schema):
    org: int
    unit: int
    year: int = Field(ge=1990, le=2100)
    applied_on: dt.date


@bounded_by(HarmonyAssessment)
class ScoreIn(Schema):
    scores: dict[str, Decimal] = Field(description="评分表各项编号 → 得分")
    scored_on: dt.date
    site_visit_score: Decimal | None = Field(None, ge=0, le=100)
    survey_score: Decimal | None = Field(None, ge=0, le=100)


@bounded_by()
class NoticeIn(Schema):
    notice_from: dt.date
    days: int = Field(7, ge=7, le=60)


@bounded_by(HarmonyAssessment)
class CommendIn(Schema):
    level: Level
    commended_on: dt.date
    decision: str = ""


class AssessmentOut(Schema):
    id: int
    org: int = Field(alias="org_id")
    unit: int = Field(alias="unit_id")
    unit_name: str = Field(alias="unit.name")
    year: int
    applied_on: dt.date
    status: HarmonyAssessment.Status
    scores: dict
    basic_score: Decimal | None
    system_score: Decimal | None
    effect_score: Decimal | None
    total_score: Decimal | None
    site_visit_score: Decimal | None
    survey_score: Decimal | None
    notice_from: dt.date | None
    notice_until: dt.date | None
    level: str
    commended_on: dt.date | None
    decision: str


@bounded_by()
class SheetItem(Schema):
    code: str
    part: str = Field(description="basic 基础指标 / system 建制指标 / effect 创建成效")
    name: str
    max: Decimal


@bounded_by()
class SheetIn(Schema):
    items: list[SheetItem]
    pass_mark: Decimal = Field(Decimal("90"), ge=0, le=100)


class SheetOut(Schema):
    year: int
    items: list[dict]
    pass_mark: Decimal


@bounded_by(Dispute)
class DisputeIn(Schema):
    org: int
    unit: int
    applicants: int = Field(ge=1, le=10_000_000)
    cause: Dispute.Cause
    accepted_on: dt.date
    amount_claimed: Money = Decimal("0")
    applicant_names: str = ""
    committee: int | None = None
    note: str = ""


@bounded_by(Dispute)
class CloseDisputeIn(Schema):
    outcome: Dispute.Outcome
    closed_on: dt.date
    agreement_amount: Money = Decimal("0")


class DisputeOut(Schema):
    id: int
    org: int = Field(alias="org_id")
    unit: int = Field(alias="unit_id")
    committee: int | None = Field(alias="committee_id")
    applicants: int
    cause: Dispute.Cause
    amount_claimed: Decimal
    accepted_on: dt.date
    deadline: dt.date
    outcome: Dispute.Outcome
    closed_on: dt.date | None
    agreement_amount: Decimal


@bounded_by(Dispute)
class DisputeFilter(Schema):
    outcome: Dispute.Outcome | None = None
    cause: Dispute.Cause | None = None
    overdue: bool = Field(False, description="只看超过15日未结的（截至今天）")
    org: int | None = None
