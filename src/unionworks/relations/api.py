"""和谐劳动关系 records over JSON, scoped like the pages.

Reads go through relations.selectors, writes through relations.services. An id outside
the acting user's subtree is a 404 in the path, and a 400 in a body (the same words as
"no such id", so nothing leaks).
"""

from django.utils import timezone
from ninja import Query, Router, Status
from ninja.pagination import paginate

from unionworks.core.api import ErrorOut, Pagination, resolve_or_domain_error
from unionworks.core.errors import DomainError
from unionworks.orgs.api import org_in_body, unit_in_body
from unionworks.relations import selectors, services
from unionworks.relations.schemas import (
    ApplyIn,
    AssessmentOut,
    CloseDisputeIn,
    CommendIn,
    CongressIn,
    CongressOut,
    ContractDetailOut,
    ContractFilter,
    ContractIn,
    ContractOut,
    DisputeFilter,
    DisputeIn,
    DisputeOut,
    NoticeIn,
    ObjectionIn,
    OpennessIn,
    OpennessOut,
    ProposalIn,
    ProposalOut,
    ProposalStatusIn,
    PublishIn,
    RepresentativeIn,
    ScoreIn,
    SessionIn,
    SessionOut,
    SheetIn,
    SheetOut,
    SubmitIn,
)

