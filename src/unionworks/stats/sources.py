"""Builders of indicator sources: what an app's ``indicators.py`` declares its figures with.

A source computes several indicators per organisation in one grouped query
(``compute(root, period) -> {code: {org_id: value}}``) and, for a dashboard's trend, the
root's totals for many periods in one scan (``series(root, periods) -> [{code: total}]``).

- ``per_org``: one grouped query, ``{aggregate name: {org id: value}}``;
- ``Figure``: one counted figure — rows (``COUNT``), the total of an integer column
  (``TOTAL``) or a sum of money to the fen (``MONEY``) — with an optional condition;
- ``flow_source``: figures of records dated inside the period, grouped by org;
- ``grouped_source``: flows from one query grouped by org and a few dimensions (a kind, a
  source, a category…), each code summing one measure over the groups it picks.

Money is yuan to the fen (Decimal) at every level.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, DecimalField, Max, Q, QuerySet, Sum
from django.utils import timezone

from unionworks.core.money import FEN
from unionworks.core.periods import Period
from unionworks.stats.registry import Source

COUNT, TOTAL, MONEY = "count", "total", "money"
# Sums of money come back as yuan to the fen on both databases.
MONEY_SUM = DecimalField(max_digits=16, decimal_places=2)

Records = Callable[[object], QuerySet]  # the records under a root org


def _app_of(records: Records) -> str:
    """The app declaring ``records`` (its ``indicators`` module), whose records they are."""
    parts = getattr(records, "__module__", "").split(".")
    return parts[1] if len(parts) > 2 and parts[0] == "unionworks" else ""


def money_sum(expression, **extra) -> Sum:
    return Sum(expression, output_field=MONEY_SUM, **extra)


def fen(value) -> Decimal:
    """A sum as yuan to the fen (a missing sum is 0.00)."""
    return Decimal(value or 0).quantize(FEN)


def dated(field: str, start, end) -> Q:
    """Records whose ``field`` falls inside [start, end] (both days included)."""
    return Q(**{f"{field}__gte": start, f"{field}__lte": end})


def per_org(queryset: QuerySet, key: str, **aggregates) -> dict[str, dict[int, object]]:
    """One grouped query: ``{aggregate name: {org id: value}}`` (zeros left out)."""
    result: dict[str, dict[int, object]] = {name: {} for name in aggregates}
    for row in queryset.values(key).annotate(**aggregates).order_by():
        for name in aggregates:
            if row[name]:
                result[name][row[key]] = row[name]
    return result


@dataclass(frozen=True)
class Figure:
    code: str
    how: str = COUNT  # COUNT rows, TOTAL of an integer column, MONEY summed to the fen
    value: object = None  # the column or expression summed
    where: Q = Q()

    def aggregate(self, extra: Q | None = None):
        condition = self.where & extra if extra is not None else self.where
        if self.how == COUNT:
            return Count("id", filter=condition)
        if self.how == MONEY:
            return money_sum(self.value, filter=condition)
        return Sum(self.value, filter=condition)

    def clean(self, value):
        return fen(value) if self.how == MONEY else int(value or 0)


def latest_of(records: Records, date: str) -> Callable:
    """The date of the latest record (up to today: a typed-in future date is no period)."""

    def latest(root) -> dt.date | None:
        found = records(root).filter(**{f"{date}__lte": timezone.localdate()})
        return found.aggregate(latest=Max(date))["latest"]

    return latest


def flow_source(
    name: str, records: Records, *, date: str, org: str, figures: Iterable[Figure]
) -> Source:
    """A source of flows: ``records`` dated (``date``) inside the period, grouped by ``org``."""
    figures = list(figures)

    def compute(root, period: Period) -> dict:
        found = records(root).filter(dated(date, period.start, period.end))
        values = per_org(found, org, **{f.code: f.aggregate() for f in figures})
        return {f.code: {k: f.clean(v) for k, v in values[f.code].items()} for f in figures}

    def series(root, periods: list[Period]) -> list[dict]:
        first, last = min(p.start for p in periods), max(p.end for p in periods)
        aggregates = {
            f"{f.code}__{i}": f.aggregate(dated(date, p.start, p.end))
            for i, p in enumerate(periods)
            for f in figures
        }
        found = per_org(records(root).filter(dated(date, first, last)), org, **aggregates)
        return [
            {f.code: {k: f.clean(v) for k, v in found[f"{f.code}__{i}"].items()} for f in figures}
            for i in range(len(periods))
        ]

    return Source(
        name,
        compute,
        series,
        series_by_org=True,
        app=_app_of(records),
        latest=latest_of(records, date),
    )


def grouped_source(
    name: str,
    records: Records,
    *,
    date: str,
    dims: tuple[str, ...],
    measures: dict[str, Callable],
    codes: list[tuple[str, str, Callable[[dict], bool]]],
    money: tuple[str, ...] = ("amount",),
    org: str = "org_id",
) -> Source:
    """A source of flows from one grouped query by ``org`` and ``dims`` (campaign kind,
    source, category…): each code sums one measure over the groups its predicate picks.
    Two aggregates per group instead of one conditional aggregate per code. ``measures``
    make an aggregate from an optional condition; those named in ``money`` are yuan."""

    def clean(measure: str, value):
        return fen(value) if measure in money else int(value or 0)

    def compute(root, period: Period) -> dict:
        rows = (
            records(root)
            .filter(dated(date, period.start, period.end))
            .values(org, *dims)
            .annotate(**{m: make() for m, make in measures.items()})
            .order_by()
        )
        result: dict[str, dict[int, object]] = {code: {} for code, _m, _p in codes}
        for row in rows:
            for code, measure, picks in codes:
                if picks(row) and row[measure]:
                    found = result[code]
                    found[row[org]] = found.get(row[org], 0) + row[measure]
        return {
            code: {key: clean(measure, v) for key, v in result[code].items()}
            for code, measure, _p in codes
        }

    def series(root, periods: list[Period]) -> list[dict]:
        first, last = min(p.start for p in periods), max(p.end for p in periods)
        rows = (
            records(root)
            .filter(dated(date, first, last))
            .values(org, *dims)
            .annotate(
                **{
                    f"{m}__{i}": make(dated(date, p.start, p.end))
                    for i, p in enumerate(periods)
                    for m, make in measures.items()
                }
            )
            .order_by()
        )
        found = [{code: {} for code, _m, _p in codes} for _ in periods]
        for row in rows:
            key = row[org]
            for i in range(len(periods)):
                for code, measure, picks in codes:
                    value = row[f"{measure}__{i}"]
                    if value and picks(row):
                        values = found[i][code]
                        values[key] = values.get(key, 0) + value
        return [
            {
                code: {key: clean(measure, v) for key, v in found[i][code].items()}
                for code, measure, _p in codes
            }
            for i in range(len(periods))
        ]

    return Source(
        name,
        compute,
        series,
        series_by_org=True,
        app=_app_of(records),
        latest=latest_of(records, date),
    )


def everything(row: dict) -> bool:
    """A ``grouped_source`` predicate: every group."""
    return True


def where(key: str, value) -> Callable[[dict], bool]:
    """A ``grouped_source`` predicate: the groups whose ``key`` is ``value``."""
    return lambda row: row[key] == value
