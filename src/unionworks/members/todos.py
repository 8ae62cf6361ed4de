"""转会 waiting for the receiving union: the 工作台's count and the list it opens."""

from django.urls import reverse

from unionworks.core import roles
from unionworks.core.scoping import scope_to_subtree
from unionworks.core.todos import Todo, register_todo
from unionworks.members.models import Transfer


def transfers_to_accept(user):
    """Pending transfers whose receiving union lies in the account's subtree (one query)."""
    return scope_to_subtree(
        Transfer.objects.filter(status=Transfer.Status.PENDING), user, via="to_org"
    )


register_todo(
    Todo(
        code="members.transfers_to_accept",
        label="待接收的转会",
        count=lambda user: transfers_to_accept(user).count(),
        url=lambda user: f"{reverse('members:transfers')}?status=pending&direction=received",
        # Only those who may write accept a transfer.
        roles=frozenset(roles.WRITERS),
        hint="其他工会转来的会员，接收后计入本组织",
        weight=30,
    )
)
