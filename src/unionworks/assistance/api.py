"""Assistance records over JSON, scoped like the pages.

Reads go through assistance.selectors, writes through assistance.services. An id outside
the acting user's subtree is a 404 in the path, and a 400 in a body (the same words as
"no such id", so nothing leaks).
"""

from django.http import Http404
from ninja import Query, Router, Status
from ninja.pagination import paginate

from unionworks.assistance import selectors, services
from unionworks.assistance.schemas import (
    BulkDecideIn,
    CampaignDetailOut,
    CampaignFilter,
    CampaignIn,
    CampaignOut,
    CentreIn,
    CentreOut,
    CloseIn,
    DecideIn,
    DisbursementFilter,
    DisbursementOut,
    FileFilter,
    FileIn,
    FundingIn,
    FundingOut,
    HardshipFileDetailOut,
    HardshipFileOut,
    PayIn,
    ProposeIn,
    RaisingIn,
    RaisingOut,
    RejectIn,
    ReviewIn,
    ReviewOut,
    TripIn,
    TripOut,
    WageCaseDetailOut,
    WageCaseFilter,
    WageCaseIn,
    WageCaseOut,
    WageCasePatch,
    WorkerIn,
    WorkerOut,
    with_totals,
)
from unionworks.core.api import ErrorOut, Pagination, resolve_or_domain_error
from unionworks.core.idsearch import api_id_index
from unionworks.orgs.api import org_in_body, unit_in_body

router = Router()
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
READ_ERRORS = {401: ErrorOut, 404: ErrorOut, 422: ErrorOut}
FILES, CENTRES, CAMPAIGNS = ["困难职工档案"], ["帮扶中心"], ["帮扶活动与筹资"]
DISBURSEMENTS, CASES = ["帮扶发放"], ["讨薪与平安返乡"]


def _campaign(actor, campaign_id, field="campaign"):
    if campaign_id is None:
        return None
    return resolve_or_domain_error(
        lambda: selectors.campaign_for(actor, campaign_id),
        field=field,
        message="帮扶活动不存在，或本组织未参加",
    )


def _centre(actor, centre_id, field="centre"):
    if centre_id is None:
        return None
    return resolve_or_domain_error(
        lambda: selectors.centre_for(actor, centre_id),
        field=field,
        message="帮扶中心不存在，或不在本组织及下级组织范围内",
    )


# ---- hardship files ------------------------------------------------------------------------


@router.get("/hardship-files/", response=list[HardshipFileOut], tags=FILES, summary="困难职工档案")
@paginate(Pagination)
def list_files(request, filters: Query[FileFilter]):
    """按完整身份证号查询：放在请求头 `X-Id-Number` 中（完整号码不得出现在网址里）。"""
    return selectors.files_for(
        request.auth,
        id_index=api_id_index(request, filters.q),
        q=filters.q,
        status=filters.status or "",
        level=filters.level or "",
        org_id=filters.org,
        overdue=filters.overdue,
    )


@router.get(
    "/hardship-files/{file_id}",
    response={200: HardshipFileDetailOut, **READ_ERRORS},
    tags=FILES,
    summary="档案详情（家庭成员、复核记录）",
)
def get_file(request, file_id: int):
    return selectors.file_for(request.auth, file_id)


@router.post(
    "/hardship-files/", response={201: HardshipFileOut, **ERRORS}, tags=FILES, summary="建档"
)
def open_file(request, payload: FileIn):
    actor = request.auth
    data = payload.dict()
    data["org"] = org_in_body(actor, data["org"])
    data["centre"] = _centre(actor, data["centre"])
    data["unit"] = unit_in_body(actor, data["unit"])
    return Status(201, services.open_file(actor=actor, **data))


@router.post(
    "/hardship-files/{file_id}/reviews",
    response={201: ReviewOut, **ERRORS},
    tags=FILES,
    summary="年度复核",
)
def review_file(request, file_id: int, payload: ReviewIn):
    file = selectors.file_for(request.auth, file_id)
    return Status(201, services.review_file(actor=request.auth, file=file, **payload.dict()))


@router.post(
    "/hardship-files/{file_id}/close",
    response={200: HardshipFileOut, **ERRORS},
    tags=FILES,
    summary="销档（脱困等）",
)
def close_file(request, file_id: int, payload: CloseIn):
    file = selectors.file_for(request.auth, file_id)
    return services.close_file(actor=request.auth, file=file, **payload.dict())


# ---- centres -------------------------------------------------------------------------------


@router.get("/assistance-centres/", response=list[CentreOut], tags=CENTRES, summary="帮扶中心")
@paginate(Pagination)
def list_centres(request, org: int | None = None):
    return selectors.centres_for(request.auth, org_id=org)


@router.post(
    "/assistance-centres/",
    response={201: CentreOut, **ERRORS},
    tags=CENTRES,
    summary="新增帮扶中心",
)
def create_centre(request, payload: CentreIn):
    data = payload.dict()
    data["org"] = org_in_body(request.auth, data["org"])
    return Status(201, services.create_centre(actor=request.auth, **data))


