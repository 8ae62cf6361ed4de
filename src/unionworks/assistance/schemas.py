"""What the assistance API reads and writes. Money travels as decimal strings (yuan to the
fen, e.g. "1234.50"); ID numbers travel masked; related records as ids."""

import datetime as dt
from decimal import Decimal

from ninja import Field, Schema

from unionworks.assistance.models import (
    AssistanceCentre,
    Campaign,
    CentreFunding,
    Disbursement,
    FundRaising,
    HardshipFile,
    HardshipReview,
    HouseholdMember,
    SafeReturnTrip,
    Source,
    WageArrearsCase,
    WageArrearsWorker,
)
from unionworks.assistance.selectors import campaign_totals
from unionworks.core.api import bounded_by
from unionworks.core.money import Money
from unionworks.core.numbers import schema_bounds


class PersonOut(Schema):
    name: str
    sex: str
    birth_date: dt.date
    id_number: str = Field(alias="id_number_mask", description="脱敏身份证号")
    member: int | None = Field(
        alias="member_id", description="会员编号（同一身份证号在会员名册中时）"
    )


@bounded_by(HouseholdMember)
class HouseholdIn(Schema):
    name: str
    relation: str
    yearly_income: Money = Decimal("0")
    situation: str = ""


class HouseholdOut(HouseholdIn):
    id: int


class ReviewOut(Schema):
    reviewed_on: dt.date
    household_size: int
    household_income: Decimal
    per_capita_income: Decimal
    level: HardshipFile.Level
    note: str


class HardshipFileOut(PersonOut):
    id: int
    org: int = Field(alias="org_id")
    org_name: str = Field(alias="org.name")
    centre: int | None = Field(alias="centre_id")
    unit: int | None = Field(alias="unit_id")
    phone: str = Field(alias="phone_mask", description="脱敏手机号")
    household_size: int
    household_income: Decimal = Field(description="家庭年收入（元）")
    per_capita_income: Decimal = Field(description="家庭人均月收入（元）")
    local_line: Decimal = Field(description="当地困难标准（元/人·月）")
    causes: list[HardshipFile.Cause]
    level: HardshipFile.Level
    status: HardshipFile.Status
    opened_on: dt.date
    last_reviewed_on: dt.date | None
    review_due: dt.date = Field(description="下次复核应在此日之前")
    closed_on: dt.date | None
    closing: str
    closing_note: str
    note: str


class HardshipFileDetailOut(HardshipFileOut):
    household: list[HouseholdOut]
    reviews: list[ReviewOut]

    @staticmethod
    def resolve_household(obj: HardshipFile) -> list:
        return list(obj.household.all())

    @staticmethod
    def resolve_reviews(obj: HardshipFile) -> list:
        return list(obj.reviews.order_by("-reviewed_on", "-id"))


@bounded_by()
class FileFilter(Schema):
    q: str = Field("", description="姓名或脱敏身份证号（完整身份证号放在请求头 X-Id-Number 中）")
    status: HardshipFile.Status | None = None
    level: HardshipFile.Level | None = None
    org: int | None = Field(None, description="只看该组织及其下级")
    overdue: bool = Field(False, description="只看逾期未复核的（截至今天）")


@bounded_by(HardshipFile)
class FileIn(Schema):
    org: int = Field(description="建档工会编号")
    id_number: str
    name: str
    household_size: int = Field(**schema_bounds(HardshipFile, "household_size"))
    household_income: Money = Field(description="家庭年收入（元）")
    local_line: Money = Field(description="当地困难标准（元/人·月）")
    level: HardshipFile.Level
    causes: list[HardshipFile.Cause]
    opened_on: dt.date
    centre: int | None = None
    unit: int | None = None
    phone: str = ""
    note: str = ""
    household: list[HouseholdIn] = []


@bounded_by(HardshipReview)
class ReviewIn(Schema):
    reviewed_on: dt.date
    household_size: int = Field(**schema_bounds(HardshipFile, "household_size"))
    household_income: Money
    level: HardshipFile.Level
    note: str = ""


@bounded_by(HardshipFile, note="closing_note")
class CloseIn(Schema):
    closed_on: dt.date
    note: str = Field(description="销档说明（必填）")
    closing: HardshipFile.Closing = HardshipFile.Closing.OUT_OF_HARDSHIP


