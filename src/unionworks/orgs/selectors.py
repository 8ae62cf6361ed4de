"""Every read of organisations and units, already scoped to the acting user's subtree."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from unionworks.core.scoping import (
    get_in_subtree_or_404,
    root_org_of,
    scope_to_subtree,
    subtree_filter,
)
from unionworks.orgs.models import Org, Unit

# A unit is in scope through the org that registers it or the union that covers it
# (a grassroots union sees the units it covers).
UNIT_SCOPE = ("org", "union")


def orgs_for(actor) -> QuerySet[Org]:
    return scope_to_subtree(Org.objects.all(), actor, via=None)


def org_for(actor, org_id: int) -> Org:
    return get_in_subtree_or_404(Org.objects.select_related("parent"), actor, via=None, pk=org_id)


def tree_root_for(actor) -> Org:
    return root_org_of(actor)


def units_for(
    actor,
    *,
    q: str = "",
    ownership: str = "",
    industry: str = "",
    region_code: str = "",
    org_id: int | None = None,
) -> QuerySet[Unit]:
    """Units of the actor's subtree, searched by name or credit code and filtered."""
    units = scope_to_subtree(Unit.objects.select_related("org", "union"), actor, via=UNIT_SCOPE)
    if org_id:
        org = org_for(actor, org_id)
        units = units.filter(**subtree_filter(org.path, "org__path"))
    q = (q or "").strip()
    if q:
        units = units.filter(Q(name__icontains=q) | Q(credit_code__startswith=q.upper()))
    if ownership:
        units = units.filter(ownership=ownership)
    if industry:
        units = units.filter(industry=industry)
    if region_code:
        units = units.filter(region_code__startswith=region_code)
    return units.order_by("name", "id")


def unit_for(actor, unit_id: int) -> Unit:
    return get_in_subtree_or_404(
        Unit.objects.select_related("org", "union"), actor, via=UNIT_SCOPE, pk=unit_id
    )


def grassroots_unions_for(actor) -> QuerySet[Org]:
    return orgs_for(actor).filter(kind=Org.Kind.GRASSROOTS)
