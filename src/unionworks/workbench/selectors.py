"""What the 工作台 reads for an account: its to-dos (from the registry every app declares
into), its org's key figures for the current period, recent activity in its subtree, and
the account's own imports. Every read is scoped to the account's subtree."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from unionworks.core.importing.pipeline import TASK_PREFIX
from unionworks.core.models import AuditEntry, Task
from unionworks.core.periods import Period
from unionworks.core.scoping import root_org_of
from unionworks.core.selectors import audit_entries_for, tasks_for
from unionworks.core.todos import Waiting, waiting_for
from unionworks.stats import selectors as stats_selectors
from unionworks.stats.selectors import KeyFigure

# Recent activity shown on the 工作台 (the audit trail has the rest).
RECENT = 12
# An import that finished (or failed) this many days ago still waits to be looked at.
IMPORTS_RECENT_DAYS = 7


def todos_for(user) -> list[Waiting]:
    """Every to-do this account may see, with its count (zero too: "nothing waits" is news)."""
    return waiting_for(user, include_empty=True)


@dataclass
class ProjectFigures:
    code: str
    name: str
    figures: list[KeyFigure]


def key_figures_for(user, *, period: Period) -> list[ProjectFigures]:
    """The key figures of each of the eight projects for the account's org: the maintained
    figures the dashboards show, so the 工作台 costs no recount."""
    org = root_org_of(user)
    boards = stats_selectors.all_dashboards(user, org=org, period=period)
    return [
        ProjectFigures(b.project.code, b.project.name, b.key_figures)
        for b in boards
        if b.key_figures
    ]


def recent_activity_for(user, *, limit: int = RECENT) -> QuerySet[AuditEntry]:
    """The latest changes in the subtree (views of personal data are not activity)."""
    return audit_entries_for(user).exclude(action=AuditEntry.Action.VIEW)[:limit]


IMPORT_OUTCOMES = {"done": Task.Status.DONE, "failed": Task.Status.FAILED}


def imports_of(user, *, outcome: str = "", since: dt.datetime | None = None) -> QuerySet[Task]:
    """The account's own imports (only who asked sees an import's rows), newest first;
    ``outcome`` ("done" or "failed") and ``since`` narrow them to what the to-do counted."""
    tasks = tasks_for(user).filter(created_by=user, kind__startswith=TASK_PREFIX)
    if outcome in IMPORT_OUTCOMES:
        tasks = tasks.filter(status=IMPORT_OUTCOMES[outcome])
    if since is not None:
        tasks = tasks.filter(finished_at__gte=since)
    return tasks


def recent_since() -> dt.datetime:
    return timezone.now() - dt.timedelta(days=IMPORTS_RECENT_DAYS)
