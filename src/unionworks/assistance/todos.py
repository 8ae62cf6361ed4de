"""帮扶工程's 待办: proposals waiting for a reviewer, hardship files overdue for their yearly
review. Each count is the list it links to, counted in one scoped query."""

from django.urls import reverse

from unionworks.assistance.models import Disbursement
from unionworks.assistance.selectors import disbursements_for, files_for
from unionworks.core import roles
from unionworks.core.todos import Todo, register_todo

register_todo(
    Todo(
        code="assistance.disbursements_to_review",
        label="待审核的发放",
        count=lambda user: disbursements_for(user, status=Disbursement.Status.PROPOSED).count(),
        url=lambda user: reverse("assistance:review"),
        roles=frozenset(roles.REVIEWERS),
        hint="提名的帮扶对象，批准后才能发放",
        weight=40,
    ),
    Todo(
        code="assistance.files_review_overdue",
        label="逾期未复核的困难职工档案",
        count=lambda user: files_for(user, status="open", overdue=True).count(),
        url=lambda user: f"{reverse('assistance:files')}?status=open&overdue=on",
        roles=frozenset(roles.WRITERS),
        hint="建档或上次复核已满一年，须年度复核",
        weight=10,
    ),
)
