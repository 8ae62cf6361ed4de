"""修改密码: every account changes its own password, knowing the current one."""

from django.urls import reverse

from unionworks.core.models import AuditEntry
from unionworks.core.tests.factories import login_as

URL = "accounts:my_password"
NEW = "Jinyang-Gongren-2008"


def test_a_viewer_changes_its_own_password_and_stays_logged_in(client, world):
    viewer = world["taiyuan_viewer"]
    login_as(client, viewer)
    assert "修改密码" in client.get(reverse("workbench:home")).content.decode()
    response = client.post(
        reverse(URL),
        {"old_password": world["password"], "password": NEW, "password2": NEW},
        follow=True,
    )
    assert "密码已修改" in response.content.decode()
    viewer.refresh_from_db()
    assert viewer.check_password(NEW)
    assert client.get(reverse("workbench:home")).status_code == 200  # session kept
    entry = AuditEntry.objects.filter(model="accounts.user", object_id=str(viewer.pk)).latest("id")
    assert entry.actor_id == viewer.pk and entry.changes == {"密码": [None, "本人已修改"]}


def test_every_field_is_checked_in_one_round(client, world):
    login_as(client, world["datong_editor"])
    response = client.post(reverse(URL), {"old_password": "", "password": "", "password2": ""})
    errors = response.context["form"].errors
    assert {"old_password", "password", "password2"} <= set(errors)


def test_a_wrong_current_password_or_a_weak_one_is_refused(client, world):
    editor = world["datong_editor"]
    login_as(client, editor)
    wrong = client.post(reverse(URL), {"old_password": "nope", "password": NEW, "password2": NEW})
    assert "原密码不对" in wrong.content.decode()
    weak = client.post(
        reverse(URL),
        {"old_password": world["password"], "password": "12345678", "password2": "12345678"},
    )
    assert weak.context["form"].errors.get("password")
    editor.refresh_from_db()
    assert editor.check_password(world["password"])


def test_anonymous_is_sent_to_login(client, db):
    response = client.get(reverse(URL))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
