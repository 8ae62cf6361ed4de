"""Every read of the 和谐劳动关系 records, scoped to the acting user's subtree through the
org where each record sits (the signing, holding, applying or mediating union)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from unionworks.core.scoping import get_in_subtree_or_404, scope_to_subtree, subtree_filter
from unionworks.orgs import selectors as org_selectors
from unionworks.orgs.models import Unit
from unionworks.relations.models import (
    CollectiveContract,
    CongressProposal,
    CongressSession,
    Dispute,
    HarmonyAssessment,
    MediationCommittee,
    Openness,
    Scope,
    WorkersCongress,
)
from unionworks.relations.services import RENEWAL_MONTHS, add_months, add_years

REGIONAL = (Scope.REGIONAL, Scope.INDUSTRY)


def _today() -> dt.date:
    return timezone.localdate()


def _under(records: QuerySet, actor, org_id, field: str = "org__path") -> QuerySet:
    if not org_id:
        return records
    return records.filter(**subtree_filter(org_selectors.org_for(actor, org_id).path, field))


# ---- contracts -------------------------------------------------------------------------------


def in_force_q(day: dt.date, prefix: str = "") -> Q:
    """In force on ``day``: past the review period, before the expiry date (on which a
    contract stops counting)."""
    return Q(**{f"{prefix}effective_on__lte": day, f"{prefix}expires_on__gt": day})


def contracts_in_force_on(day: dt.date) -> QuerySet[CollectiveContract]:
    return CollectiveContract.objects.filter(in_force_q(day))


CONTRACT_STATES = {
    "in_force": "已生效",
    "review": "审查中",
    "to_submit": "待报送",
    "late": "逾期未报送",
    "objected": "有异议退回",
    "expired": "已到期",
    "renewal": "3个月内到期待续签",
}


def _state_q(state: str, today: dt.date) -> Q:
    submitted = Q(status=CollectiveContract.Status.SUBMITTED)
    return {
        "in_force": in_force_q(today),
        "review": submitted & Q(effective_on__gt=today),
        "to_submit": Q(status=CollectiveContract.Status.SIGNED),
        "late": Q(status=CollectiveContract.Status.SIGNED, filing_deadline__lt=today),
        "objected": Q(status=CollectiveContract.Status.OBJECTED),
        "expired": submitted & Q(expires_on__lte=today),
        "renewal": in_force_q(today)
        & Q(expires_on__lte=add_months(today, RENEWAL_MONTHS), renewal__isnull=True),
    }.get(state, Q())


def contracts_for(
    actor,
    *,
    q: str = "",
    kind: str = "",
    scope: str = "",
    state: str = "",
    org_id: int | None = None,
    today: dt.date | None = None,
) -> QuerySet[CollectiveContract]:
    today = today or _today()
    contracts = scope_to_subtree(CollectiveContract.objects.select_related("org"), actor)
    contracts = _under(contracts, actor, org_id)
    if kind:
        contracts = contracts.filter(kind=kind)
    if scope == "regional":
        contracts = contracts.filter(scope__in=REGIONAL)
    elif scope:
        contracts = contracts.filter(scope=scope)
    if state:
        contracts = contracts.filter(_state_q(state, today))
    q = (q or "").strip()
    if q:
        contracts = contracts.filter(
            Q(number=q) | Q(employer_party__contains=q) | Q(region_name__contains=q)
        )
    return contracts.order_by("-signed_on", "-id")


def contract_for(actor, contract_id: int) -> CollectiveContract:
    return get_in_subtree_or_404(
        CollectiveContract.objects.select_related("org", "renews"), actor, pk=contract_id
    )


def due_for_renewal(actor, *, today: dt.date | None = None) -> QuerySet[CollectiveContract]:
    """In force and expiring within 3 months, with no renewal recorded yet."""
    return contracts_for(actor, state="renewal", today=today)


def awaiting_submission(actor) -> QuerySet[CollectiveContract]:
    return contracts_for(actor, state="to_submit")


# ---- congresses ------------------------------------------------------------------------------


def congresses_for(actor, *, q: str = "", org_id: int | None = None) -> QuerySet[WorkersCongress]:
    congresses = scope_to_subtree(WorkersCongress.objects.select_related("org"), actor)
    congresses = _under(congresses, actor, org_id)
    if q:
        congresses = congresses.filter(name__contains=q.strip())
    # A correlated count for the rows shown, not a GROUP BY over every congress.
    sessions = (
        CongressSession.objects.filter(congress=OuterRef("pk"))
        .order_by()
        .values("congress")
        .annotate(n=Count("id"))
        .values("n")
    )
    return congresses.annotate(session_count=Coalesce(Subquery(sessions), 0)).order_by(
        "-term_starts_on", "-id"
    )


def congress_for(actor, congress_id: int) -> WorkersCongress:
    return get_in_subtree_or_404(
        WorkersCongress.objects.select_related("org"), actor, pk=congress_id
    )


def session_for(actor, session_id: int) -> CongressSession:
    return get_in_subtree_or_404(
        CongressSession.objects.select_related("congress", "org"), actor, pk=session_id
    )


def proposals_for(actor, *, status: str = "") -> QuerySet[CongressProposal]:
    proposals = scope_to_subtree(
        CongressProposal.objects.select_related("session__congress"), actor
    )
    if status:
        proposals = proposals.filter(status=status)
    return proposals


def proposal_for(actor, proposal_id: int) -> CongressProposal:
    return get_in_subtree_or_404(CongressProposal.objects.all(), actor, pk=proposal_id)


def units_without_session(actor, *, today: dt.date | None = None) -> QuerySet[Unit]:
    """Units covered by a union in the subtree with no congress session in the last year."""
    today = today or _today()
    held = CongressSession.objects.filter(
        congress__units=OuterRef("pk"), held_on__gt=add_years(today, -1), held_on__lte=today
    )
    units = scope_to_subtree(Unit.objects.select_related("union"), actor, via="union")
    return units.filter(~Exists(held)).order_by("union__path", "name", "id")


# ---- 厂务公开, assessment, disputes ------------------------------------------------------------


def openness_for(actor, *, year: int | None = None, org_id=None) -> QuerySet[Openness]:
    records = _under(
        scope_to_subtree(Openness.objects.select_related("unit", "org"), actor), actor, org_id
    )
    if year:
        records = records.filter(year=year)
    return records.order_by("-year", "-id")


def openness_record_for(actor, record_id: int) -> Openness:
    return get_in_subtree_or_404(Openness.objects.select_related("unit"), actor, pk=record_id)


def assessments_for(
    actor, *, year: int | None = None, status: str = "", level: str = "", org_id=None
) -> QuerySet[HarmonyAssessment]:
    records = scope_to_subtree(HarmonyAssessment.objects.select_related("unit", "org"), actor)
    records = _under(records, actor, org_id)
    if year:
        records = records.filter(year=year)
    if status:
        records = records.filter(status=status)
    if level:
        records = records.filter(level=level)
    return records.order_by("-year", "-id")


def assessment_for(actor, assessment_id: int) -> HarmonyAssessment:
    return get_in_subtree_or_404(
        HarmonyAssessment.objects.select_related("unit", "org"), actor, pk=assessment_id
    )


def commended_for(actor, *, year: int | None = None, level: str = "") -> QuerySet:
    """Commended enterprises, per level and year."""
    return assessments_for(
        actor, year=year, level=level, status=HarmonyAssessment.Status.COMMENDED
    ).order_by("-year", "level", "unit__name")


def committees_for(actor) -> QuerySet[MediationCommittee]:
    return scope_to_subtree(MediationCommittee.objects.select_related("unit", "org"), actor)


def overdue_q(today: dt.date) -> Q:
    """Open past the 15-day mediation limit."""
    return Q(outcome=Dispute.Outcome.OPEN, deadline__lt=today)


def disputes_for(
    actor,
    *,
    outcome: str = "",
    cause: str = "",
    overdue: bool = False,
    org_id=None,
    today: dt.date | None = None,
) -> QuerySet[Dispute]:
    records = scope_to_subtree(Dispute.objects.select_related("unit", "org"), actor)
    records = _under(records, actor, org_id)
    if outcome:
        records = records.filter(outcome=outcome)
    if cause:
        records = records.filter(cause=cause)
    if overdue:
        records = records.filter(overdue_q(today or _today()))
    return records.order_by("-accepted_on", "-id")


def dispute_for(actor, dispute_id: int) -> Dispute:
    return get_in_subtree_or_404(
        Dispute.objects.select_related("unit", "org"), actor, pk=dispute_id
    )
