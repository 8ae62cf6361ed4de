"""Organising coverage (夯基工程) for any organisation and any date.

Every figure is counted from records at the organisation where they sit, "as of" a
date through membership spells and founding/covering dates, then rolled up the tree
(orgs.rollup). Ratios — 建会率 (covered units / units) and 入会率 (members / employees
of covered units) — are computed after the roll-up from their parts, never averaged.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, Sum

from unionworks.core.scoping import root_org_of, subtree_filter
from unionworks.members.models import MembershipSpell
from unionworks.orgs.models import Org, Unit
from unionworks.orgs.rollup import TreeNode, load_subtree, roll_up

FOREIGN_INVESTED = [Unit.Ownership.FOREIGN, Unit.Ownership.HMT]

# Column order and Chinese headings of the coverage table.
FIGURES = [
    ("grassroots_unions", "基层工会数"),
    ("units", "单位数"),
    ("units_covered", "建会单位数"),
    ("coverage_rate", "建会率"),
    ("members", "会员数"),
    ("migrant_members", "农民工会员数"),
    ("employees_covered", "建会单位职工数"),
    ("membership_rate", "入会率"),
    ("fie_unions", "外资企业工会数"),
    ("members_joined", "期间新入会"),
    ("unions_founded", "期间新建工会"),
]
RATES = {
    "coverage_rate": ("units_covered", "units"),
    "membership_rate": ("members", "employees_covered"),
}


def ratio(numerator: int, denominator: int) -> float | None:
    """A rate, or None where the denominator is zero (shown as "—")."""
    return None if not denominator else numerator / denominator


def _active_unions(as_of: dt.date) -> Q:
    return (
        Q(kind=Org.Kind.GRASSROOTS)
        & (Q(founded_on__isnull=True) | Q(founded_on__lte=as_of))
        & (Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=as_of))
    )


def _covered(as_of: dt.date) -> Q:
    return Q(union__isnull=False) & (Q(covered_since__isnull=True) | Q(covered_since__lte=as_of))


def _existing(as_of: dt.date) -> Q:
    return Q(established_on__isnull=True) | Q(established_on__lte=as_of)


def _per_org(queryset, key: str, **aggregates) -> dict[str, dict[int, int]]:
    result = {name: {} for name in aggregates}
    for row in queryset.values(key).annotate(**aggregates).order_by():
        for name in aggregates:
            result[name][row[key]] = row[name] or 0
    return result


def _within(root: Org, field_prefix: str) -> Q:
    """The subtree condition, left out at the top of the tree where it selects everything."""
    if (
        root.parent_id is None
        and not Org.objects.filter(parent__isnull=True).exclude(pk=root.pk).exists()
    ):
        return Q()
    return Q(**subtree_filter(root.path, f"{field_prefix}path"))


def leaf_figures(
    root: Org, *, as_of: dt.date, period: tuple[dt.date, dt.date]
) -> dict[str, dict[int, int]]:
    """Each figure counted at the organisation where its records sit."""
    start, end = period
    figures: dict[str, dict[int, int]] = {}
    unions = Org.objects.filter(_within(root, "") & _active_unions(as_of))
    figures["grassroots_unions"] = {pk: 1 for pk in unions.values_list("pk", flat=True)}
    founded = Org.objects.filter(
        _within(root, ""), kind=Org.Kind.GRASSROOTS, founded_on__gte=start, founded_on__lte=end
    )
    figures["unions_founded"] = {pk: 1 for pk in founded.values_list("pk", flat=True)}
    units = Unit.objects.filter(_within(root, "org__") & _existing(as_of))
    figures.update(_per_org(units, "org_id", units=Count("id")))
    covered = Unit.objects.filter(_within(root, "union__") & _existing(as_of) & _covered(as_of))
    figures.update(
        _per_org(covered, "union_id", units_covered=Count("id"), employees_covered=Sum("employees"))
    )
    fie = (
        covered.filter(ownership__in=FOREIGN_INVESTED, union__in=unions)
        .values_list("union_id", flat=True)
        .distinct()
    )
    figures["fie_unions"] = {pk: 1 for pk in fie}
    spells = MembershipSpell.objects.filter(_within(root, "org__"))
    open_at = spells.filter(Q(start__lte=as_of) & (Q(end__isnull=True) | Q(end__gt=as_of)))
    figures.update(
        _per_org(
            open_at,
            "org_id",
            members=Count("id"),
            migrant_members=Count("id", filter=Q(member__is_migrant=True)),
        )
    )
    joined = spells.filter(
        start_reason=MembershipSpell.StartReason.JOIN, start__gte=start, start__lte=end
    )
    figures.update(_per_org(joined, "org_id", members_joined=Count("id")))
    return figures


@dataclass
class CoverageRow:
    org_id: int
    name: str
    kind: str
    path: str
    figures: dict

    @property
    def kind_display(self) -> str:
        return Org.Kind(self.kind).label


def _row(node: TreeNode) -> CoverageRow:
    figures = dict(node.figures)
    for name, (numerator, denominator) in RATES.items():
        figures[name] = ratio(figures[numerator], figures[denominator])
    return CoverageRow(node.id, node.name, node.kind, node.path, figures)


def coverage_tree(
    actor, *, org: Org | None = None, as_of: dt.date, period: tuple[dt.date, dt.date] | None = None
) -> dict[int, CoverageRow]:
    """Every node of the subtree of ``org`` (default: the actor's own org) with its figures."""
    root = org or root_org_of(actor)
    period = period or (dt.date(as_of.year, 1, 1), as_of)
    nodes = roll_up(load_subtree(root), leaf_figures(root, as_of=as_of, period=period))
    return {node_id: _row(node) for node_id, node in nodes.items()}


def coverage_table(
    actor, *, org: Org | None = None, as_of: dt.date, period: tuple[dt.date, dt.date] | None = None
) -> list[CoverageRow]:
    """The org's own row first, then one row per child, in tree order."""
    root = org or root_org_of(actor)
    rows = coverage_tree(actor, org=root, as_of=as_of, period=period)
    own = rows[root.pk]
    children = sorted(
        (r for r in rows.values() if len(r.path) == len(root.path) + 8), key=lambda r: r.path
    )
    return [own, *children]
