"""A password like the username is refused on the account forms (create and reset)."""

from unionworks.accounts.models import User
from unionworks.core.tests.factories import login_as


def test_a_password_like_the_username_is_refused_when_creating(client, world):
    login_as(client, world["taiyuan_admin"])
    data = {
        "username": "zhangwei2008",
        "org": world["taiyuan"].pk,
        "role": User.Role.VIEWER,
        "password": "zhangwei2008!",
        "password2": "zhangwei2008!",
    }
    response = client.post("/accounts/new/", data)
    assert response.status_code == 200
    assert "太相似" in " ".join(response.context["form"].errors["password"])
    assert not User.objects.filter(username="zhangwei2008").exists()
    client.post(
        "/accounts/new/", {**data, "password": "Qiu-Shou-1949", "password2": "Qiu-Shou-1949"}
    )
    assert User.objects.filter(username="zhangwei2008").exists()


def test_a_password_like_the_username_is_refused_when_resetting(client, world):
    login_as(client, world["taiyuan_admin"])
    viewer = world["taiyuan_viewer"]
    similar = viewer.username + "1"
    response = client.post(
        f"/accounts/{viewer.pk}/password/", {"password": similar, "password2": similar}
    )
    assert response.status_code == 200
    assert "太相似" in " ".join(response.context["form"].errors["password"])
    viewer.refresh_from_db()
    assert not viewer.check_password(similar)