router = Router(tags=["和谐劳动关系建设工程"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
READ_ERRORS = {401: ErrorOut, 404: ErrorOut, 422: ErrorOut}
CONTRACTS, CONGRESSES, OPENNESS = ["集体合同"], ["职代会"], ["厂务公开"]
ASSESSMENTS, DISPUTES = ["和谐企业评审"], ["劳动争议调解"]


def _units(actor, ids, field="units"):
    return [unit_in_body(actor, i, field) for i in ids]


def _detail(contract):
    contract.unit_ids = list(contract.covered.values_list("unit_id", flat=True))
    contract.state_today = contract.state_on(timezone.localdate())
    return contract


# ---- contracts -------------------------------------------------------------------------------


@router.get("/relations/contracts/", response=list[ContractOut], tags=CONTRACTS, summary="集体合同")
@paginate(Pagination)
def list_contracts(request, filters: Query[ContractFilter]):
    return selectors.contracts_for(
        request.auth,
        q=filters.q,
        kind=filters.kind or "",
        scope=filters.scope,
        state=filters.state,
        org_id=filters.org,
    )


@router.get(
    "/relations/contracts/{contract_id}",
    response={200: ContractDetailOut, **READ_ERRORS},
    tags=CONTRACTS,
    summary="合同详情（覆盖单位、今天的状态）",
)
def get_contract(request, contract_id: int):
    return _detail(selectors.contract_for(request.auth, contract_id))


@router.post(
    "/relations/contracts/",
    response={201: ContractDetailOut, **ERRORS},
    tags=CONTRACTS,
    summary="登记集体合同",
)
def create_contract(request, payload: ContractIn):
    actor = request.auth
    data = payload.dict()
    data["org"] = org_in_body(actor, data["org"])
    data["units"] = _units(actor, data["units"])
    if data["renews"] is not None:
        data["renews"] = resolve_or_domain_error(
            lambda: selectors.contract_for(actor, data["renews"]),
            field="renews",
            message="原合同不存在，或不在本组织及下级组织范围内",
        )
    return Status(201, _detail(services.record_contract(actor=actor, **data)))


def _contract_step(request, contract_id, service, payload):
    contract = selectors.contract_for(request.auth, contract_id)
    return _detail(service(actor=request.auth, contract=contract, **payload.dict()))


@router.post(
    "/relations/contracts/{contract_id}/submit",
    response={200: ContractDetailOut, **ERRORS},
    tags=CONTRACTS,
    summary="报送审查（签订后10日内；15日内无异议即生效）",
)
def submit_contract(request, contract_id: int, payload: SubmitIn):
    return _contract_step(request, contract_id, services.submit_contract, payload)


@router.post(
    "/relations/contracts/{contract_id}/objection",
    response={200: ContractDetailOut, **ERRORS},
    tags=CONTRACTS,
    summary="登记审查异议（退回，附理由）",
)
def object_contract(request, contract_id: int, payload: ObjectionIn):
    return _contract_step(request, contract_id, services.record_objection, payload)


@router.post(
    "/relations/contracts/{contract_id}/publish",
    response={200: ContractDetailOut, **ERRORS},
    tags=CONTRACTS,
    summary="向职工公布",
)
def publish_contract(request, contract_id: int, payload: PublishIn):
    return _contract_step(request, contract_id, services.publish_contract, payload)


# ---- congresses ------------------------------------------------------------------------------


@router.get("/relations/congresses/", response=list[CongressOut], tags=CONGRESSES, summary="职代会")
@paginate(Pagination)
def list_congresses(request, q: str = Query("", max_length=100)):
    return selectors.congresses_for(request.auth, q=q)


@router.get(
    "/relations/congresses/{congress_id}",
    response={200: CongressOut, **READ_ERRORS},
    tags=CONGRESSES,
    summary="职代会（届）",
)
def get_congress(request, congress_id: int):
    return selectors.congress_for(request.auth, congress_id)


@router.post(
    "/relations/congresses/",
    response={201: CongressOut, **ERRORS},
    tags=CONGRESSES,
    summary="登记职代会（届）",
)
def create_congress(request, payload: CongressIn):
    actor = request.auth
    data = payload.dict()
    data["org"] = org_in_body(actor, data["org"])
    data["units"] = _units(actor, data["units"])
    return Status(201, services.create_congress(actor=actor, **data))


@router.get(
    "/relations/congresses/{congress_id}/sessions",
    response={200: list[SessionOut], **READ_ERRORS},
    tags=CONGRESSES,
    summary="会议",
)
def list_sessions(request, congress_id: int):
    return list(selectors.congress_for(request.auth, congress_id).sessions.order_by("number"))


@router.post(
    "/relations/congresses/{congress_id}/sessions",
    response={201: SessionOut, **ERRORS},
    tags=CONGRESSES,
    summary="登记会议",
)
def create_session(request, congress_id: int, payload: SessionIn):
    congress = selectors.congress_for(request.auth, congress_id)
    return Status(
        201, services.record_session(actor=request.auth, congress=congress, **payload.dict())
    )


@router.post(
    "/relations/proposals/",
    response={201: ProposalOut, **ERRORS},
    tags=CONGRESSES,
    summary="登记提案",
)
def create_proposal(request, payload: ProposalIn):
    actor = request.auth
    data = payload.dict()
    data["session"] = resolve_or_domain_error(
        lambda: selectors.session_for(actor, data["session"]),
        field="session",
        message="会议不存在，或不在本组织及下级组织范围内",
    )
    return Status(201, services.add_proposal(actor=actor, **data))


@router.post(
    "/relations/proposals/{proposal_id}/status",
    response={200: ProposalOut, **ERRORS},
    tags=CONGRESSES,
    summary="改变提案办理状态（立案 → 办理中 → 已办结，或不予立案）",
)
def change_proposal_status(request, proposal_id: int, payload: ProposalStatusIn):
    proposal = selectors.proposal_for(request.auth, proposal_id)
    return services.change_proposal_status(actor=request.auth, proposal=proposal, **payload.dict())


@router.get("/relations/proposals/", response=list[ProposalOut], tags=CONGRESSES, summary="提案")
@paginate(Pagination)
def list_proposals(request, status: str = Query("", max_length=20)):
    return selectors.proposals_for(request.auth, status=status).order_by("-id")


@router.post(
    "/relations/congresses/{congress_id}/representatives",
    response={201: RepresentativeIn, **ERRORS},
    tags=CONGRESSES,
    summary="登记职工董事、职工监事",
)
def elect(request, congress_id: int, payload: RepresentativeIn):
    congress = selectors.congress_for(request.auth, congress_id)
    return Status(
        201,
        services.elect_representative(actor=request.auth, congress=congress, **payload.dict()),
    )


# ---- 厂务公开 ----------------------------------------------------------------------------------


@router.get("/relations/openness/", response=list[OpennessOut], tags=OPENNESS, summary="厂务公开")
@paginate(Pagination)
def list_openness(request, year: int | None = None):
    return selectors.openness_for(request.auth, year=year)


@router.post(
    "/relations/openness/", response={201: OpennessOut, **ERRORS}, tags=OPENNESS, summary="登记"
)
def create_openness(request, payload: OpennessIn):
    actor = request.auth
    data = payload.dict()
    data["org"] = org_in_body(actor, data["org"])
    data["unit"] = unit_in_body(actor, data["unit"])
    return Status(201, services.record_openness(actor=actor, **data))


# ---- assessments -----------------------------------------------------------------------------


@router.get(
    "/relations/assessments/", response=list[AssessmentOut], tags=ASSESSMENTS, summary="申报与命名"
)
@paginate(Pagination)
def list_assessments(
    request,
    year: int | None = None,
    status: str = Query("", max_length=20),
    level: str = Query("", max_length=20),
):
    return selectors.assessments_for(request.auth, year=year, status=status, level=level)


@router.get(
    "/relations/assessments/{assessment_id}",
    response={200: AssessmentOut, **READ_ERRORS},
    tags=ASSESSMENTS,
    summary="申报详情",
)
def get_assessment(request, assessment_id: int):
    return selectors.assessment_for(request.auth, assessment_id)


@router.post(
    "/relations/assessments/",
    response={201: AssessmentOut, **ERRORS},
    tags=ASSESSMENTS,
    summary="申报劳动关系和谐企业",
)
def apply(request, payload: ApplyIn):
    actor = request.auth
    data = payload.dict()
    data["org"] = org_in_body(actor, data["org"])
    data["unit"] = unit_in_body(actor, data["unit"])
    return Status(201, services.apply_assessment(actor=actor, **data))


def _assessment_step(request, assessment_id, service, payload):
    assessment = selectors.assessment_for(request.auth, assessment_id)
    return service(actor=request.auth, assessment=assessment, **payload.dict())


@router.post(
    "/relations/assessments/{assessment_id}/score",
    response={200: AssessmentOut, **ERRORS},
    tags=ASSESSMENTS,
    summary="按当年评分表评分（默认90分达标）",
)
def score(request, assessment_id: int, payload: ScoreIn):
    return _assessment_step(request, assessment_id, services.score_assessment, payload)


@router.post(
    "/relations/assessments/{assessment_id}/notice",
    response={200: AssessmentOut, **ERRORS},
    tags=ASSESSMENTS,
    summary="公示",
)
def notice(request, assessment_id: int, payload: NoticeIn):
    return _assessment_step(request, assessment_id, services.start_notice, payload)


@router.post(
    "/relations/assessments/{assessment_id}/commend",
    response={200: AssessmentOut, **ERRORS},
    tags=ASSESSMENTS,
    summary="三方命名表彰（公示期满后）",
)
def commend(request, assessment_id: int, payload: CommendIn):
    return _assessment_step(request, assessment_id, services.commend, payload)


@router.get(
    "/relations/score-sheets/{year}", response=SheetOut, tags=ASSESSMENTS, summary="某年评分表"
)
def get_sheet(request, year: int):
    return services.sheet_for(year)


@router.put(
    "/relations/score-sheets/{year}",
    response={200: SheetOut, **ERRORS},
    tags=ASSESSMENTS,
    summary="修改某年评分表（省总工会管理员；只影响该年）",
)
def put_sheet(request, year: int, payload: SheetIn):
    items = [{**item, "max": str(item["max"])} for item in payload.dict()["items"]]
    return services.save_score_sheet(
        actor=request.auth, year=year, items=items, pass_mark=payload.pass_mark
    )


# ---- disputes --------------------------------------------------------------------------------


@router.get("/relations/disputes/", response=list[DisputeOut], tags=DISPUTES, summary="争议案件")
@paginate(Pagination)
def list_disputes(request, filters: Query[DisputeFilter]):
    return selectors.disputes_for(
        request.auth,
        outcome=filters.outcome or "",
        cause=filters.cause or "",
        overdue=filters.overdue,
        org_id=filters.org,
    )


@router.get(
    "/relations/disputes/{dispute_id}",
    response={200: DisputeOut, **READ_ERRORS},
    tags=DISPUTES,
    summary="案件详情",
)
def get_dispute(request, dispute_id: int):
    return selectors.dispute_for(request.auth, dispute_id)


@router.post(
    "/relations/disputes/", response={201: DisputeOut, **ERRORS}, tags=DISPUTES, summary="受理"
)
def accept(request, payload: DisputeIn):
    actor = request.auth
    data = payload.dict()
    data["org"] = org_in_body(actor, data["org"])
    data["unit"] = unit_in_body(actor, data["unit"])
    if data["committee"] is not None:
        committee = selectors.committees_for(actor).filter(pk=data["committee"]).first()
        if committee is None:
            raise DomainError("调解委员会不存在，或不在本组织及下级组织范围内", field="committee")
        data["committee"] = committee
    return Status(201, services.accept_dispute(actor=actor, **data))


@router.post(
    "/relations/disputes/{dispute_id}/close",
    response={200: DisputeOut, **ERRORS},
    tags=DISPUTES,
    summary="结案（调解成功 / 调解不成转仲裁）",
)
def close(request, dispute_id: int, payload: CloseDisputeIn):
    dispute = selectors.dispute_for(request.auth, dispute_id)
    return services.close_dispute(actor=request.auth, dispute=dispute, **payload.dict())
