"""Targets against figures: 完成率 = actual / target, for the indicators targets are set on.

The 夯基 targets of the member-roll issue: 新建工会 (grassroots unions founded in the
year) and 新发展会员 (members who joined in the year). The indicator registry of the
lens issue takes these over.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from unionworks.core.scoping import scope_to_subtree
from unionworks.members.coverage import coverage_tree, ratio
from unionworks.stats.models import Target

TARGET_INDICATORS = [
    ("unions_founded", "新建工会"),
    ("members_joined", "新发展会员"),
]


@dataclass
class Completion:
    org_id: int
    org_name: str
    indicator: str
    indicator_name: str
    target: Decimal
    actual: int
    rate: float | None


def completion(actor, *, year: int, as_of: dt.date | None = None, org=None) -> list[Completion]:
    """Every target of the year inside the actor's subtree with its actual figure, behind-target first."""
    as_of = as_of or min(dt.date(year, 12, 31), dt.date.today())
    tree = coverage_tree(actor, org=org, as_of=as_of, period=(dt.date(year, 1, 1), as_of))
    names = dict(TARGET_INDICATORS)
    result = []
    for target in scope_to_subtree(
        Target.objects.filter(year=year, indicator__in=names), actor
    ).select_related("org"):
        row = tree.get(target.org_id)
        if row is None:
            continue
        actual = row.figures[target.indicator]
        result.append(
            Completion(
                target.org_id,
                target.org.name,
                target.indicator,
                names[target.indicator],
                target.value,
                actual,
                ratio(actual, float(target.value)),
            )
        )
    result.sort(key=lambda c: (c.rate if c.rate is not None else float("inf"), c.org_name))
    return result
