"""Reads of the eight-project lens: dashboards, the indicator table, values for the API.

Everything starts from an organisation inside the acting user's subtree (``org_for``
makes any other a 404) and a period; figures come from stats.values.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.cache import cache
from django.utils import timezone

from unionworks.core.periods import Period, as_of, date_range
from unionworks.core.scoping import SEGMENT, get_in_subtree_or_404, root_org_of
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


# ---- the period statistics open on ---------------------------------------------------------

# How long the date of the latest record is kept (a new record moves the default period
# only when it starts a new reporting year: a few minutes late is harmless).
LATEST_KEPT_SECONDS = 300


def reporting_year(day: dt.date) -> tuple[dt.date, dt.date]:
    """The federation's reporting year holding ``day``: 1 October to 30 September."""
    first = day.year if day.month >= 10 else day.year - 1
    return dt.date(first, 10, 1), dt.date(first + 1, 9, 30)


def latest_record_date(root: Org) -> dt.date | None:
    """The date of the latest record any source counts, in the whole tree of ``root`` (the
    same answer for every account of the tree, and cheap: the tree's root is no filter)."""
    top = Org.objects.filter(path=root.path[:SEGMENT]).first() or root
    key = f"stats.latest_record.{top.pk}"
    found = cache.get(key)
    if found is None:
        dates = [
            source.latest(top)
            for source in {i.source for i in registry.all_indicators() if i.source}
            if source.latest is not None
        ]
        latest = max((d for d in dates if d is not None), default=None)
        found = latest.isoformat() if latest else ""
        cache.set(key, found, LATEST_KEPT_SECONDS)
    return dt.date.fromisoformat(found) if found else None


def opening_period(actor, today: dt.date | None = None) -> Period:
    """The period statistics open on: the reporting year to date when it has records,
    else the latest reporting year that has (not today's date with zeros)."""
    return opening_period_of(root_org_of(actor) if actor is not None else None, today)


def opening_period_of(root: Org | None, today: dt.date | None = None) -> Period:
    """``opening_period`` for the tree of ``root`` (``warm_figures`` counts this one)."""
    today = today or timezone.localdate()
    start, end = reporting_year(today)
    latest = latest_record_date(root) if root is not None else None
    if latest is None:
        return as_of(today)
    if latest >= start:
        return date_range(start, today)
    start, end = reporting_year(latest)
    return date_range(start, end)


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


def trend_labels(period: Period) -> list[str]:
    return [
        f"{m.start.month}月" if m.start.year == period.end.year else m.code for m in period.months()
    ]


def dashboard_trend(org: Org, period: Period, codes: list[str]) -> dict[str, list]:
    """The org's month-by-month values of ``codes`` over the period (the trend chart)."""
    rows = series(org, period.months(), codes)
    return {code: [row.get(code) for row in rows] for code in codes}


def project_dashboard(
    actor,
    *,
    project_code: str,
    org: Org,
    period: Period,
    with_trend: bool = True,
    trend_codes: list[str] | None = None,
) -> Dashboard:
    """The project's figures for the org and period. The trend is counted for
    ``trend_codes`` only (by default the first key indicator, which the chart opens on):
    every other indicator's trend is asked for when the user picks it
    (``dashboard_trend``), so a cold page does not count 40 trends nobody looks at."""
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
        board.trend_labels = trend_labels(period)
        if trend_codes is None:
            trend_codes = lens.key_indicators()[:1] or codes[:1]
        board.trend = dashboard_trend(org, period, [c for c in trend_codes if c in codes])
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
