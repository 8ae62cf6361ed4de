"""The member roll and organising coverage over JSON, scoped exactly like the pages."""

import datetime as dt
from typing import Annotated

from annotated_types import MaxLen
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Status
from ninja.pagination import paginate

from unionworks.core.api import ErrorOut, Pagination, resolve_or_domain_error
from unionworks.core.errors import DomainError
from unionworks.core.idsearch import api_id_index
from unionworks.members import coverage, selectors, services
from unionworks.members.schemas import (
    AcceptIn,
    CoverageOut,
    DissolveIn,
    JoinIn,
    LeaveIn,
    MemberDetailOut,
    MemberFilter,
    MemberOut,
    MergeIn,
    RejectIn,
    RevealOut,
    TransferIn,
    TransferOut,
)
from unionworks.orgs import selectors as org_selectors
from unionworks.orgs.api import org_in_body, unit_in_body
from unionworks.orgs.schemas import OrgOut

router = Router()
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
READ_ERRORS = {401: ErrorOut, 404: ErrorOut, 422: ErrorOut}
TAGS = ["会员"]
# What never_cache sets on the reveal page: no browser, proxy or back button keeps the numbers.
NO_STORE = "max-age=0, no-cache, no-store, must-revalidate, private"


@router.get("/members/", response=list[MemberOut], tags=TAGS, summary="会员查询")
@paginate(Pagination)
def list_members(request, filters: Query[MemberFilter]):
    """按完整身份证号查询：放在请求头 `X-Id-Number` 中（完整号码不得出现在网址里）。"""
    return selectors.members_for(
        request.auth,
        q=filters.q,
        status=filters.status or "",
        org_id=filters.org,
        id_index=api_id_index(request, filters.q),
    )


@router.get(
    "/members/{member_id}",
    response={200: MemberDetailOut, **READ_ERRORS},
    tags=TAGS,
    summary="会员详情及会籍",
)
def get_member(request, member_id: int):
    return selectors.member_for(request.auth, member_id)


@router.post("/members/", response={201: MemberOut, **ERRORS}, tags=TAGS, summary="入会")
def join_member(request, payload: JoinIn):
    data = payload.dict()
    org = org_in_body(request.auth, data.pop("org"), "org")
    unit = unit_in_body(request.auth, data.pop("unit"))
    data["education"] = data["education"] or ""
    return Status(201, services.join_member(actor=request.auth, org=org, unit=unit, **data))


@router.post(
    "/members/{member_id}/leave",
    response={200: MemberOut, **ERRORS},
    tags=TAGS,
    summary="退会或去世",
)
def leave(request, member_id: int, payload: LeaveIn):
    member = selectors.member_for(request.auth, member_id)
    return services.record_leaving(
        actor=request.auth, member=member, on=payload.on, death=payload.death
    )


@router.post(
    "/members/{member_id}/reveal",
    response={200: RevealOut, **ERRORS},
    tags=TAGS,
    summary="查看完整身份证号和手机号（留痕）",
)
def reveal(request, response: HttpResponse, member_id: int):
    """Without the permission, 403; the answer is never kept by a browser or proxy."""
    member = selectors.member_for(request.auth, member_id)
    try:
        revealed = services.reveal_personal_data(actor=request.auth, member=member)
    except DomainError as exc:
        raise PermissionDenied(exc.message) from None
    response["Cache-Control"] = NO_STORE
    return revealed


@router.post(
    "/members/{member_id}/transfers",
    response={201: TransferOut, **ERRORS},
    tags=TAGS,
    summary="转会申请",
)
def request_transfer(request, member_id: int, payload: TransferIn):
    member = selectors.member_for(request.auth, member_id)
    # The receiving union may be in another city: any grassroots union of the province.
    to_org = resolve_or_domain_error(
        lambda: get_object_or_404(selectors.transfer_destinations(), pk=payload.to_org),
        field="to_org",
        message="转入的基层工会不存在",
    )
    transfer = services.request_transfer(
        actor=request.auth, member=member, to_org=to_org, on=payload.on, reason=payload.reason
    )
    return Status(201, transfer)


@router.get(
    "/transfers/", response=list[TransferOut], tags=TAGS, summary="转会（本组织转出或转入的）"
)
@paginate(Pagination)
def list_transfers(request, status: Annotated[str, MaxLen(20)] = ""):
    transfers = selectors.transfers_for(request.auth)
    return transfers.filter(status=status) if status else transfers


@router.post(
    "/transfers/{transfer_id}/accept",
    response={200: TransferOut, **ERRORS},
    tags=TAGS,
    summary="接收转会",
)
def accept_transfer(request, transfer_id: int, payload: AcceptIn):
    transfer = selectors.transfer_for(request.auth, transfer_id)
    return services.accept_transfer(actor=request.auth, transfer=transfer, on=payload.on)


@router.post(
    "/transfers/{transfer_id}/reject",
    response={200: TransferOut, **ERRORS},
    tags=TAGS,
    summary="退回转会",
)
def reject_transfer(request, transfer_id: int, payload: RejectIn):
    transfer = selectors.transfer_for(request.auth, transfer_id)
    return services.reject_transfer(actor=request.auth, transfer=transfer, reason=payload.reason)


@router.get(
    "/coverage/",
    response={200: CoverageOut, **READ_ERRORS},
    tags=["组织覆盖"],
    summary="组织覆盖（本级及各下级，截至某日）",
)
def get_coverage(
    request,
    org: int | None = None,
    as_of: dt.date | None = None,
    period_start: dt.date | None = None,
):
    root = org_selectors.org_for(request.auth, org) if org else None
    as_of = as_of or dt.date.today()
    start = period_start or dt.date(as_of.year, 1, 1)
    rows = coverage.coverage_table(request.auth, org=root, as_of=as_of, period=(start, as_of))
    return {
        "as_of": as_of,
        "period_start": start,
        "period_end": as_of,
        "rows": [{"org": r.org_id, "name": r.name, "kind": r.kind, **r.figures} for r in rows],
    }


# -- a union dissolved or merged (its members move: the roll's business) ------------------


@router.post(
    "/orgs/{org_id}/dissolve",
    response={200: OrgOut, **ERRORS},
    tags=["工会组织"],
    summary="撤销基层工会（会员须先转出或退会）",
)
def dissolve_union(request, org_id: int, payload: DissolveIn):
    union = org_selectors.org_for(request.auth, org_id)
    return services.dissolve_union(
        actor=request.auth, union=union, on=payload.on, note=payload.note
    )


@router.post(
    "/orgs/{org_id}/merge",
    response={200: OrgOut, **ERRORS},
    tags=["工会组织"],
    summary="把本基层工会合并到另一基层工会",
)
def merge_unions(request, org_id: int, payload: MergeIn):
    absorbed = org_selectors.org_for(request.auth, org_id)
    into = org_in_body(request.auth, payload.into, "into")
    return services.merge_unions(
        actor=request.auth, absorbed=absorbed, into=into, on=payload.on, note=payload.note
    )
