"""Targets against figures: 完成率 = actual / target, for any registered indicator.

A year's target is met by the figure for that year: a flow counted over the year (to
``as_of`` while the year runs), a stock counted as of ``as_of``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from unionworks.core.periods import Period, date_range
from unionworks.core.scoping import root_org_of, scope_to_subtree
from unionworks.stats import registry
from unionworks.stats.models import Target
from unionworks.stats.values import evaluate, ratio


def target_period(year: int, as_of: dt.date | None = None) -> Period:
    end = as_of or min(dt.date(year, 12, 31), timezone.localdate())
    return date_range(dt.date(year, 1, 1), max(end, dt.date(year, 1, 1)))


def target_value(indicator_code: str, value: Decimal):
    """Rates are set in percent (90 = 90%) and compared as fractions."""
    return float(value) / 100 if registry.get(indicator_code).is_ratio else value


@dataclass
class Completion:
    org_id: int
    org_name: str
    indicator: str
    indicator_name: str
    unit: str
    target: Decimal
    actual: object
    rate: float | None


def completion(actor, *, year: int, as_of: dt.date | None = None, org=None) -> list[Completion]:
    """Every target of the year inside the subtree with its actual figure, behind-target first."""
    root = org or root_org_of(actor)
    targets = [
        t
        for t in scope_to_subtree(Target.objects.filter(year=year), root).select_related("org")
        if registry.exists(t.indicator)
    ]
    if not targets:
        return []
    codes = sorted({t.indicator for t in targets})
    nodes = evaluate(root, target_period(year, as_of), codes)
    result = []
    for target in targets:
        indicator = registry.get(target.indicator)
        actual = nodes[target.org_id].figures[target.indicator]
        result.append(
            Completion(
                target.org_id,
                target.org.name,
                target.indicator,
                indicator.name,
                indicator.unit,
                target.value,
                actual,
                None
                if actual is None
                else ratio(actual, target_value(target.indicator, target.value)),
            )
        )
    result.sort(
        key=lambda c: (c.rate if c.rate is not None else float("inf"), c.org_name, c.indicator)
    )
    return result


def targets_for(actor, *, org_id: int, year: int) -> dict[str, Decimal]:
    """The targets of one organisation and year, by indicator code."""
    return dict(
        scope_to_subtree(Target.objects.filter(org_id=org_id, year=year), actor).values_list(
            "indicator", "value"
        )
    )