@router.post(
    "/assistance-centres/{centre_id}/funding",
    response={201: FundingOut, **ERRORS},
    tags=CENTRES,
    summary="登记帮扶中心经费",
)
def add_funding(request, centre_id: int, payload: FundingIn):
    centre = selectors.centre_for(request.auth, centre_id)
    funding = services.record_centre_funding(actor=request.auth, centre=centre, **payload.dict())
    return Status(201, funding)


# ---- campaigns and raising -----------------------------------------------------------------


@router.get("/campaigns/", response=list[CampaignOut], tags=CAMPAIGNS, summary="帮扶活动")
@paginate(Pagination)
def list_campaigns(request, filters: Query[CampaignFilter]):
    return selectors.campaigns_for(
        request.auth, year=filters.year, kind=filters.kind or ""
    ).prefetch_related("participants")


@router.get(
    "/campaigns/{campaign_id}",
    response={200: CampaignDetailOut, **READ_ERRORS},
    tags=CAMPAIGNS,
    summary="活动详情：已筹集、已发放、余额",
)
def get_campaign(request, campaign_id: int):
    return with_totals(selectors.campaign_for(request.auth, campaign_id))


def _campaign_data(actor, payload: CampaignIn) -> dict:
    data = payload.dict()
    data["org"] = org_in_body(actor, data["org"])
    data["participants"] = [org_in_body(actor, p, "participants") for p in data["participants"]]
    return data


@router.post(
    "/campaigns/",
    response={201: CampaignDetailOut, **ERRORS},
    tags=CAMPAIGNS,
    summary="新建帮扶活动",
)
def create_campaign(request, payload: CampaignIn):
    campaign = services.create_campaign(actor=request.auth, **_campaign_data(request.auth, payload))
    return Status(201, with_totals(campaign))


@router.put(
    "/campaigns/{campaign_id}",
    response={200: CampaignDetailOut, **ERRORS},
    tags=CAMPAIGNS,
    summary="修改帮扶活动",
)
def update_campaign(request, campaign_id: int, payload: CampaignIn):
    campaign = selectors.campaign_for(request.auth, campaign_id)
    data = _campaign_data(request.auth, payload)
    return with_totals(services.update_campaign(actor=request.auth, campaign=campaign, **data))


@router.get("/raisings/", response=list[RaisingOut], tags=CAMPAIGNS, summary="筹资记录")
@paginate(Pagination)
def list_raisings(request, campaign: int | None = None, org: int | None = None):
    found = selectors.campaign_for(request.auth, campaign) if campaign else None
    return selectors.raisings_for(request.auth, campaign=found, org_id=org)


@router.post("/raisings/", response={201: RaisingOut, **ERRORS}, tags=CAMPAIGNS, summary="登记筹资")
def create_raising(request, payload: RaisingIn):
    data = payload.dict()
    data["campaign"] = _campaign(request.auth, data["campaign"])
    data["org"] = org_in_body(request.auth, data["org"])
    return Status(201, services.record_raising(actor=request.auth, **data))


@router.delete(
    "/raisings/{raising_id}", response={204: None, **ERRORS}, tags=CAMPAIGNS, summary="删除筹资记录"
)
def delete_raising(request, raising_id: int):
    raising = selectors.raising_for(request.auth, raising_id)
    services.delete_raising(actor=request.auth, raising=raising)
    return Status(204, None)


# ---- disbursements -------------------------------------------------------------------------


@router.get(
    "/disbursements/", response=list[DisbursementOut], tags=DISBURSEMENTS, summary="帮扶发放"
)
@paginate(Pagination)
def list_disbursements(request, filters: Query[DisbursementFilter]):
    """按完整身份证号查询：放在请求头 `X-Id-Number` 中（完整号码不得出现在网址里）。"""
    campaign = selectors.campaign_for(request.auth, filters.campaign) if filters.campaign else None
    return selectors.disbursements_for(
        request.auth,
        campaign=campaign,
        status=filters.status or "",
        category=filters.category or "",
        q=filters.q,
        org_id=filters.org,
        id_index=api_id_index(request, filters.q),
    )


@router.get(
    "/disbursements/{disbursement_id}",
    response={200: DisbursementOut, **READ_ERRORS},
    tags=DISBURSEMENTS,
    summary="发放详情",
)
def get_disbursement(request, disbursement_id: int):
    return selectors.disbursement_for(request.auth, disbursement_id)


@router.post(
    "/disbursements/",
    response={201: DisbursementOut, **ERRORS},
    tags=DISBURSEMENTS,
    summary="提名发放对象",
)
def propose(request, payload: ProposeIn):
    data = payload.dict()
    data["campaign"] = _campaign(request.auth, data["campaign"])
    data["org"] = org_in_body(request.auth, data["org"])
    data["student_level"] = data["student_level"] or ""
    return Status(201, services.propose_disbursement(actor=request.auth, **data))


