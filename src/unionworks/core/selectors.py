"""Reads of the core records, scoped to the acting user's subtree."""

from __future__ import annotations

from django.db.models import QuerySet

from unionworks.core.models import AuditEntry, Task
from unionworks.core.scoping import get_in_subtree_or_404, scope_to_subtree


def audit_entries_for(
    actor, *, action: str = "", model: str = "", object_id: object = None
) -> QuerySet[AuditEntry]:
    """Audit entries whose org lies in the actor's subtree, newest first; ``model`` is a
    label such as ``orgs.unit``, and with ``object_id`` the history of one record."""
    entries = scope_to_subtree(AuditEntry.objects.select_related("actor", "org"), actor)
    if action:
        entries = entries.filter(action=action)
    if model:
        entries = entries.filter(model=model)
    if object_id is not None:
        entries = entries.filter(object_id=str(object_id))
    return entries.order_by("-at", "-id")


def tasks_for(actor, *, kind: str = "") -> QuerySet[Task]:
    """Background tasks started in the actor's subtree, newest first."""
    tasks = scope_to_subtree(Task.objects.select_related("created_by", "org"), actor)
    return (tasks.filter(kind=kind) if kind else tasks).order_by("-id")


def task_for(actor, task_id: int) -> Task:
    return get_in_subtree_or_404(
        Task.objects.select_related("created_by", "org"), actor, pk=task_id
    )
