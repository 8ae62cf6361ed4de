"""The one place that decides what an acting user may see: their organisation's subtree.

Every selector and API endpoint narrows its queryset through ``scope_to_subtree``;
a record outside the subtree is then simply not found, so it answers 404.

Org paths are digit strings (8 digits per level), so a subtree is the index range
``path >= P and path < P+1`` — one indexed range scan on SQLite and PostgreSQL alike,
whatever the collation.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.apps import apps
from django.db.models import Q, QuerySet
from django.http import Http404

from unionworks.core import per_request

if TYPE_CHECKING:
    from unionworks.orgs.models import Org

SEGMENT = 8


def path_upper_bound(path: str) -> str:
    """The smallest path that sorts after every path starting with ``path``."""
    return str(int(path) + 1).zfill(len(path))


def subtree_filter(path: str, field: str = "path") -> dict:
    return {f"{field}__gte": path, f"{field}__lt": path_upper_bound(path)}


def subtree_q(root, prefix: str = "") -> Q:
    """The subtree condition as a Q on ``{prefix}path``; empty at the province root,
    where it would select every row anyway (saves a join on the largest queries)."""
    if getattr(root, "is_leaf", False):
        # A node known to have no children (stats keeps the tree): its own id, no join.
        return Q(**{f"{prefix}id" if prefix else "pk": root.pk})
    if _is_whole_tree(root):
        return Q()
    return Q(**subtree_filter(root.path, f"{prefix}path"))


def root_org_of(actor) -> Org:
    """The org whose subtree an actor (a user, or an org standing for itself) may see."""
    Org = apps.get_model("orgs", "Org")
    if isinstance(actor, Org):
        return actor
    org = getattr(actor, "org", None)
    if org is None or not getattr(actor, "is_active", False):
        raise Http404
    return org


def subtree_orgs(actor) -> QuerySet:
    Org = apps.get_model("orgs", "Org")
    return Org.objects.filter(**subtree_filter(root_org_of(actor).path))


def scope_to_subtree(
    queryset: QuerySet, actor, *, via: str | tuple[str, ...] | None = "org"
) -> QuerySet:
    """Narrow ``queryset`` to the actor's subtree.

    ``via`` names the foreign key to Org on the queryset's model (several names: a record
    is in scope through any of them); ``None`` when the model is Org itself.
    """
    root = root_org_of(actor)
    if via is None:
        return queryset.filter(**subtree_filter(root.path))
    whole = _is_whole_tree(root)
    condition = Q()
    for name in (via,) if isinstance(via, str) else via:
        # At the root of the only tree every org is in the subtree: a record is in scope
        # when its key names any org at all — no join of the orgs table to find out.
        condition |= (
            Q(**{f"{name}__isnull": False})
            if whole
            else Q(**subtree_filter(root.path, f"{name}__path"))
        )
    return queryset.filter(condition)


def _is_whole_tree(root) -> bool:
    if root.parent_id is not None:
        return False
    Org = apps.get_model("orgs", "Org")
    # Asked by every scoped query of a page: once per request.
    return per_request.remember(
        ("whole_tree", root.pk),
        lambda: not Org.objects.filter(parent__isnull=True).exclude(pk=root.pk).exists(),
    )


def get_in_subtree_or_404(
    queryset: QuerySet, actor, *, via: str | tuple[str, ...] | None = "org", **lookup
):
    try:
        return scope_to_subtree(queryset, actor, via=via).get(**lookup)
    except queryset.model.DoesNotExist:
        raise Http404 from None


def is_in_subtree(org, actor) -> bool:
    root = root_org_of(actor)
    return root.path <= org.path < path_upper_bound(root.path)


def org_label_for(org, actor) -> str:
    """An org's name in quotes if the actor may see it, else a neutral word: a message must
    not reveal where a person is outside the actor's subtree."""
    return f"“{org.name}”" if actor is None or is_in_subtree(org, actor) else "其他工会"
