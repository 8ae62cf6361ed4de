"""Every read of the cadres app, taking the acting user and scoped to their subtree
(core.scoping): a record outside it is not found (404)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce, ExtractYear
from django.utils import timezone

from unionworks.cadres.models import (
    Arrangement,
    Attendance,
    Cadre,
    Election,
    Post,
    Recruitment,
    StudyEvent,
    StudySeries,
)
from unionworks.core.scoping import get_in_subtree_or_404, scope_to_subtree
from unionworks.orgs.models import Org


def post_open_on(day: dt.date, prefix: str = "") -> Q:
    """Posts are spells ``[start, end)``: on a hand-over day only the successor counts."""
    return Q(**{f"{prefix}start__lte": day}) & (
        Q(**{f"{prefix}end__isnull": True}) | Q(**{f"{prefix}end__gt": day})
    )


def election_current_on(day: dt.date) -> Q:
    """The approved election whose committee is in office on ``day``."""
    return Q(status=Election.Status.APPROVED, held_on__lte=day) & (
        Q(superseded_on__isnull=True) | Q(superseded_on__gt=day)
    )


def overdue_on(day: dt.date) -> Q:
    """换届逾期: the committee in office on ``day`` was due for re-election before it."""
    return election_current_on(day) & Q(next_due_on__lt=day)


# ---- the roster ----------------------------------------------------------------------------------


def cadres_for(actor, *, org: Org | None = None, q: str = "", in_post: bool = False) -> QuerySet:
    cadres = scope_to_subtree(Cadre.objects.select_related("org"), actor)
    if org is not None:
        cadres = cadres.filter(org=org)
    if q:
        cadres = cadres.filter(Q(name__contains=q) | Q(id_number_mask__endswith=q[-4:]))
    if in_post:
        cadres = cadres.filter(posts__end__isnull=True).distinct()
    return cadres.order_by("org__path", "name", "id")


def cadre_for(actor, cadre_id: int) -> Cadre:
    return get_in_subtree_or_404(Cadre.objects.select_related("org"), actor, pk=cadre_id)


def posts_for(actor, *, org: Org | None = None, current: bool = False, kind: str = "") -> QuerySet:
    posts = scope_to_subtree(Post.objects.select_related("cadre", "org"), actor)
    if org is not None:
        posts = posts.filter(org=org)
    if current:
        posts = posts.filter(end__isnull=True)
    if kind:
        posts = posts.filter(kind=kind)
    return posts.order_by("org__path", "kind", "-start", "id")


def post_for(actor, post_id: int) -> Post:
    return get_in_subtree_or_404(Post.objects.select_related("cadre", "org"), actor, pk=post_id)


KIND_ORDER = {k: i for i, k in enumerate(Post.Kind.values)}


def committee_of(actor, org: Org, on: dt.date | None = None) -> list[Post]:
    """An org's committee (and staff) in office, chair first."""
    posts = posts_for(actor, org=org)
    posts = posts.filter(post_open_on(on)) if on else posts.filter(end__isnull=True)
    return sorted(posts, key=lambda p: (KIND_ORDER[p.kind], p.start, p.pk))


def training_hours(cadre: Cadre) -> list[dict]:
    """A person's training record: hours and courses per year (by the ID number's index,
    so courses taken as a member before joining the roster count too)."""
    return list(
        Attendance.objects.filter(person_index=cadre.id_number_index)
        .annotate(year=ExtractYear("event_date"))
        .values("year")
        .annotate(hours=Sum("hours"), courses=Count("id"))
        .order_by("-year")
    )


def attendances_of(cadre: Cadre) -> QuerySet:
    return (
        Attendance.objects.filter(person_index=cadre.id_number_index)
        .select_related("event", "event__org")
        .order_by("-event_date", "-id")
    )


