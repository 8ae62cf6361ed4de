"""Keeping the daily figures warm: what the dashboards of the tree's root read for the
period statistics open on (the period, the year before, the trend the chart opens on),
counted — or, with a shared cache, taken from another worker — before anyone asks.

``manage.py warm_figures`` runs it after a deploy or a bulk load, with a shared cache:
every worker then takes the figures instead of counting them. (Warming in each worker
as it starts was tried and left out: with an empty cache every worker counted the whole
province at once, on the cores the first requests needed.)
"""

from __future__ import annotations

from unionworks.core.periods import Period
from unionworks.orgs.models import Org
from unionworks.stats.lens import PROJECTS
from unionworks.stats.selectors import opening_period_of
from unionworks.stats.values import evaluate, series


def warm(root: Org, periods: list[Period] | None = None) -> list[Period]:
    """Count (or take) what the root's dashboards read for ``periods`` (default: the
    period statistics open on); the periods warmed."""
    periods = periods or [opening_period_of(root)]
    for period in periods:
        for lens in PROJECTS:
            codes = lens.kept()
            if not codes:
                continue
            evaluate(root, period, codes)
            evaluate(root, period.year_before(), lens.key_indicators())
            series(root, period.months(), lens.key_indicators()[:1] or codes[:1])
    return periods