class CentreOut(Schema):
    id: int
    org: int = Field(alias="org_id")
    org_name: str = Field(alias="org.name")
    name: str
    address: str
    phone: str
    opened_on: dt.date | None
    staff: int
    funding_total: Decimal | None = None


@bounded_by(AssistanceCentre)
class CentreIn(Schema):
    org: int
    name: str
    address: str = ""
    phone: str = ""
    opened_on: dt.date | None = None
    staff: int = Field(0, **schema_bounds(AssistanceCentre, "staff"))
    note: str = ""


@bounded_by(CentreFunding)
class FundingIn(Schema):
    received_on: dt.date
    source: Source
    amount: Money
    purpose: str = ""


class FundingOut(FundingIn):
    id: int
    centre: int = Field(alias="centre_id")


class CampaignOut(Schema):
    id: int
    org: int = Field(alias="org_id")
    org_name: str = Field(alias="org.name")
    kind: Campaign.Kind
    kind_display: str
    name: str
    year: int
    start_date: dt.date
    end_date: dt.date
    budget: Decimal
    participants: list[int] = Field(description="参加的下级组织；为空时组织单位的全部下级参加")
    note: str

    @staticmethod
    def resolve_kind_display(obj: Campaign) -> str:
        return obj.get_kind_display()

    @staticmethod
    def resolve_participants(obj: Campaign) -> list[int]:
        return [p.pk for p in obj.participants.all()]


class CampaignDetailOut(CampaignOut):
    raised: Decimal = Field(description="已筹集（资金+物资折款）")
    paid: Decimal = Field(description="已发放")
    approved: Decimal = Field(description="已批准待发放")
    balance: Decimal = Field(description="余额 = 已筹集 - 已发放")

    @staticmethod
    def resolve_raised(obj: Campaign) -> Decimal:
        return obj.totals.raised

    @staticmethod
    def resolve_paid(obj: Campaign) -> Decimal:
        return obj.totals.paid

    @staticmethod
    def resolve_approved(obj: Campaign) -> Decimal:
        return obj.totals.approved

    @staticmethod
    def resolve_balance(obj: Campaign) -> Decimal:
        return obj.totals.balance


def with_totals(campaign: Campaign) -> Campaign:
    campaign.totals = campaign_totals(campaign)
    return campaign


@bounded_by(Campaign)
class CampaignIn(Schema):
    org: int = Field(description="组织单位编号")
    kind: Campaign.Kind
    name: str
    year: int = Field(**schema_bounds(Campaign, "year"))
    start_date: dt.date
    end_date: dt.date
    budget: Money = Decimal("0")
    participants: list[int] = []
    note: str = ""


@bounded_by()
class CampaignFilter(Schema):
    year: int | None = None
    kind: Campaign.Kind | None = None


@bounded_by(FundRaising)
class RaisingIn(Schema):
    campaign: int
    org: int = Field(description="筹资单位编号")
    source: Source
    received_on: dt.date
    cash: Money = Decimal("0")
    goods_value: Money = Decimal("0")
    donor: str = ""
    note: str = ""
    widen_campaign: bool = Field(
        False, description="到位日期在活动起止日期之外时，同时放宽活动日期"
    )


class RaisingOut(Schema):
    id: int
    campaign: int = Field(alias="campaign_id")
    campaign_name: str = Field(alias="campaign.name")
    org: int = Field(alias="org_id")
    org_name: str = Field(alias="org.name")
    source: Source
    received_on: dt.date
    cash: Decimal
    goods_value: Decimal
    donor: str
    note: str


class DisbursementOut(PersonOut):
    id: int
    campaign: int = Field(alias="campaign_id")
    campaign_name: str = Field(alias="campaign.name")
    org: int = Field(alias="org_id")
    org_name: str = Field(alias="org.name")
    category: Disbursement.Category
    cash: Decimal
    goods_value: Decimal
    status: Disbursement.Status
    hardship_file: int | None = Field(alias="hardship_file_id")
    school: str
    admission_year: int | None
    student_level: str
    proposed_on: dt.date
    decided_on: dt.date | None
    reject_reason: str
    paid_on: dt.date | None
    note: str


