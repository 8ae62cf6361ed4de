"""Reads of the eight-project lens: dashboards, the indicator table, values for the API.

Everything starts from an organisation inside the acting user's subtree (``org_for``
makes any other a 404) and a period; figures come from stats.values.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from unionworks.core.periods import Period
from unionworks.core.scoping import get_in_subtree_or_404, root_org_of
from unionworks.orgs.models import Org
from unionworks.stats import registry
from unionworks.stats.lens import PROJECTS, Project, project
from unionworks.stats.registry import Indicator
from unionworks.stats.targets import target_value, targets_for
from unionworks.stats.values import Change, evaluate, ratio, series, year_on_year


def org_for(actor, org_id: int | None) -> Org:
    if not org_id:
        return root_org_of(actor)
    return get_in_subtree_or_404(Org.objects.all(), actor, via=None, pk=org_id)


@dataclass
class KeyFigure:
    indicator: Indicator
    value: object
    change: Change
    target: object = None
    completion: float | None = None


@dataclass
class ChildRow:
    org_id: int
    name: str
    kind: str
    has_children: bool
    figures: dict


@dataclass
class Dashboard:
    project: Project
    org: Org
    period: Period
    indicators: list[Indicator] = field(default_factory=list)
    key_figures: list[KeyFigure] = field(default_factory=list)
    trend_labels: list[str] = field(default_factory=list)
    trend: dict[str, list] = field(default_factory=dict)
    children: list[ChildRow] = field(default_factory=list)
    ancestors: list[Org] = field(default_factory=list)

    @property
    def has_records(self) -> bool:
        return bool(self.indicators)


def children_rows(org: Org, nodes) -> list[ChildRow]:
    """The org's children with their figures, in tree order."""
    return [
        ChildRow(n.id, n.name, n.kind, nodes.has_children(n.id), n.figures)
        for n in nodes.children(org.pk)
    ]


def visible_ancestors(actor, org: Org) -> list[Org]:
    """The org's ancestors that the actor may open, for the drill-up breadcrumb."""
    root = root_org_of(actor)
    return [a for a in org.ancestors() if len(a.path) >= len(root.path)]


def project_dashboard(
    actor, *, project_code: str, org: Org, period: Period, with_trend: bool = True
) -> Dashboard:
    lens = project(project_code)
    codes = lens.kept()
    board = Dashboard(project=lens, org=org, period=period, ancestors=visible_ancestors(actor, org))
    if not codes:
        return board
    board.indicators = [registry.get(c) for c in codes]
    nodes = evaluate(org, period, codes)
    previous = evaluate(org, period.year_before(), lens.key_indicators())
    targets = targets_for(actor, org_id=org.pk, year=period.end.year)
    for code in lens.key_indicators():
        indicator = registry.get(code)
        value = nodes[org.pk].figures[code]
        figure = KeyFigure(
            indicator, value, year_on_year(value, previous[org.pk].figures[code], indicator)
        )
        if code in targets:
            figure.target = targets[code]
            figure.completion = (
                None if value is None else ratio(value, target_value(code, targets[code]))
            )
        board.key_figures.append(figure)
    if with_trend:
        months = period.months()
        board.trend_labels = [
            f"{m.start.month}月" if m.start.year == period.end.year else m.code for m in months
        ]
        rows = series(org, months, codes)
        board.trend = {code: [row.get(code) for row in rows] for code in codes}
    board.children = children_rows(org, nodes)
    return board


def all_dashboards(actor, *, org: Org, period: Period) -> list[Dashboard]:
    return [
        project_dashboard(actor, project_code=p.code, org=org, period=period, with_trend=False)
        for p in PROJECTS
    ]


@dataclass
class IndicatorTable:
    org: Org
    period: Period
    indicators: list[Indicator]
    own: ChildRow
    rows: list[ChildRow]


def indicator_table(
    actor, *, org: Org, period: Period, codes: list[str], sort: str = "", descending: bool = True
) -> IndicatorTable:
    """Rows = the org's children, columns = the chosen indicators; the org itself is the total."""
    codes = [c for c in codes if registry.exists(c)]
    nodes = evaluate(org, period, codes)
    rows = children_rows(org, nodes)
    if sort in codes:
        present = [r for r in rows if r.figures.get(sort) is not None]
        missing = [r for r in rows if r.figures.get(sort) is None]
        rows = sorted(present, key=lambda r: r.figures[sort], reverse=descending) + missing
    own = nodes[org.pk]
    return IndicatorTable(
        org=org,
        period=period,
        indicators=[registry.get(c) for c in codes],
        own=ChildRow(own.id, own.name, own.kind, True, own.figures),
        rows=rows,
    )
