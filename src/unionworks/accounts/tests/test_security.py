from django.conf import settings as project_settings
from django.contrib.auth.hashers import identify_hasher, make_password


def test_passwords_are_hashed_with_argon2_in_the_project_settings(settings):
    assert project_settings.PASSWORD_HASHERS is not None
    settings.PASSWORD_HASHERS = [h for h in settings.PASSWORD_HASHERS if "MD5" not in h]
    assert settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    assert identify_hasher(make_password("Union-Works-2008")).algorithm == "argon2"


def test_sessions_expire_and_cookies_are_guarded():
    assert project_settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert 0 < project_settings.SESSION_COOKIE_AGE <= 12 * 3600
    assert project_settings.SESSION_COOKIE_HTTPONLY is True
    assert "django.middleware.csrf.CsrfViewMiddleware" in project_settings.MIDDLEWARE
    assert "axes.middleware.AxesMiddleware" in project_settings.MIDDLEWARE


def test_security_headers_are_sent(client):
    response = client.get("/api/v1/openapi.json")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_chinese_by_default_whatever_the_browser_and_english_on_request(client):
    english_browser = {"HTTP_ACCEPT_LANGUAGE": "en-US,en;q=0.9"}
    assert "登录" in client.get("/accounts/login/", **english_browser).content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert "Log in" in client.get("/accounts/login/", **english_browser).content.decode()
