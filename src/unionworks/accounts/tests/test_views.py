"""Account pages (admins only, own subtree only), logging in and out, the lockout after
repeated failures, and the language switch."""

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings as django_settings
from django.urls import reverse

from unionworks.accounts.models import User
from unionworks.core.models import AuditEntry
from unionworks.core.tests.factories import login_as

pytestmark = pytest.mark.django_db

STRONG = "Xiaodian-Union-2024"
LOGIN = "/accounts/login/"


def new_account(world, **over) -> dict:
    data = {
        "username": "xiaodian_clerk",
        "full_name": "李文",
        "org": world["xiaodian"].pk,
        "role": "editor",
        "password": STRONG,
        "password2": STRONG,
    }
    data.update(over)
    return data


# ---- who may open the pages ---------------------------------------------------------


def test_anonymous_is_sent_to_login(client, world):
    for url in [reverse("accounts:list"), reverse("accounts:create"), "/audit/"]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(f"{LOGIN}?next=")


def test_non_admins_get_403(client, world):
    viewer = world["taiyuan_viewer"]
    for user in (world["taiyuan_viewer"], world["datong_editor"]):
        login_as(client, user)
        for url in [
            reverse("accounts:list"),
            reverse("accounts:create"),
            reverse("accounts:detail", args=[viewer.pk]),
            reverse("accounts:password", args=[viewer.pk]),
        ]:
            assert client.get(url).status_code == 403, url
        assert client.post(reverse("accounts:create"), new_account(world)).status_code == 403
        set_active = reverse("accounts:set_active", args=[viewer.pk])
        assert client.post(set_active, {"active": "0"}).status_code == 403
    assert not User.objects.filter(username="xiaodian_clerk").exists()
    viewer.refresh_from_db()
    assert viewer.is_active


def test_non_admins_see_no_account_menu(client, world):
    menu_link = f'href="{reverse("accounts:list")}"'
    login_as(client, world["taiyuan_viewer"])
    assert menu_link not in client.get("/").content.decode()
    login_as(client, world["taiyuan_admin"])
    assert menu_link in client.get("/").content.decode()


def test_admin_lists_the_accounts_of_its_subtree(client, world):
    login_as(client, world["taiyuan_admin"])
    response = client.get(reverse("accounts:list"))
    names = {u.username for u in response.context["page"].object_list}
    assert names == {"taiyuan", "taiyuan_viewer"}
    html = response.content.decode()
    assert "太原市总工会" in html and "查看员" in html and "启用" in html
    found = client.get(reverse("accounts:list"), {"q": "viewer"}, HTTP_HX_REQUEST="true")
    assert {u.username for u in found.context["page"].object_list} == {"taiyuan_viewer"}
    assert "<html" not in found.content.decode()


def test_account_outside_the_subtree_is_404(client, world):
    login_as(client, world["taiyuan_admin"])
    outsider = world["datong_editor"]
    assert client.get(reverse("accounts:detail", args=[outsider.pk])).status_code == 404
    assert client.get(reverse("accounts:password", args=[outsider.pk])).status_code == 404
    response = client.post(reverse("accounts:set_active", args=[outsider.pk]), {"active": "0"})
    assert response.status_code == 404
    response = client.post(
        reverse("accounts:password", args=[outsider.pk]),
        {"password": STRONG, "password2": STRONG},
    )
    assert response.status_code == 404
    outsider.refresh_from_db()
    assert outsider.is_active and not outsider.check_password(STRONG)


# ---- managing accounts -----------------------------------------------------------------


def test_admin_creates_an_account_inside_the_subtree(client, world):
    login_as(client, world["taiyuan_admin"])
    assert client.get(reverse("accounts:create")).status_code == 200
    response = client.post(reverse("accounts:create"), new_account(world))
    account = User.objects.get(username="xiaodian_clerk")
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:detail", args=[account.pk])
    assert (account.org, account.role, account.first_name) == (world["xiaodian"], "editor", "李文")
    assert AuditEntry.objects.filter(model="accounts.user", action="create").count() == 1
    assert client.get(response["Location"]).status_code == 200


def test_admin_cannot_create_an_account_in_another_citys_org(client, world):
    login_as(client, world["taiyuan_admin"])
    response = client.post(
        reverse("accounts:create"), new_account(world, org=world["pingcheng"].pk)
    )
    assert response.status_code == 200
    assert "不在本组织及下级组织范围内" in response.context["form"].errors["org"][0]
    assert not User.objects.filter(username="xiaodian_clerk").exists()


def test_account_form_shows_the_services_reasons(client, world):
    login_as(client, world["taiyuan_admin"])
    weak = client.post(
        reverse("accounts:create"), new_account(world, password="12345678", password2="12345678")
    )
    assert weak.context["form"].errors["password"]
    taken = client.post(reverse("accounts:create"), new_account(world, username="datong"))
    assert taken.context["form"].errors["username"] == ["该用户名已被使用"]
    mismatch = client.post(reverse("accounts:create"), new_account(world, password2="other"))
    assert mismatch.context["form"].errors["password2"] == ["两次输入的密码不一致"]
    assert not User.objects.filter(username="xiaodian_clerk").exists()


