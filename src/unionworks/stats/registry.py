"""The indicator registry: every figure the platform reports is a declared indicator.

Each domain app declares its indicators in its own ``indicators.py`` (discovered when
the apps load). An indicator is one of:

- a **count or sum** computed at the leaves — per organisation, where the records
  sit — by a *source*, then summed up the tree. A ``stock`` is counted as of the last
  day of the period (members, unions); a ``flow`` counts records dated inside the
  period (people who joined, money raised).
- a **ratio** of two registered indicators, computed after the roll-up from the
  rolled-up numerator and denominator at every level — never averaged.

A *source* is one function that computes several indicators in one grouped query:
``compute(root, period) -> {code: {org_id: value}}``. It may also offer
``series(root, periods)`` for many periods in a single scan (the month-by-month trend
of a dashboard): per organisation, ``[{code: {org_id: value}}]`` (``series_by_org``,
what the builders of ``stats.sources`` give), or as the root's totals ``[{code: total}]``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

STOCK, FLOW, RATIO = "stock", "flow", "ratio"


@dataclass(frozen=True)
class Source:
    name: str
    compute: Callable
    series: Callable | None = None
    # ``series`` answers per organisation (``[{code: {org_id: value}}]``, one dict per
    # period) rather than the root's totals: the trend is then kept and patched per
    # subtree like the figures, instead of counted again whole after a write.
    series_by_org: bool = False
    # The app whose records the source counts: a write to another app's records leaves
    # its kept figures alone. By default the app whose module declares ``compute``
    # ("unionworks.<app>.indicators"); '' for a source reading several apps.
    app: str | None = None
    # ``latest(root)``: the date of the latest record the source counts (None when there
    # is none), so statistics can open on the latest period that has records.
    latest: Callable | None = None

    def __post_init__(self):
        if self.app is None:
            parts = getattr(self.compute, "__module__", "").split(".")
            object.__setattr__(self, "app", parts[1] if len(parts) > 2 else "")


@dataclass(frozen=True)
class Indicator:
    code: str
    name: str
    name_en: str
    unit: str
    measure: str  # stock, flow or ratio
    source: Source | None = None
    numerator: str | None = None
    denominator: str | None = None
    money: bool = False
    description: str = ""
    higher_is_better: bool = True
    tags: tuple = field(default_factory=tuple)

    @property
    def is_ratio(self) -> bool:
        return self.measure == RATIO


_REGISTRY: dict[str, Indicator] = {}


def register(*indicators: Indicator) -> None:
    for indicator in indicators:
        if indicator.code in _REGISTRY and _REGISTRY[indicator.code] != indicator:
            raise ValueError(f"indicator {indicator.code} registered twice")
        if indicator.is_ratio and not (indicator.numerator and indicator.denominator):
            raise ValueError(f"ratio {indicator.code} needs a numerator and a denominator")
        if not indicator.is_ratio and indicator.source is None:
            raise ValueError(f"indicator {indicator.code} needs a source")
        _REGISTRY[indicator.code] = indicator


def get(code: str) -> Indicator:
    return _REGISTRY[code]


def exists(code: str) -> bool:
    return code in _REGISTRY


def all_indicators() -> list[Indicator]:
    return list(_REGISTRY.values())


def base_codes(codes: list[str]) -> list[str]:
    """The counted indicators behind ``codes`` (a ratio needs its numerator and denominator)."""
    result: list[str] = []
    for code in codes:
        indicator = get(code)
        parts = [indicator.numerator, indicator.denominator] if indicator.is_ratio else [code]
        for part in parts:
            for base in base_codes([part]) if get(part).is_ratio else [part]:
                if base not in result:
                    result.append(base)
    return result
