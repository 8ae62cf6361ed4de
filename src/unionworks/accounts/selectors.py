from django.db.models import QuerySet

from unionworks.accounts.models import User
from unionworks.core.scoping import get_in_subtree_or_404, scope_to_subtree


def accounts_for(actor) -> QuerySet[User]:
    return scope_to_subtree(User.objects.select_related("org"), actor).order_by(
        "org__path", "username"
    )


def account_for(actor, user_id: int) -> User:
    return get_in_subtree_or_404(User.objects.select_related("org"), actor, pk=user_id)
