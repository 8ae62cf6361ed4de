"""Account services: admins manage accounts of their own subtree only, every change audited."""

import pytest
from django.contrib.auth import authenticate
from django.core.exceptions import PermissionDenied

from unionworks.accounts import services
from unionworks.accounts.models import User
from unionworks.core.errors import DomainError
from unionworks.core.models import AuditEntry

pytestmark = pytest.mark.django_db

STRONG = "Xiaodian-Union-2024"


def test_admin_creates_an_account_inside_the_subtree(world):
    user = services.create_account(
        actor=world["taiyuan_admin"],
        username="xiaodian_clerk",
        full_name="李文",
        org=world["xiaodian"],
        role=User.Role.EDITOR,
        password=STRONG,
    )
    assert (user.org, user.role, user.first_name) == (world["xiaodian"], "editor", "李文")
    assert user.check_password(STRONG)
    entry = AuditEntry.objects.get(model="accounts.user", object_id=str(user.pk))
    assert entry.action == "create" and entry.org == world["xiaodian"]
    assert not any("密码" in field for field in entry.changes)


def test_admin_cannot_create_an_account_in_another_citys_org(world):
    with pytest.raises(DomainError) as caught:
        services.create_account(
            actor=world["taiyuan_admin"],
            username="intruder",
            org=world["pingcheng"],
            role=User.Role.ADMIN,
            password=STRONG,
        )
    assert caught.value.field == "org"
    assert not User.objects.filter(username="intruder").exists()


def test_non_admin_cannot_create_accounts(world):
    with pytest.raises(PermissionDenied):
        services.create_account(
            actor=world["taiyuan_viewer"],
            username="x",
            org=world["taiyuan"],
            role=User.Role.VIEWER,
            password=STRONG,
        )


def test_weak_password_and_taken_username_are_refused(world):
    common = {"actor": world["taiyuan_admin"], "org": world["taiyuan"], "role": "viewer"}
    with pytest.raises(DomainError) as weak:
        services.create_account(username="new_one", password="12345678", **common)
    assert weak.value.field == "password"
    with pytest.raises(DomainError) as taken:
        services.create_account(username="TAIYUAN_viewer", password=STRONG, **common)
    assert taken.value.field == "username"


def test_deactivated_account_cannot_authenticate(world, rf):
    viewer = world["taiyuan_viewer"]
    services.set_account_active(actor=world["taiyuan_admin"], user=viewer, active=False)
    request = rf.post("/accounts/login/")
    assert authenticate(request, username=viewer.username, password=world["password"]) is None
    entry = AuditEntry.objects.get(model="accounts.user", object_id=str(viewer.pk))
    assert entry.changes == {"有效": [True, False]}


def test_admin_cannot_deactivate_itself_or_outsiders(world):
    admin = world["taiyuan_admin"]
    with pytest.raises(DomainError):
        services.set_account_active(actor=admin, user=admin, active=False)
    with pytest.raises(DomainError):
        services.set_account_active(actor=admin, user=world["datong_editor"], active=False)
    world["datong_editor"].refresh_from_db()
    assert world["datong_editor"].is_active


def test_reset_password(world):
    viewer = world["taiyuan_viewer"]
    services.reset_password(actor=world["taiyuan_admin"], user=viewer, password=STRONG)
    viewer.refresh_from_db()
    assert viewer.check_password(STRONG)
    with pytest.raises(DomainError) as caught:
        services.reset_password(actor=world["taiyuan_admin"], user=viewer, password="password")
    assert caught.value.field == "password"
