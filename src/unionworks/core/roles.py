"""What each role may do. A role is always on top of the subtree scoping, never instead of it."""

from django.core.exceptions import PermissionDenied

ADMIN, EDITOR, REVIEWER, VIEWER = "admin", "editor", "reviewer", "viewer"
WRITERS = {ADMIN, EDITOR}
REVIEWERS = {ADMIN, REVIEWER}


def can_write(user) -> bool:
    return getattr(user, "is_active", False) and getattr(user, "role", None) in WRITERS


def can_review(user) -> bool:
    return getattr(user, "is_active", False) and getattr(user, "role", None) in REVIEWERS


def can_manage_accounts(user) -> bool:
    return getattr(user, "is_active", False) and getattr(user, "role", None) == ADMIN


def require_writer(user) -> None:
    if not can_write(user):
        raise PermissionDenied("您的角色只能查看，不能修改记录")


def require_admin(user) -> None:
    if not can_manage_accounts(user):
        raise PermissionDenied("只有管理员可以管理账号")
