"""Indicator values for an organisation's subtree and a period: evaluated at the leaves
by each source, rolled up the tree, ratios after the roll-up; 同比 and completion.

Caching: each source's per-organisation values are cached per (source, root, period)
under the current data generation (core.generation), which every committed write
bumps — so a cached figure is never older than the records. The cache is Django's
(Redis when REDIS_URL is set, shared by all workers; per-process memory otherwise).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.core.cache import cache

from unionworks.core import generation
from unionworks.core.periods import Period
from unionworks.orgs.models import Org
from unionworks.orgs.rollup import TreeNode, load_subtree, roll_up
from unionworks.stats import registry
from unionworks.stats.registry import Indicator


def ratio(numerator, denominator) -> float | None:
    """A rate, or None where the denominator is zero (shown as "—")."""
    if not denominator:
        return None
    return float(numerator) / float(denominator)


def _cache_key(*parts) -> str:
    return "uw:stats:" + ":".join(str(p) for p in (generation.current(), *parts))


def source_values(
    source: registry.Source, root: Org, period: Period
) -> dict[str, dict[int, object]]:
    key = _cache_key("leaf", source.name, root.pk, period.code)
    values = cache.get(key)
    if values is None:
        values = source.compute(root, period)
        cache.set(key, values)
    return values


# The tree of a root, per data generation, kept in the process: unpickling 54,000 nodes
# from a shared cache costs more than reading them again once per generation.
_TREES: dict[tuple[int, int], list[tuple]] = {}


def forget_trees() -> None:
    """Drop the process's trees (tests, whose rolled-back writes never bump the generation)."""
    _TREES.clear()


def _tree(root: Org) -> dict[int, TreeNode]:
    key = (generation.current(), root.pk)
    rows = _TREES.get(key)
    if rows is None:
        if len(_TREES) > 16:
            _TREES.clear()
        rows = _TREES[key] = [
            (n.id, n.parent_id, n.path, n.name, n.kind) for n in load_subtree(root).values()
        ]
    return {r[0]: TreeNode(*r) for r in rows}


def _sources(codes: list[str]) -> list[registry.Source]:
    seen: dict[str, registry.Source] = {}
    for code in registry.base_codes(codes):
        source = registry.get(code).source
        seen.setdefault(source.name, source)
    return list(seen.values())


def with_ratios(figures: dict, codes: list[str]) -> dict:
    """The counted figures plus every ratio in ``codes``, computed from its parts."""
    result = dict(figures)
    for code in codes:
        _value(result, code)
    return result


def _value(figures: dict, code: str):
    if code in figures:
        return figures[code]
    indicator = registry.get(code)
    figures[code] = ratio(
        _value(figures, indicator.numerator), _value(figures, indicator.denominator)
    )
    return figures[code]


def evaluate(root: Org, period: Period, codes: list[str]) -> dict[int, TreeNode]:
    """Every node of ``root``'s subtree with ``node.figures[code]`` for each code."""
    bases = registry.base_codes(codes)
    leaf: dict[str, dict[int, object]] = {}
    for source in _sources(codes):
        leaf.update(source_values(source, root, period))
    nodes = roll_up(_tree(root), {code: leaf.get(code, {}) for code in bases})
    money = [code for code in bases if registry.get(code).money]
    ratios = [registry.get(code) for code in codes if registry.get(code).is_ratio]
    simple = [
        (r.code, r.numerator, r.denominator)
        for r in ratios
        if r.numerator in bases and r.denominator in bases
    ]
    nested = [r.code for r in ratios if (r.code, r.numerator, r.denominator) not in simple]
    for node in nodes.values():
        figures = node.figures
        for code in money:
            figures[code] = Decimal(figures[code] or 0)
        for code, numerator, denominator in simple:
            figures[code] = ratio(figures[numerator], figures[denominator])
        if nested:
            node.figures = with_ratios(figures, nested)
    return nodes


def series(root: Org, periods: list[Period], codes: list[str]) -> list[dict]:
    """The root's totals for each period (a trend), one scan per source where it can."""
    bases = registry.base_codes(codes)
    rows: list[dict] = [{} for _ in periods]
    for source in _sources(codes):
        key = _cache_key("series", source.name, root.pk, ",".join(p.code for p in periods))
        totals = cache.get(key)
        if totals is None:
            if source.series is not None:
                totals = source.series(root, periods)
            else:
                totals = [
                    {code: sum(v.values()) for code, v in source.compute(root, p).items()}
                    for p in periods
                ]
            cache.set(key, totals)
        for row, total in zip(rows, totals, strict=True):
            row.update(total)
    return [with_ratios({c: row.get(c, 0) for c in bases}, codes) for row in rows]


@dataclass
class Change:
    """同比: this period against the same period a year before."""

    current: object
    previous: object
    difference: object
    rate: float | None  # None when last year is zero or missing: shown as "—"


def year_on_year(current, previous, indicator: Indicator) -> Change:
    if current is None or previous is None:
        return Change(current, previous, None, None)
    if indicator.is_ratio:
        # For a rate the change is in percentage points; its own 同比 rate means little.
        return Change(current, previous, current - previous, None)
    return Change(
        current,
        previous,
        current - previous,
        None if not previous else (float(current) - float(previous)) / float(previous),
    )
