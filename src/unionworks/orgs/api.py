"""Organisations and units over JSON, scoped exactly like the pages.

Reads go through orgs.selectors, writes through orgs.services; an id outside the
acting user's subtree is a 404 in the path and a 400 (same words as "no such id")
in a body.
"""

from ninja import Query, Router, Status
from ninja.pagination import paginate

from unionworks.core.api import ErrorOut, Pagination, resolve_or_domain_error
from unionworks.core.errors import DomainError
from unionworks.orgs import selectors, services
from unionworks.orgs.models import Unit
from unionworks.orgs.schemas import (
    CoverageIn,
    CoverageSpellOut,
    FoundUnionIn,
    MoveIn,
    OrgDetailOut,
    OrgEventOut,
    OrgFilter,
    OrgOut,
    UnitFilter,
    UnitIn,
    UnitOut,
    UnitPatch,
)
from unionworks.stats.values import tree_counts

router = Router()


def org_in_body(actor, org_id, field: str = "org"):
    """An org id sent in a request body, looked up in the actor's subtree (a DomainError
    with the same words whether it is outside the subtree or does not exist)."""
    return resolve_or_domain_error(
        lambda: selectors.org_for(actor, org_id),
        field=field,
        message="组织不存在，或不在本组织及下级组织范围内",
    )


def unit_in_body(actor, unit_id, field: str = "unit"):
    """Like ``org_in_body`` for a unit; no id, no unit."""
    if unit_id is None:
        return None
    return resolve_or_domain_error(
        lambda: selectors.unit_for(actor, unit_id),
        field=field,
        message="单位不存在，或不在本组织及下级组织范围内",
    )


ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
READ_ERRORS = {401: ErrorOut, 404: ErrorOut, 422: ErrorOut}
# Fields that may be set to null by PATCH; every other field needs a value.
NULLABLE = {"union", "covered_since", "established_on", "closed_on"}


@router.get("/orgs/", response=list[OrgOut], tags=["工会组织"], summary="工会组织列表")
@paginate(Pagination)
def list_orgs(request, filters: Query[OrgFilter]):
    orgs = selectors.orgs_for(request.auth).select_related("parent")
    if filters.parent is not None:
        orgs = orgs.filter(parent=selectors.org_for(request.auth, filters.parent))
    if filters.kind:
        orgs = orgs.filter(kind=filters.kind)
    if filters.q.strip():
        orgs = orgs.filter(name__icontains=filters.q.strip())
    return orgs.order_by("path")


@router.get(
    "/orgs/{org_id}",
    response={200: OrgDetailOut, **READ_ERRORS},
    tags=["工会组织"],
    summary="工会组织详情及下级统计",
)
def get_org(request, org_id: int):
    org = selectors.org_for(request.auth, org_id)
    org.counts = tree_counts(org)[org.pk]
    return org


@router.get("/units/", response=list[UnitOut], tags=["单位"], summary="单位列表")
@paginate(Pagination)
def list_units(request, filters: Query[UnitFilter]):
    return selectors.units_for(
        request.auth,
        q=filters.q,
        ownership=filters.ownership or "",
        industry=filters.industry or "",
        region_code=filters.region_code,
        org_id=filters.org,
    )


@router.get(
    "/units/{unit_id}", response={200: UnitOut, **READ_ERRORS}, tags=["单位"], summary="单位详情"
)
def get_unit(request, unit_id: int):
    return selectors.unit_for(request.auth, unit_id)


def _resolve_related(actor, data: dict) -> dict:
    """Turn ``org`` / ``union`` ids into orgs of the actor's subtree."""
    for key in data.keys() - NULLABLE:
        if data[key] is None:
            label = Unit._meta.get_field(key).verbose_name
            raise DomainError(f"{label}不能为空", field=key)
    if "org" in data:
        data["org"] = resolve_or_domain_error(
            lambda: selectors.org_for(actor, data["org"]),
            field="org",
            message="所属组织不存在，或不在本组织及下级组织范围内",
        )
    if data.get("union") is not None:
        data["union"] = resolve_or_domain_error(
            lambda: selectors.org_for(actor, data["union"]),
            field="union",
            message="覆盖的基层工会不存在，或不在本组织及下级组织范围内",
        )
    return data