def vacancies_for(actor, *, org: Org | None = None) -> QuerySet:
    """Unions of the subtree whose committee has an empty seat: no chair in office, or
    fewer committee members in office than their last election's seats. Each row carries
    ``seats``, ``sitting`` and ``has_chair``."""
    today = timezone.localdate()
    orgs = scope_to_subtree(Org.objects.all(), actor, via=None)
    if org is not None:
        orgs = orgs.filter(path__startswith=org.path)
    current = Election.objects.filter(election_current_on(today), org=OuterRef("pk"))
    sitting = (
        Post.objects.filter(org=OuterRef("pk"), kind__in=Post.COMMITTEE, end__isnull=True)
        .values("org")
        .annotate(n=Count("id"))
        .values("n")
    )
    chair = Post.objects.filter(org=OuterRef("pk"), kind=Post.Kind.CHAIR, end__isnull=True)
    return (
        orgs.annotate(
            seats=Subquery(current.order_by("-held_on").values("seats")[:1]),
            sitting=Subquery(sitting),
        )
        .alias(chaired=Subquery(chair.values("id")[:1]))
        .filter(seats__isnull=False)
        .annotate(missing=F("seats") - Coalesce("sitting", 0))
        .filter(Q(chaired__isnull=True) | Q(sitting__isnull=True) | Q(sitting__lt=F("seats")))
        .order_by("path")
    )


# ---- study events ----------------------------------------------------------------------------------


def events_for(actor, *, kind: str = "", year: int | None = None, org: Org | None = None):
    events = scope_to_subtree(StudyEvent.objects.select_related("org", "series"), actor)
    if kind:
        events = events.filter(kind=kind)
    if year:
        events = events.filter(start_date__year=year)
    if org is not None:
        events = events.filter(org=org)
    return events.order_by("-start_date", "-id")


def event_for(actor, event_id: int) -> StudyEvent:
    return get_in_subtree_or_404(StudyEvent.objects.select_related("org", "series"), actor,
                                 pk=event_id)  # fmt: skip


def series_for(actor) -> QuerySet:
    return scope_to_subtree(StudySeries.objects.select_related("org"), actor).annotate(
        held=Count("sessions", filter=Q(sessions__status=StudyEvent.Status.HELD)),
        planned=Count("sessions"),
    )


def one_series_for(actor, series_id: int) -> StudySeries:
    return get_in_subtree_or_404(StudySeries.objects.select_related("org"), actor, pk=series_id)


# ---- recruitment, elections, arrangements -----------------------------------------------------------


def recruitments_for(actor) -> QuerySet:
    return (
        scope_to_subtree(Recruitment.objects.select_related("org"), actor)
        .annotate(hired=Count("posts"))
        .order_by("-announced_on", "-id")
    )


def recruitment_for(actor, recruitment_id: int) -> Recruitment:
    return get_in_subtree_or_404(Recruitment.objects.select_related("org"), actor,
                                 pk=recruitment_id)  # fmt: skip


def elections_for(actor, *, status: str = "", overdue: bool = False) -> QuerySet:
    elections = scope_to_subtree(Election.objects.select_related("org"), actor)
    if status:
        elections = elections.filter(status=status)
    if overdue:
        elections = elections.filter(overdue_on(timezone.localdate()))
    return elections.order_by("-requested_on", "-id")


def election_for(actor, election_id: int) -> Election:
    return get_in_subtree_or_404(Election.objects.select_related("org"), actor, pk=election_id)


def awaiting_approval_for(actor) -> QuerySet:
    """Elections of the unions below the actor's own waiting for its approval (the candidate
    list or the result)."""
    return (
        elections_for(actor)
        .exclude(org=actor.org)
        .filter(status__in=[Election.Status.REQUESTED, Election.Status.HELD])
    )


def arrangements_for(actor, *, kind: str = "") -> QuerySet:
    found = scope_to_subtree(Arrangement.objects.select_related("org"), actor)
    found = found.filter(kind=kind) if kind else found
    return found.order_by("org__path", "kind", "-since", "id")
