"""Every read of the member roll, scoped to the acting user's subtree."""

from __future__ import annotations

import re

from django.db.models import Q, QuerySet
from django.http import Http404

from unionworks.core.identity import id_index_of
from unionworks.core.scoping import get_in_subtree_or_404, scope_to_subtree, subtree_filter
from unionworks.members.models import Member, Transfer
from unionworks.orgs.models import Org
from unionworks.orgs.selectors import org_for

_MASKED = re.compile(r"^(\d{4})\*+(\d{3}[\dXx])$")
_LATIN = re.compile(r"^[A-Za-z]+$")


def members_for(
    actor, *, q: str = "", status: str = "", org_id: int | None = None, id_index: str = ""
) -> QuerySet[Member]:
    """Members of the actor's subtree, found by name, pinyin initials, masked or full ID, or card number."""
    members = scope_to_subtree(Member.objects.select_related("org", "unit"), actor)
    if org_id:
        members = members.filter(**subtree_filter(org_for(actor, org_id).path, "org__path"))
    if status:
        members = members.filter(status=status)
    q = "".join((q or "").split())
    if id_index:
        # A full ID number already turned into its blind index (see members.views).
        members = members.filter(id_number_index=id_index)
    elif q:
        index = id_index_of(q) if len(q) >= 15 else None
        masked = _MASKED.match(q)
        if index:
            members = members.filter(id_number_index=index)
        elif masked:
            head, tail = masked.groups()
            members = members.filter(id_number_mask=f"{head}{'*' * 10}{tail.upper()}")
        elif _LATIN.match(q):
            # In initials order, so the (initials, id) index stops at the page.
            members = members.filter(name_initials__startswith=q.lower()).order_by(
                "name_initials", "id"
            )
            return members
        elif q.isdigit():
            members = members.filter(card_number=q)
        else:
            # In name order (王伟 before 王伟东), so the (name, id) index stops at the page:
            # in id order a rare name walked the whole roll to fill one.
            return members.filter(name__startswith=q).order_by("name", "id")
    return members.order_by("id")


def member_for(actor, member_id: int) -> Member:
    return get_in_subtree_or_404(Member.objects.select_related("org", "unit"), actor, pk=member_id)


def transfers_for(actor) -> QuerySet[Transfer]:
    """Transfers the actor's subtree sends or receives."""
    sent = scope_to_subtree(Transfer.objects.all(), actor, via="from_org").values("pk")
    received = scope_to_subtree(Transfer.objects.all(), actor, via="to_org").values("pk")
    return Transfer.objects.filter(Q(pk__in=sent) | Q(pk__in=received)).select_related(
        "member", "from_org", "to_org"
    )


def transfer_for(actor, transfer_id: int) -> Transfer:
    transfer = transfers_for(actor).filter(pk=transfer_id).first()
    if transfer is None:
        raise Http404
    return transfer


def transfer_destinations(q: str = "") -> QuerySet[Org]:
    """Grassroots unions a member may be transferred to: any of the province, not dissolved.

    Deliberately not scoped to the actor's subtree (a worker may move to another city);
    pages and the API show such unions by name only."""
    unions = Org.objects.filter(kind=Org.Kind.GRASSROOTS, dissolved_on__isnull=True)
    q = (q or "").strip()
    return unions.filter(name__icontains=q) if q else unions
