"""What waits in 建功立业 and 职工素质 (待办), each a scoped count and the list behind it."""

from django.urls import reverse

from unionworks.achievement import selectors
from unionworks.achievement.models import Participation, Proposal
from unionworks.core.roles import REVIEWERS, WRITERS
from unionworks.core.todos import Todo, register_todo


def _proposals(status: str):
    def count(user) -> int:
        return selectors.proposals_for(user).filter(status=status).count()

    return count


def _proposals_url(status: str):
    return lambda user: reverse("achievement:proposals") + f"?status={status}"


def _registrations_waiting(user) -> int:
    """Units registered from below for competitions this account's union organises."""
    root = user.org
    return (
        Participation.objects.filter(status=Participation.Status.REGISTERED)
        .filter(competition__org__path__startswith=root.path)
        .count()
    )


register_todo(
    Todo(
        code="achievement.proposals_to_review",
        label="待部门初审的合理化建议",
        count=_proposals(Proposal.Status.PROPOSED),
        url=_proposals_url(Proposal.Status.PROPOSED),
        roles=frozenset(REVIEWERS),
    ),
    Todo(
        code="achievement.proposals_to_score",
        label="待评审委员会评审的建议",
        count=_proposals(Proposal.Status.DEPT_REVIEWED),
        url=_proposals_url(Proposal.Status.DEPT_REVIEWED),
        roles=frozenset(REVIEWERS),
    ),
    Todo(
        code="achievement.proposals_to_decide",
        label="已评审待决定采纳的建议",
        count=_proposals(Proposal.Status.COMMITTEE_REVIEWED),
        url=_proposals_url(Proposal.Status.COMMITTEE_REVIEWED),
        roles=frozenset(REVIEWERS),
    ),
    Todo(
        code="achievement.proposals_to_implement",
        label="已采纳待登记实施的建议",
        count=_proposals(Proposal.Status.ADOPTED),
        url=_proposals_url(Proposal.Status.ADOPTED),
        roles=frozenset(WRITERS),
    ),
    Todo(
        code="achievement.proposals_to_reward",
        label="已实施待奖励的建议",
        count=_proposals(Proposal.Status.IMPLEMENTED),
        url=_proposals_url(Proposal.Status.IMPLEMENTED),
        roles=frozenset(WRITERS),
    ),
    Todo(
        code="achievement.registrations_to_accept",
        label="待确认的竞赛报名",
        count=_registrations_waiting,
        url=lambda user: reverse("achievement:competitions"),
        roles=frozenset(REVIEWERS),
        hint="下级工会为本级主办的竞赛报名的单位",
    ),
)
