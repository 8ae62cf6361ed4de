"""Keeping the daily figures warm: what the dashboards of the tree's root read for the
period statistics open on (the period, the year before, the trend the chart opens on),
counted — or, with a shared cache, taken from another worker — before anyone asks.

``manage.py warm_figures`` runs it after a deploy or a bulk load; each web worker runs
it in the background when it starts (``wsgi.py``, with a shared cache), so the first
clerks after a restart do not queue behind a worker taking the province's figures.
"""

from __future__ import annotations

import logging
import threading

from django.conf import settings
from django.db import connection

from unionworks.core.periods import Period
from unionworks.orgs.models import Org
from unionworks.stats.lens import PROJECTS
from unionworks.stats.selectors import opening_period_of
from unionworks.stats.values import evaluate, series

logger = logging.getLogger(__name__)


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


def warm_in_background() -> threading.Thread | None:
    """In a worker that starts, with a shared cache: warm the root's daily figures in a
    thread while the worker serves (a request meanwhile waits for the same figures,
    never for wrong ones)."""
    if not getattr(settings, "SHARE_KEPT_FIGURES", False):
        return None

    def run():
        try:
            root = Org.objects.filter(parent=None).order_by("pk").first()
            if root is not None:
                warm(root)
        except Exception:  # a worker must start whatever the warming meets
            logger.exception("warming the daily figures failed")
        finally:
            connection.close()

    thread = threading.Thread(target=run, name="warm-figures", daemon=True)
    thread.start()
    return thread