@router.post("/units/", response={201: UnitOut, **ERRORS}, tags=["单位"], summary="新增单位")
def create_unit(request, payload: UnitIn):
    data = _resolve_related(request.auth, payload.dict())
    unit = services.create_unit(actor=request.auth, **data)
    return Status(201, unit)


@router.put(
    "/units/{unit_id}", response={200: UnitOut, **ERRORS}, tags=["单位"], summary="修改单位（整体）"
)
def replace_unit(request, unit_id: int, payload: UnitIn):
    unit = selectors.unit_for(request.auth, unit_id)
    data = _resolve_related(request.auth, payload.dict())
    return services.update_unit(actor=request.auth, unit=unit, **data)


@router.patch(
    "/units/{unit_id}", response={200: UnitOut, **ERRORS}, tags=["单位"], summary="修改单位（部分）"
)
def update_unit(request, unit_id: int, payload: UnitPatch):
    unit = selectors.unit_for(request.auth, unit_id)
    data = _resolve_related(request.auth, payload.dict(exclude_unset=True))
    return services.update_unit(actor=request.auth, unit=unit, **data)


@router.delete(
    "/units/{unit_id}", response={204: None, **ERRORS}, tags=["单位"], summary="删除单位"
)
def delete_unit(request, unit_id: int):
    unit = selectors.unit_for(request.auth, unit_id)
    services.delete_unit(actor=request.auth, unit=unit)
    return Status(204, None)


# -- the history: coverage spells, founding and moving unions, the events -----------------


@router.get(
    "/units/{unit_id}/coverage",
    response={200: list[CoverageSpellOut], **READ_ERRORS},
    tags=["单位"],
    summary="单位的覆盖记录（按时间）",
)
def unit_coverage(request, unit_id: int):
    unit = selectors.unit_for(request.auth, unit_id)
    return list(unit.coverage_spells.select_related("union").order_by("start"))


@router.post(
    "/units/{unit_id}/coverage",
    response={200: UnitOut, **ERRORS},
    tags=["单位"],
    summary="变更单位的覆盖工会（自某日起）",
)
def change_unit_coverage(request, unit_id: int, payload: CoverageIn):
    unit = selectors.unit_for(request.auth, unit_id)
    union = None if payload.union is None else org_in_body(request.auth, payload.union, "union")
    services.set_unit_coverage(actor=request.auth, unit=unit, union=union, on=payload.on)
    return selectors.unit_for(request.auth, unit_id)


@router.post("/unions/", response={201: OrgOut, **ERRORS}, tags=["工会组织"], summary="组建工会")
def found_union(request, payload: FoundUnionIn):
    data = payload.dict()
    data["parent"] = org_in_body(request.auth, data["parent"], "parent")
    data["units"] = [unit_in_body(request.auth, u, "units") for u in data["units"]]
    return Status(201, services.found_union(actor=request.auth, **data))


@router.post(
    "/orgs/{org_id}/move",
    response={200: OrgOut, **ERRORS},
    tags=["工会组织"],
    summary="调整隶属关系",
)
def move_org(request, org_id: int, payload: MoveIn):
    org = selectors.org_for(request.auth, org_id)
    parent = org_in_body(request.auth, payload.parent, "parent")
    return services.move_org(
        actor=request.auth, org=org, new_parent=parent, on=payload.on, note=payload.note
    )


@router.get(
    "/orgs/{org_id}/events",
    response={200: list[OrgEventOut], **READ_ERRORS},
    tags=["工会组织"],
    summary="组织沿革（组建、撤销、合并、隶属关系调整）",
)
def org_events(request, org_id: int):
    org = selectors.org_for(request.auth, org_id)
    return list(org.events.select_related("other").order_by("on", "id"))
