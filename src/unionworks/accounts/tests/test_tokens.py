from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from unionworks.accounts.models import ApiToken
from unionworks.core.models import AuditEntry
from unionworks.orgs.models import Unit

API = "/api/v1"


def issue(username: str) -> str:
    out = StringIO()
    call_command("issue_token", username, "--name", "测试脚本", stdout=out)
    return out.getvalue().strip()


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def test_issued_token_is_shown_once_and_only_its_hash_kept(world):
    token = issue("taiyuan")
    stored = ApiToken.objects.get(user=world["taiyuan_admin"])
    assert stored.key_hash == ApiToken.hash_key(token)
    assert token not in stored.key_hash
    assert stored.name == "测试脚本"


def test_issue_token_for_unknown_account_fails_in_chinese(world):
    with pytest.raises(CommandError, match="没有名为 nobody 的有效账号"):
        issue("nobody")


def test_bearer_token_reads_the_users_subtree(world):
    token = issue("taiyuan")
    client = Client()
    response = client.get(f"{API}/units/", headers=bearer(token))
    assert response.status_code == 200
    assert [u["name"] for u in response.json()["items"]] == ["太原重型机械有限公司"]
    datong = world["datong_unit"]
    assert client.get(f"{API}/units/{datong.pk}", headers=bearer(token)).status_code == 404
    assert ApiToken.objects.get(user=world["taiyuan_admin"]).last_used_at is not None


def test_bearer_token_writes_without_csrf(world):
    """Scripts carry no CSRF cookie: the token alone authorises the write."""
    token = issue("taiyuan")
    client = Client(enforce_csrf_checks=True)
    unit = world["taiyuan_unit"]
    response = client.patch(
        f"{API}/units/{unit.pk}",
        {"employees": 321},
        content_type="application/json",
        headers=bearer(token),
    )
    assert response.status_code == 200, response.content
    assert Unit.objects.get(pk=unit.pk).employees == 321
    entry = AuditEntry.objects.get(object_id=str(unit.pk))
    assert entry.actor == world["taiyuan_admin"]


def test_wrong_token_is_401(world):
    issue("taiyuan")
    response = Client().get(f"{API}/units/", headers=bearer("not-a-real-token"))
    assert response.status_code == 401
    assert "令牌" in response.json()["detail"]


def test_deactivated_users_token_is_401(world):
    token = issue("taiyuan")
    user = world["taiyuan_admin"]
    user.is_active = False
    user.save(update_fields=["is_active"])
    response = Client().get(f"{API}/units/", headers=bearer(token))
    assert response.status_code == 401


def test_viewer_token_cannot_write(world):
    token = issue("taiyuan_viewer")
    unit = world["taiyuan_unit"]
    response = Client().delete(f"{API}/units/{unit.pk}", headers=bearer(token))
    assert response.status_code == 403
    assert Unit.objects.filter(pk=unit.pk).exists()
