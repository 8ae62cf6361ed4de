"""The cadres app's 待办: overdue elections, and elections waiting for a higher union's
approval (the candidate list or the result)."""

from django.urls import reverse

from unionworks.cadres import selectors
from unionworks.core.roles import ADMIN, EDITOR, REVIEWER
from unionworks.core.todos import Todo, register_todo

register_todo(
    Todo(
        code="cadres.elections_overdue",
        label="逾期未换届的工会",
        count=lambda user: selectors.elections_for(user, overdue=True).count(),
        url=lambda user: reverse("cadres:elections") + "?overdue=1",
        hint="任期届满应按期换届",
        weight=5,
    ),
    Todo(
        code="cadres.elections_to_approve",
        label="待批复的换届选举",
        count=lambda user: selectors.awaiting_approval_for(user).count(),
        url=lambda user: reverse("cadres:elections") + "?status=held",
        roles=frozenset({ADMIN, EDITOR, REVIEWER}),
        hint="下级工会的候选人名单和选举结果由上级工会批复",
        weight=4,
    ),
)