@router.post(
    # Not under /disbursements/: its {disbursement_id} would take the word for an id.
    "/disbursement-decisions",
    response={200: list[DisbursementOut], **ERRORS},
    tags=DISBURSEMENTS,
    summary="批量审批（审核员；一人不能审批则全部不审批）",
)
def decide_many(request, payload: BulkDecideIn):
    ids = set(payload.ids)
    records = list(selectors.disbursements_for(request.auth).filter(pk__in=ids).order_by("id"))
    if len(records) != len(ids):
        raise Http404  # one outside the subtree (or none such): never say which
    return services.decide_disbursements(
        actor=request.auth,
        disbursements=records,
        approve=payload.approve,
        reason=payload.reason,
        on=payload.on,
    )


@router.post(
    "/disbursements/{disbursement_id}/approve",
    response={200: DisbursementOut, **ERRORS},
    tags=DISBURSEMENTS,
    summary="批准（审核员）",
)
def approve(request, disbursement_id: int, payload: DecideIn):
    record = selectors.disbursement_for(request.auth, disbursement_id)
    return services.approve_disbursement(actor=request.auth, disbursement=record, on=payload.on)


@router.post(
    "/disbursements/{disbursement_id}/reject",
    response={200: DisbursementOut, **ERRORS},
    tags=DISBURSEMENTS,
    summary="不予批准（审核员，须说明理由）",
)
def reject(request, disbursement_id: int, payload: RejectIn):
    record = selectors.disbursement_for(request.auth, disbursement_id)
    return services.reject_disbursement(
        actor=request.auth, disbursement=record, reason=payload.reason, on=payload.on
    )


@router.post(
    "/disbursements/{disbursement_id}/pay",
    response={200: DisbursementOut, **ERRORS},
    tags=DISBURSEMENTS,
    summary="登记发放（日期、现金、实物折款）",
)
def pay(request, disbursement_id: int, payload: PayIn):
    record = selectors.disbursement_for(request.auth, disbursement_id)
    return services.pay_disbursement(actor=request.auth, disbursement=record, **payload.dict())


# ---- wage arrears and safe return ----------------------------------------------------------


@router.get("/wage-cases/", response=list[WageCaseOut], tags=CASES, summary="讨薪案件")
@paginate(Pagination)
def list_cases(request, filters: Query[WageCaseFilter]):
    return selectors.wage_cases_for(
        request.auth, status=filters.status or "", q=filters.q, org_id=filters.org
    )


@router.get(
    "/wage-cases/{case_id}",
    response={200: WageCaseDetailOut, **READ_ERRORS},
    tags=CASES,
    summary="讨薪案件详情",
)
def get_case(request, case_id: int):
    return selectors.wage_case_for(request.auth, case_id)


@router.post(
    "/wage-cases/", response={201: WageCaseDetailOut, **ERRORS}, tags=CASES, summary="登记讨薪案件"
)
def create_case(request, payload: WageCaseIn):
    actor = request.auth
    data = payload.dict()
    data["org"] = org_in_body(actor, data["org"])
    data["unit"] = unit_in_body(actor, data["unit"])
    data["campaign"] = _campaign(actor, data["campaign"])
    return Status(201, services.record_wage_case(actor=actor, **data))


@router.patch(
    "/wage-cases/{case_id}",
    response={200: WageCaseDetailOut, **ERRORS},
    tags=CASES,
    summary="更新办理结果（追回金额、状态、办结日期）",
)
def update_case(request, case_id: int, payload: WageCasePatch):
    case = selectors.wage_case_for(request.auth, case_id)
    return services.update_wage_case(actor=request.auth, case=case, **payload.dict())


@router.post(
    "/wage-cases/{case_id}/workers",
    response={201: WorkerOut, **ERRORS},
    tags=CASES,
    summary="登记讨薪职工",
)
def add_worker(request, case_id: int, payload: WorkerIn):
    case = selectors.wage_case_for(request.auth, case_id)
    return Status(201, services.add_wage_worker(actor=request.auth, case=case, **payload.dict()))


@router.get("/safe-return-trips/", response=list[TripOut], tags=CASES, summary="平安返乡车次")
@paginate(Pagination)
def list_trips(request, campaign: int | None = None, org: int | None = None):
    found = selectors.campaign_for(request.auth, campaign) if campaign else None
    return selectors.trips_for(request.auth, campaign=found, org_id=org)


@router.post(
    "/safe-return-trips/", response={201: TripOut, **ERRORS}, tags=CASES, summary="登记平安返乡车次"
)
def create_trip(request, payload: TripIn):
    data = payload.dict()
    data["campaign"] = _campaign(request.auth, data["campaign"])
    data["org"] = org_in_body(request.auth, data["org"])
    return Status(201, services.record_trip(actor=request.auth, **data))