def test_deactivated_account_cannot_log_in_until_reactivated(client, world):
    viewer = world["taiyuan_viewer"]
    login_as(client, world["taiyuan_admin"])
    url = reverse("accounts:set_active", args=[viewer.pk])
    assert client.post(url, {"active": "0"}).status_code == 302
    viewer.refresh_from_db()
    assert not viewer.is_active

    client.logout()
    response = client.post(LOGIN, {"username": viewer.username, "password": world["password"]})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session

    login_as(client, world["taiyuan_admin"])
    client.post(url, {"active": "1"})
    client.logout()
    response = client.post(LOGIN, {"username": viewer.username, "password": world["password"]})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(viewer.pk)


def test_admin_cannot_deactivate_itself(client, world):
    admin = world["taiyuan_admin"]
    login_as(client, admin)
    response = client.post(
        reverse("accounts:set_active", args=[admin.pk]), {"active": "0"}, follow=True
    )
    assert "不能停用自己的账号" in response.content.decode()
    admin.refresh_from_db()
    assert admin.is_active


def test_admin_resets_a_password(client, world):
    viewer = world["taiyuan_viewer"]
    login_as(client, world["taiyuan_admin"])
    url = reverse("accounts:password", args=[viewer.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"password": STRONG, "password2": STRONG})
    assert response.status_code == 302
    viewer.refresh_from_db()
    assert viewer.check_password(STRONG)
    weak = client.post(url, {"password": "password", "password2": "password"})
    assert weak.context["form"].errors["password"]


# ---- logging in, out and being locked out -----------------------------------------------


def test_login_page_is_in_chinese_and_logs_in(client, world):
    page = client.get(LOGIN)
    assert "用户登录" in page.content.decode()
    response = client.post(LOGIN, {"username": "taiyuan", "password": world["password"]})
    assert response.status_code == 302 and response["Location"] == "/"
    home = client.get("/").content.decode()
    assert "太原市总工会" in home and "管理员" in home


def test_logout_is_a_post(client, world):
    login_as(client, world["taiyuan_admin"])
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_five_failed_logins_lock_the_account(client, world):
    wrong = {"username": "taiyuan", "password": "not-the-password"}
    for _ in range(4):
        response = client.post(LOGIN, wrong)
        assert response.status_code == 200
        assert response.context["form"].errors
    locked = client.post(LOGIN, wrong)
    assert locked.status_code == 429
    html = locked.content.decode()
    assert "账号已锁定" in html and "30 分钟" in html
    right = client.post(LOGIN, {"username": "taiyuan", "password": world["password"]})
    assert right.status_code == 429
    assert "_auth_user_id" not in client.session


# ---- English on request --------------------------------------------------------------------

LOCALE = Path(django_settings.BASE_DIR) / "locale"
TEMPLATES = Path(django_settings.BASE_DIR) / "templates"


@pytest.fixture
def english_catalogue(settings, tmp_path):
    """The English catalogue compiled from the .po, whether or not `make messages` ran."""
    for po_path in LOCALE.glob("*/LC_MESSAGES/django.po"):
        target = tmp_path / po_path.relative_to(LOCALE)
        target.parent.mkdir(parents=True)
        polib.pofile(str(po_path)).save_as_mofile(str(target.with_suffix(".mo")))
    settings.LOCALE_PATHS = [tmp_path]


def test_switching_to_english_shows_english(client, world, english_catalogue):
    login_as(client, world["taiyuan_admin"])
    assert "组织树" in client.get("/").content.decode()
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/units/"})
    assert response.status_code == 302
    html = client.get("/").content.decode()
    assert "Organisation tree" in html
    assert "Audit trail" in html
    assert "组织树" not in html
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    assert "组织树" in client.get("/").content.decode()


TRANSLATE = re.compile(r"""{%\s*translate\s+"([^"]+)"|{%\s*translate\s+'([^']+)'""")
# The layout and the foundation's pages: orgs, units, accounts, audit trail, login.
FOUNDATION_TEMPLATES = [
    "*.html",
    "includes/*.html",
    "registration/*.html",
    "orgs/*.html",
    "accounts/*.html",
    "core/*.html",
]


def test_every_template_string_has_an_english_translation():
    po = polib.pofile(str(LOCALE / "en/LC_MESSAGES/django.po"))
    translated = {e.msgid for e in po if e.msgstr and "fuzzy" not in e.flags}
    missing = set()
    for pattern in FOUNDATION_TEMPLATES:
        for template in TEMPLATES.glob(pattern):
            for match in TRANSLATE.finditer(template.read_text(encoding="utf-8")):
                msgid = match.group(1) or match.group(2)
                if msgid not in translated:
                    missing.add(f"{template.relative_to(TEMPLATES)}: {msgid}")
    assert not missing, "\n".join(sorted(missing))