@bounded_by()
class DisbursementFilter(Schema):
    campaign: int | None = None
    status: Disbursement.Status | None = None
    category: Disbursement.Category | None = None
    q: str = Field("", description="姓名或脱敏身份证号（完整身份证号放在请求头 X-Id-Number 中）")
    org: int | None = Field(None, description="只看该组织及其下级提名的")


@bounded_by(Disbursement)
class ProposeIn(Schema):
    campaign: int
    org: int = Field(description="提名单位编号（参加该活动的本组织或下级组织）")
    id_number: str = Field(description="身份证号；金秋助学填学生本人的")
    name: str
    category: Disbursement.Category
    cash: Money = Decimal("0")
    goods_value: Money = Decimal("0")
    proposed_on: dt.date | None = None
    school: str = ""
    admission_year: int | None = Field(None, **schema_bounds(Disbursement, "admission_year"))
    student_level: Disbursement.StudentLevel | None = None
    note: str = ""


@bounded_by(Disbursement)
class DecideIn(Schema):
    on: dt.date | None = None


@bounded_by(Disbursement, reason="reject_reason")
class RejectIn(DecideIn):
    reason: str


@bounded_by()
class BulkDecideIn(Schema):
    """批量审批: the proposals decided at once, approved or not (then with one reason)."""

    ids: list[int] = Field(..., min_length=1, max_length=200)
    approve: bool
    reason: str = Field("", max_length=200)
    on: dt.date | None = None


@bounded_by(Disbursement)
class PayIn(Schema):
    paid_on: dt.date
    cash: Money | None = Field(None, description="实发现金；不填则按批准的金额")
    goods_value: Money | None = Field(None, description="实发实物折款；不填则按批准的金额")


@bounded_by(WageArrearsWorker)
class WorkerIn(Schema):
    id_number: str
    name: str
    amount: Money | None = None


class WorkerOut(PersonOut):
    id: int
    amount: Decimal | None


class WageCaseOut(Schema):
    id: int
    org: int = Field(alias="org_id")
    org_name: str = Field(alias="org.name")
    campaign: int | None = Field(alias="campaign_id")
    unit: int | None = Field(alias="unit_id")
    employer_name: str
    workers_count: int
    amount_owed: Decimal
    amount_recovered: Decimal
    status: WageArrearsCase.Status
    opened_on: dt.date
    resolved_on: dt.date | None
    note: str


class WageCaseDetailOut(WageCaseOut):
    workers: list[WorkerOut]

    @staticmethod
    def resolve_workers(obj: WageArrearsCase) -> list:
        return list(obj.workers.all())


@bounded_by(WageArrearsCase)
class WageCaseIn(Schema):
    org: int
    workers_count: int = Field(**schema_bounds(WageArrearsCase, "workers_count"))
    amount_owed: Money
    opened_on: dt.date
    employer_name: str = ""
    unit: int | None = None
    amount_recovered: Money = Decimal("0")
    status: WageArrearsCase.Status = WageArrearsCase.Status.OPEN
    resolved_on: dt.date | None = None
    campaign: int | None = None
    note: str = ""
    workers: list[WorkerIn] = []


@bounded_by(WageArrearsCase)
class WageCasePatch(Schema):
    amount_recovered: Money
    status: WageArrearsCase.Status
    resolved_on: dt.date | None = None
    workers_count: int | None = Field(None, **schema_bounds(WageArrearsCase, "workers_count"))
    note: str | None = None


@bounded_by()
class WageCaseFilter(Schema):
    status: WageArrearsCase.Status | None = None
    q: str = Field("", description="欠薪单位名称")
    org: int | None = None


@bounded_by(SafeReturnTrip)
class TripIn(Schema):
    campaign: int
    org: int
    trip_date: dt.date
    workers_sent: int = Field(**schema_bounds(SafeReturnTrip, "workers_sent"))
    destination: str = ""
    vehicles: int = Field(0, **schema_bounds(SafeReturnTrip, "vehicles"))
    cost: Money = Decimal("0")
    note: str = ""


class TripOut(Schema):
    id: int
    campaign: int = Field(alias="campaign_id")
    org: int = Field(alias="org_id")
    org_name: str = Field(alias="org.name")
    trip_date: dt.date
    workers_sent: int
    destination: str
    vehicles: int
    cost: Decimal
    note: str
