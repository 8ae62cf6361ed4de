"""Every read of 建功立业 and 职工素质 records, scoped to the acting user's subtree.

Competitions are the one exception to "the subtree only": a competition organised by a
union above the actor is open to them (they register their units for it), so the
actor sees competitions organised in their subtree or by one of their ancestors —
never one organised by a sibling or a cousin (another city's competition is a 404).
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from unionworks.achievement.models import (
    Competition,
    Honour,
    LearningTitle,
    ModelWorker,
    Nomination,
    NominationRound,
    Participation,
    Proposal,
    SavingsResult,
    TrainingCourse,
    WorkerLibrary,
)
from unionworks.core.scoping import (
    SEGMENT,
    get_in_subtree_or_404,
    root_org_of,
    scope_to_subtree,
)


def ancestor_paths(path: str) -> list[str]:
    """The paths of a node's ancestors and itself."""
    return [path[:i] for i in range(SEGMENT, len(path) + 1, SEGMENT)]


def open_to_actor(queryset: QuerySet, actor, *, via: str = "org") -> QuerySet:
    """Records organised in the actor's subtree or by one of the actor's ancestors."""
    root = root_org_of(actor)
    below = scope_to_subtree(queryset, actor, via=via)
    above = queryset.filter(**{f"{via}__path__in": ancestor_paths(root.path)})
    return queryset.filter(Q(pk__in=below.values("pk")) | Q(pk__in=above.values("pk")))


def competitions_for(actor) -> QuerySet:
    return open_to_actor(Competition.objects.select_related("org"), actor)


def competition_for(actor, pk: int) -> Competition:
    return _get(competitions_for(actor), pk)


def _get(queryset: QuerySet, pk):
    from django.http import Http404

    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError):
        raise Http404 from None


def participations_for(actor, competition: Competition) -> QuerySet:
    """The units entered for a competition: all of them for the organiser's side, the
    actor's own subtree's for a union below."""
    found = Participation.objects.filter(competition=competition).select_related("unit", "org")
    root = root_org_of(actor)
    if competition.org.path.startswith(root.path):
        return found
    return scope_to_subtree(found, actor)


def participation_for(actor, pk: int) -> Participation:
    return get_in_subtree_or_404(
        Participation.objects.select_related("competition__org", "unit"),
        actor,
        via=("org", "competition__org"),
        pk=pk,
    )


def proposals_for(actor) -> QuerySet:
    return scope_to_subtree(Proposal.objects.select_related("unit", "org"), actor)


def proposal_for(actor, pk: int) -> Proposal:
    return get_in_subtree_or_404(Proposal.objects.select_related("unit", "org"), actor, pk=pk)


def savings_for(actor) -> QuerySet:
    return scope_to_subtree(SavingsResult.objects.select_related("unit", "org"), actor)


def honours_for(actor) -> QuerySet:
    return scope_to_subtree(Honour.objects.select_related("person", "unit", "org"), actor)


def model_workers_for(actor) -> QuerySet:
    return scope_to_subtree(ModelWorker.objects.select_related("unit", "org"), actor)


def model_worker_for(actor, pk: int) -> ModelWorker:
    return get_in_subtree_or_404(ModelWorker.objects.select_related("unit", "org"), actor, pk=pk)


def rounds_for(actor) -> QuerySet:
    return open_to_actor(NominationRound.objects.select_related("org"), actor)


def round_for(actor, pk: int) -> NominationRound:
    return _get(rounds_for(actor), pk)


def nominations_for(actor, round: NominationRound) -> QuerySet:
    return scope_to_subtree(
        Nomination.objects.filter(round=round).select_related("org", "unit"), actor
    )


def libraries_for(actor) -> QuerySet:
    return scope_to_subtree(WorkerLibrary.objects.select_related("unit", "org"), actor)


def library_for(actor, pk: int) -> WorkerLibrary:
    return get_in_subtree_or_404(WorkerLibrary.objects.select_related("org"), actor, pk=pk)


def titles_for(actor) -> QuerySet:
    return scope_to_subtree(LearningTitle.objects.select_related("unit", "org"), actor)


def courses_for(actor) -> QuerySet:
    return scope_to_subtree(TrainingCourse.objects.select_related("org"), actor)


def hardship_file_of(actor, worker: ModelWorker):
    """The model worker's hardship file in the assistance app, if one is open and in scope."""
    from unionworks.assistance.models import HardshipFile

    return (
        scope_to_subtree(HardshipFile.objects.all(), actor)
        .filter(id_number_index=worker.id_number_index)
        .order_by("-opened_on")
        .first()
    )
