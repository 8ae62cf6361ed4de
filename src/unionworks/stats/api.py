"""Indicators, their values and targets over JSON, scoped like the pages."""

from typing import Annotated

from annotated_types import MaxLen
from ninja import Router, Status
from ninja.pagination import paginate

from unionworks.core.api import ErrorOut, Pagination, resolve_or_domain_error
from unionworks.core.errors import DomainError
from unionworks.core.periods import parse_period
from unionworks.core.scoping import scope_to_subtree
from unionworks.stats import registry, selectors, services
from unionworks.stats.lens import PROJECTS
from unionworks.stats.models import Target
from unionworks.stats.schemas import CompletionOut, IndicatorOut, TargetIn, TargetOut, ValuesOut
from unionworks.stats.targets import completion

router = Router()
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
TAGS = ["统计指标"]


def _projects_of(code: str) -> list[str]:
    return [p.code for p in PROJECTS if code in p.indicators]


@router.get("/indicators/", response=list[IndicatorOut], tags=TAGS, summary="指标目录")
def list_indicators(request):
    return [
        {
            **{
                k: getattr(i, k)
                for k in (
                    "code",
                    "name",
                    "name_en",
                    "unit",
                    "measure",
                    "numerator",
                    "denominator",
                    "money",
                    "description",
                )
            },
            "projects": _projects_of(i.code),
        }
        for i in registry.all_indicators()
    ]


@router.get(
    "/values/", response={200: ValuesOut, **ERRORS}, tags=TAGS, summary="指标值（所选组织及各下级）"
)
def get_values(
    request,
    period: Annotated[str, MaxLen(40)],
    indicators: Annotated[str, MaxLen(2000)],
    org: int | None = None,
):
    """``period``: 2008, 2008H1, 2008Q3, 2008-09, @2008-09-30 or 2008-03-01~2008-09-30;
    ``indicators``: comma-separated codes from /indicators/."""
    root = selectors.org_for(request.auth, org)
    the_period = parse_period(period)
    codes = [c.strip() for c in indicators.split(",") if c.strip()]
    unknown = [c for c in codes if not registry.exists(c)]
    if unknown or not codes:
        raise DomainError(
            f"未知的指标：{'、'.join(unknown) or '（未选择指标）'}", field="indicators"
        )
    table = selectors.indicator_table(request.auth, org=root, period=the_period, codes=codes)
    rows = [table.own, *table.rows]
    return {
        "period": the_period.code,
        "period_label": the_period.label,
        "start": the_period.start,
        "end": the_period.end,
        "indicators": codes,
        "rows": [
            {
                "org": r.org_id,
                "name": r.name,
                "kind": r.kind,
                "values": {c: r.figures.get(c) for c in codes},
            }
            for r in rows
        ],
    }


@router.get("/targets/", response=list[TargetOut], tags=TAGS, summary="任务指标列表")
@paginate(Pagination)
def list_targets(request, year: int | None = None):
    targets = scope_to_subtree(Target.objects.select_related("org"), request.auth)
    return targets.filter(year=year) if year else targets


@router.post(
    "/targets/", response={201: TargetOut, **ERRORS}, tags=TAGS, summary="下达或修改任务指标"
)
def set_target(request, payload: TargetIn):
    org = resolve_or_domain_error(
        lambda: selectors.org_for(request.auth, payload.org),
        field="org",
        message="组织不存在，或不在本组织及下级组织范围内",
    )
    target = services.set_target(
        actor=request.auth,
        org=org,
        year=payload.year,
        indicator=payload.indicator,
        value=payload.value,
    )
    return Status(201, target)


@router.get(
    "/targets/completion/",
    response={200: list[CompletionOut], **ERRORS},
    tags=TAGS,
    summary="任务完成率（未完成的在前）",
)
def get_completion(request, year: int, org: int | None = None):
    return completion(request.auth, year=year, org=selectors.org_for(request.auth, org))
