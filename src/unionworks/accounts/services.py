"""Account management: admins create, deactivate and reset accounts inside their own subtree."""

from __future__ import annotations

import secrets

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from unionworks.accounts.models import ApiToken, User
from unionworks.core import audit, roles
from unionworks.core.errors import DomainError
from unionworks.core.scoping import is_in_subtree
from unionworks.core.services import model_create, model_update


def _check_password(password: str, user: User | None = None) -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise DomainError("；".join(exc.messages), field="password") from None


@transaction.atomic
def create_account(
    *, actor, username: str, org, role: str, password: str, full_name: str = ""
) -> User:
    roles.require_admin(actor)
    username = (username or "").strip()
    if not username:
        raise DomainError("用户名不能为空", field="username")
    if org is None or not is_in_subtree(org, actor):
        raise DomainError("只能在本组织及下级组织中创建账号", field="org")
    if role not in User.Role.values:
        raise DomainError("角色无效", field="role")
    if User.objects.filter(username__iexact=username).exists():
        raise DomainError("该用户名已被使用", field="username")
    user = User(username=username, org=org, role=role, first_name=full_name[:150])
    _check_password(password, user)
    user.set_password(password)
    return model_create(
        instance=user, actor=actor, audited=["username", "org", "role", "is_active", "first_name"]
    )


def _require_manageable(actor, user: User) -> None:
    roles.require_admin(actor)
    if user.org is None or not is_in_subtree(user.org, actor):
        raise DomainError("无权管理该账号")


@transaction.atomic
def set_account_active(*, actor, user: User, active: bool) -> User:
    _require_manageable(actor, user)
    if user.pk == actor.pk and not active:
        raise DomainError("不能停用自己的账号")
    user, _changed = model_update(
        instance=user, data={"is_active": active}, actor=actor, audited=["is_active"]
    )
    return user


@transaction.atomic
def reset_password(*, actor, user: User, password: str) -> User:
    _require_manageable(actor, user)
    _check_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    audit.record(
        actor=actor, action="update", instance=user, org=user.org, after={"密码": "已重置"}
    )
    return user


@transaction.atomic
def change_own_password(*, user: User, old_password: str, password: str) -> User:
    """修改密码: the account itself, knowing its current password (audited like a reset)."""
    if not user.check_password(old_password or ""):
        raise DomainError("原密码不对", field="old_password")
    if old_password == password:
        raise DomainError("新密码不能与原密码相同", field="password")
    _check_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    audit.record(
        actor=user, action="update", instance=user, org=user.org, after={"密码": "本人已修改"}
    )
    return user


@transaction.atomic
def issue_api_token(*, user: User, name: str = "") -> str:
    key = secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, key_hash=ApiToken.hash_key(key), name=name)
    return key
