"""夯基工程 indicators counted from organisations and units.

Unions are counted at themselves; units at the organisation that registers them; a
covered unit (and its employees) at the grassroots union whose coverage spell is open on
the day asked (``CoverageSpell``), so a later move, merge or closure leaves every past
figure as it was.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q, Sum

from unionworks.core.periods import Period
from unionworks.core.scoping import subtree_q
from unionworks.orgs.models import CoverageSpell, Org, Unit
from unionworks.stats.registry import FLOW, RATIO, STOCK, Indicator, Source, register
from unionworks.stats.sources import per_org

# 外资企业: foreign-invested, including Hong Kong, Macao and Taiwan investment.
FOREIGN_INVESTED = [Unit.Ownership.FOREIGN, Unit.Ownership.HMT]


def active_unions(as_of: dt.date) -> Q:
    return (
        Q(kind=Org.Kind.GRASSROOTS)
        & (Q(founded_on__isnull=True) | Q(founded_on__lte=as_of))
        & (Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=as_of))
    )


def existing_units(as_of: dt.date, prefix: str = "") -> Q:
    """Units established by ``as_of`` and not yet closed (注销)."""
    return (
        Q(**{f"{prefix}established_on__isnull": True})
        | Q(**{f"{prefix}established_on__lte": as_of})
    ) & (Q(**{f"{prefix}closed_on__isnull": True}) | Q(**{f"{prefix}closed_on__gt": as_of}))


def covering_on(as_of: dt.date) -> Q:
    """Coverage spells open on ``as_of`` (``[start, end)``) of units that exist then."""
    return (
        Q(start__lte=as_of)
        & (Q(end__isnull=True) | Q(end__gt=as_of))
        & existing_units(as_of, "unit__")
    )


def _union_active(as_of: dt.date) -> Q:
    return (Q(union__founded_on__isnull=True) | Q(union__founded_on__lte=as_of)) & (
        Q(union__dissolved_on__isnull=True) | Q(union__dissolved_on__gt=as_of)
    )


def _fie_unions(root: Org, as_of: dt.date) -> dict:
    spells = CoverageSpell.objects.filter(
        subtree_q(root, "union__")
        & covering_on(as_of)
        & _union_active(as_of)
        & Q(unit__ownership__in=FOREIGN_INVESTED)
    )
    return dict.fromkeys(spells.values_list("union_id", flat=True).distinct(), 1)


def _unions(root: Org, period: Period) -> dict:
    within = subtree_q(root)
    active = Org.objects.filter(within & active_unions(period.as_of)).values_list("pk", flat=True)
    founded = Org.objects.filter(
        within, kind=Org.Kind.GRASSROOTS, founded_on__gte=period.start, founded_on__lte=period.end
    )
    return {
        "grassroots_unions": dict.fromkeys(active, 1),
        "unions_founded": dict.fromkeys(founded.values_list("pk", flat=True), 1),
    }


def _units(root: Org, period: Period) -> dict:
    as_of = period.as_of
    figures = per_org(
        Unit.objects.filter(subtree_q(root, "org__") & existing_units(as_of)),
        "org_id",
        units=Count("id"),
    )
    covered = CoverageSpell.objects.filter(subtree_q(root, "union__") & covering_on(as_of))
    figures.update(
        per_org(
            covered, "union_id", units_covered=Count("id"), employees_covered=Sum("unit__employees")
        )
    )
    figures["fie_unions"] = _fie_unions(root, as_of)
    return figures


def _unions_series(root: Org, periods: list[Period]) -> list[dict]:
    """Per union (each counted at itself), for many periods, in one scan of the unions."""
    aggregates = {}
    for i, p in enumerate(periods):
        aggregates[f"a{i}"] = Count("id", filter=active_unions(p.as_of))
        aggregates[f"f{i}"] = Count("id", filter=Q(founded_on__gte=p.start, founded_on__lte=p.end))
    found = per_org(
        Org.objects.filter(subtree_q(root), kind=Org.Kind.GRASSROOTS), "id", **aggregates
    )
    return [
        {"grassroots_unions": found[f"a{i}"], "unions_founded": found[f"f{i}"]}
        for i in range(len(periods))
    ]


def _units_series(root: Org, periods: list[Period]) -> list[dict]:
    """Per org, for many periods: units where they are registered (one scan), covered
    units and their employees at the covering union (one scan of the coverage spells)."""
    registered, covering = {}, {}
    for i, p in enumerate(periods):
        registered[f"u{i}"] = Count("id", filter=existing_units(p.as_of))
        covered = covering_on(p.as_of)
        covering[f"c{i}"] = Count("id", filter=covered)
        covering[f"e{i}"] = Sum("unit__employees", filter=covered)
    units = per_org(Unit.objects.filter(subtree_q(root, "org__")), "org_id", **registered)
    first = min(p.as_of for p in periods)
    last = max(p.as_of for p in periods)
    spells = CoverageSpell.objects.filter(
        subtree_q(root, "union__") & Q(start__lte=last) & (Q(end__isnull=True) | Q(end__gt=first))
    )
    covers = per_org(spells, "union_id", **covering)
    return [
        {
            "units": units[f"u{i}"],
            "units_covered": covers[f"c{i}"],
            "employees_covered": covers[f"e{i}"],
            "fie_unions": _fie_unions(root, p.as_of),
        }
        for i, p in enumerate(periods)
    ]


UNIONS = Source("orgs.unions", _unions, _unions_series, series_by_org=True)
UNITS = Source("orgs.units", _units, _units_series, series_by_org=True)

register(
    Indicator(
        "grassroots_unions",
        "基层工会数",
        "Grassroots unions",
        "个",
        STOCK,
        UNIONS,
        description="期末存续的基层工会委员会",
    ),
    Indicator(
        "unions_founded",
        "新建工会数",
        "Unions founded",
        "个",
        FLOW,
        UNIONS,
        description="期间内建立的基层工会",
    ),
    Indicator(
        "units",
        "法人单位数",
        "Units",
        "个",
        STOCK,
        UNITS,
        description="期末已成立的法人单位（按登记组织计）",
    ),
    Indicator(
        "units_covered",
        "建会单位数",
        "Units covered",
        "个",
        STOCK,
        UNITS,
        description="期末有基层工会覆盖的单位（按覆盖工会计）",
    ),
    Indicator(
        "employees_covered", "建会单位职工数", "Employees of covered units", "人", STOCK, UNITS
    ),
    Indicator(
        "fie_unions",
        "外资企业工会数",
        "Unions in foreign-invested units",
        "个",
        STOCK,
        UNITS,
        description="覆盖外商及港澳台投资单位的基层工会",
    ),
    Indicator(
        "coverage_rate",
        "建会率",
        "Coverage rate",
        "%",
        RATIO,
        numerator="units_covered",
        denominator="units",
        description="建会单位数 ÷ 法人单位数",
    ),
)
