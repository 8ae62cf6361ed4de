"""实力强会工程 over JSON, scoped like the pages: receipts (and their shares), the ledger,
arrears, share schemes, assets, institutions and assessments.

Reads go through finance.selectors, writes through finance.services. An id outside the
acting user's subtree is a 404 in the path, and a 400 in a body.
"""

import datetime as dt
from decimal import Decimal

from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from unionworks.core.api import ErrorOut, Pagination, bounded_by, resolve_or_domain_error
from unionworks.core.money import Money
from unionworks.finance import selectors, services
from unionworks.finance.levy import late_fee, months_overdue
from unionworks.finance.models import (
    Assessment,
    AssessmentScheme,
    Asset,
    Channel,
    FundReceipt,
    Institution,
    Mode,
    ScoreItem,
    ShareScheme,
)
from unionworks.orgs import selectors as org_selectors
from unionworks.orgs.api import org_in_body, unit_in_body
from unionworks.stats.sources import fen

router = Router(tags=["实力强会工程"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
READ_ERRORS = {401: ErrorOut, 404: ErrorOut, 422: ErrorOut}
FUNDS, ASSETS, INSTITUTIONS = ["工会经费"], ["工会资产"], ["直属事业单位"]


# ---- schemas ---------------------------------------------------------------------------------


class ShareOut(Schema):
    level: str
    org: int | None = Field(alias="org_id")
    flow: str
    amount: Decimal


class ReceiptOut(Schema):
    id: int
    org: int = Field(alias="org_id")
    org_name: str = Field(alias="org.name")
    channel: Channel
    unit: int | None = Field(None, alias="levy.unit_id")
    period: str | None = Field(None, alias="levy.period")
    amount: Decimal
    received_on: dt.date
    portion: str
    moved_to: int | None = Field(None, alias="moved_to_id")
    reference: str


class ReceiptDetailOut(ReceiptOut):
    payroll_base: Decimal | None = Field(None, alias="levy.payroll_base")
    due: Decimal | None = Field(None, alias="levy.due")
    shares: list[ShareOut]

    @staticmethod
    def resolve_shares(obj) -> list:
        return list(selectors.shares_of(obj))


@bounded_by(FundReceipt)
class ReceiptIn(Schema):
    org: int
    channel: Channel
    amount: Money
    received_on: dt.date
    unit: int | None = None
    period: str | None = None
    payroll_base: Money | None = None
    reference: str = ""
    note: str = ""


@bounded_by(FundReceipt)
class ReceiptFilter(Schema):
    channel: Channel | None = None
    year: int | None = Field(None, ge=1990, le=2100)


class LedgerRowOut(Schema):
    label: str
    due: Decimal
    received: Decimal
    own: Decimal
    passed_up: Decimal
    returned_down: Decimal
    returned_in: Decimal


class LedgerOut(Schema):
    org: int
    year: int
    rows: list[LedgerRowOut]
    total: LedgerRowOut


class ArrearsOut(Schema):
    levy: int = Field(alias="id")
    unit: int = Field(alias="unit_id")
    unit_name: str = Field(alias="unit.name")
    org: int = Field(alias="org_id")
    period: str
    due_on: dt.date
    due: Decimal
    received: Decimal
    outstanding: Decimal
    months_overdue: int
    late_fee: Decimal

    @staticmethod
    def resolve_outstanding(obj) -> Decimal:
        return fen(obj.due - obj.received)

    @staticmethod
    def resolve_months_overdue(obj) -> int:
        return months_overdue(obj.due_on, timezone.localdate())

    @staticmethod
    def resolve_late_fee(obj) -> Decimal:
        scheme = selectors.ShareScheme.objects.filter(valid_from__lte=obj.due_on).first()
        rate = scheme.late_fee_rate if scheme else None
        return late_fee(obj.due - obj.received, obj.due_on, timezone.localdate(), rate)


class SchemeOut(Schema):
    id: int
    name: str
    valid_from: dt.date
    mode: Mode
    grassroots_rate: Decimal
    county_rate: Decimal
    city_rate: Decimal
    province_rate: Decimal
    national_rate: Decimal
    late_fee_rate: Decimal | None


@bounded_by(ShareScheme)
class SchemeIn(Schema):
    org: int
    name: str
    valid_from: dt.date
    mode: Mode = Mode.FULL
    grassroots_rate: Decimal = Decimal(60)
    county_rate: Decimal = Decimal(10)
    city_rate: Decimal = Decimal(15)
    province_rate: Decimal = Decimal(10)
    national_rate: Decimal = Decimal(5)
    late_fee_rate: Decimal | None = None


class AssetOut(Schema):
    id: int
    org: int = Field(alias="org_id")
    name: str
    code: str
    category: Asset.Category
    acquired_on: dt.date
    original_value: Decimal
    useful_life_years: int
    status: Asset.Status
    disposed_on: dt.date | None
    current_value: Decimal

    @staticmethod
    def resolve_current_value(obj) -> Decimal:
        return selectors.value_on(obj, timezone.localdate())


@bounded_by(Asset)
class AssetIn(Schema):
    org: int
    name: str
    category: Asset.Category
    acquired_on: dt.date
    original_value: Money
    useful_life_years: int = Field(0, ge=0, le=100)
    code: str = ""


class InstitutionOut(Schema):
    id: int
    org: int = Field(alias="org_id")
    name: str
    kind: str
    staff: int


@bounded_by(Institution)
class InstitutionIn(Schema):
    org: int
    name: str
    kind: str = ""
    founded_on: dt.date | None = None
    staff: int = Field(0, ge=0, le=1_000_000)


class ItemOut(Schema):
    id: int
    name: str
    max_score: Decimal


@bounded_by(ScoreItem)
class ItemIn(Schema):
    name: str
    max_score: Decimal


class AssessmentSchemeOut(Schema):
    id: int
    org: int = Field(alias="org_id")
    year: int
    title: str
    excellent_from: Decimal
    good_from: Decimal
    pass_from: Decimal
    items: list[ItemOut]

    @staticmethod
    def resolve_items(obj) -> list:
        return list(obj.items.all())


@bounded_by(AssessmentScheme)
class AssessmentSchemeIn(Schema):
    org: int
    year: int = Field(..., ge=1990, le=2100)
    title: str
    items: list[ItemIn]
    excellent_from: Decimal = Decimal(90)
    good_from: Decimal = Decimal(75)
    pass_from: Decimal = Decimal(60)


class ScoreOut(Schema):
    item: str = Field(alias="item.name")
    max_score: Decimal = Field(alias="item.max_score")
    score: Decimal


class AssessmentOut(Schema):
    id: int
    institution: int = Field(alias="institution_id")
    institution_name: str = Field(alias="institution.name")
    year: int = Field(alias="scheme.year")
    assessed_on: dt.date
    total: Decimal
    grade: str
    income: Decimal


class AssessmentDetailOut(AssessmentOut):
    scores: list[ScoreOut]

    @staticmethod
    def resolve_scores(obj) -> list:
        return list(obj.scores.select_related("item").order_by("item__order"))


@bounded_by(Assessment)
class AssessmentIn(Schema):
    scheme: int
    institution: int
    assessed_on: dt.date
    scores: dict[int, Decimal]
    income: Money = Decimal(0)
    assets_value: Money = Decimal(0)


# ---- receipts and the ledger ---------------------------------------------------------------


@router.get("/fund-receipts/", response=list[ReceiptOut], tags=FUNDS, summary="工会经费收入")
@paginate(Pagination)
def list_receipts(request, filters: Query[ReceiptFilter]):
    return selectors.receipts_for(request.auth, channel=filters.channel or "", year=filters.year)


@router.get(
    "/fund-receipts/{receipt_id}",
    response={200: ReceiptDetailOut, **READ_ERRORS},
    tags=FUNDS,
    summary="经费收入及其分成",
)
def get_receipt(request, receipt_id: int):
    return selectors.receipt_for(request.auth, receipt_id)


@router.get(
    "/fund-receipts/{receipt_id}/shares",
    response={200: list[ShareOut], **READ_ERRORS},
    tags=FUNDS,
    summary="经费收入的各级分成",
)
def get_shares(request, receipt_id: int):
    return list(selectors.shares_of(selectors.receipt_for(request.auth, receipt_id)))


@router.post(
    "/fund-receipts/",
    response={201: ReceiptDetailOut, **ERRORS},
    tags=FUNDS,
    summary="登记经费收入",
)
def create_receipt(request, payload: ReceiptIn):
    actor = request.auth
    data = payload.dict()
    data["org"] = org_in_body(actor, data["org"])
    data["unit"] = unit_in_body(actor, data["unit"])
    receipt = services.record_receipt(actor=actor, **data)
    return Status(201, selectors.receipt_for(actor, receipt.pk))


@router.get(
    "/fund-ledger/{org_id}",
    response={200: LedgerOut, **READ_ERRORS},
    tags=FUNDS,
    summary="经费台账（按月：应缴、实收、本级分成、上解、返还）",
)
def get_ledger(request, org_id: int, year: int = Query(..., ge=1990, le=2100)):
    org = org_selectors.org_for(request.auth, org_id)
    ledger = selectors.ledger_for(request.auth, org, year)
    return {"org": org.pk, "year": year, "rows": ledger.rows, "total": ledger.total}


@router.get("/arrears/", response=list[ArrearsOut], tags=FUNDS, summary="欠缴工会经费")
@paginate(Pagination)
def list_arrears(request, org: int | None = None):
    found = org_selectors.org_for(request.auth, org) if org else None
    return selectors.arrears_for(request.auth, org=found)


@router.get("/share-schemes/", response=list[SchemeOut], tags=FUNDS, summary="经费分成办法")
def list_schemes(request):
    return list(selectors.schemes_for(request.auth))


@router.post(
    "/share-schemes/", response={201: SchemeOut, **ERRORS}, tags=FUNDS, summary="制定分成办法"
)
def create_scheme(request, payload: SchemeIn):
    data = payload.dict()
    data["org"] = org_in_body(request.auth, data["org"])
    return Status(201, services.create_share_scheme(actor=request.auth, **data))


# ---- assets ----------------------------------------------------------------------------------


@router.get("/assets/", response=list[AssetOut], tags=ASSETS, summary="工会资产")
@paginate(Pagination)
def list_assets(request, status: Asset.Status | None = None):
    return selectors.assets_for(request.auth, status=status or "")


@router.get(
    "/assets/{asset_id}", response={200: AssetOut, **READ_ERRORS}, tags=ASSETS, summary="资产详情"
)
def get_asset(request, asset_id: int):
    return selectors.asset_for(request.auth, asset_id)


@router.post("/assets/", response={201: AssetOut, **ERRORS}, tags=ASSETS, summary="登记资产")
def create_asset(request, payload: AssetIn):
    data = payload.dict()
    data["org"] = org_in_body(request.auth, data["org"])
    return Status(201, services.register_asset(actor=request.auth, **data))


# ---- institutions and assessments ----------------------------------------------------------


@router.get(
    "/institutions/", response=list[InstitutionOut], tags=INSTITUTIONS, summary="直属事业单位"
)
@paginate(Pagination)
def list_institutions(request):
    return selectors.institutions_for(request.auth)


@router.post(
    "/institutions/",
    response={201: InstitutionOut, **ERRORS},
    tags=INSTITUTIONS,
    summary="登记直属事业单位",
)
def create_institution(request, payload: InstitutionIn):
    data = payload.dict()
    data["org"] = org_in_body(request.auth, data["org"])
    return Status(201, services.create_institution(actor=request.auth, **data))


@router.get(
    "/assessment-schemes/",
    response=list[AssessmentSchemeOut],
    tags=INSTITUTIONS,
    summary="年度业绩考核办法（评分表）",
)
@paginate(Pagination)
def list_assessment_schemes(request):
    return selectors.assessment_schemes_for(request.auth).prefetch_related("items")


@router.post(
    "/assessment-schemes/",
    response={201: AssessmentSchemeOut, **ERRORS},
    tags=INSTITUTIONS,
    summary="制定年度业绩考核办法",
)
def create_assessment_scheme(request, payload: AssessmentSchemeIn):
    data = payload.dict()
    data["org"] = org_in_body(request.auth, data["org"])
    data["items"] = [(i["name"], i["max_score"]) for i in data["items"]]
    return Status(201, services.create_assessment_scheme(actor=request.auth, **data))


@router.put(
    "/assessment-schemes/{scheme_id}/items",
    response={200: AssessmentSchemeOut, **ERRORS},
    tags=INSTITUTIONS,
    summary="修改评分表的考核项目（尚无单位按此考核时）",
)
def set_items(request, scheme_id: int, payload: list[ItemIn]):
    scheme = selectors.assessment_scheme_for(request.auth, scheme_id)
    items = [(i.name, i.max_score) for i in payload]
    return services.set_score_items(actor=request.auth, scheme=scheme, items=items)


@router.get(
    "/assessments/", response=list[AssessmentOut], tags=INSTITUTIONS, summary="年度业绩考核"
)
@paginate(Pagination)
def list_assessments(request, year: int | None = None):
    return selectors.assessments_for(request.auth, year=year)


@router.get(
    "/assessments/{assessment_id}",
    response={200: AssessmentDetailOut, **READ_ERRORS},
    tags=INSTITUTIONS,
    summary="考核详情（各项得分）",
)
def get_assessment(request, assessment_id: int):
    return selectors.assessment_for(request.auth, assessment_id)


@router.post(
    "/assessments/",
    response={201: AssessmentDetailOut, **ERRORS},
    tags=INSTITUTIONS,
    summary="登记年度业绩考核（各项得分）",
)
def create_assessment(request, payload: AssessmentIn):
    actor = request.auth
    data = payload.dict()
    data["scheme"] = resolve_or_domain_error(
        lambda: selectors.assessment_scheme_for(actor, data["scheme"]),
        field="scheme",
        message="考核办法不存在，或不在本组织及下级组织范围内",
    )
    data["institution"] = resolve_or_domain_error(
        lambda: selectors.institution_for(actor, data["institution"]),
        field="institution",
        message="事业单位不存在，或不在本组织及下级组织范围内",
    )
    assessment = services.assess_institution(actor=actor, **data)
    return Status(201, selectors.assessment_for(actor, assessment.pk))
