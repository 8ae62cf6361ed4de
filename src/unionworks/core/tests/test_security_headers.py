"""A strict Content-Security-Policy on every response, templates that keep to it, and HSTS
on by default whenever DEBUG is off."""

import re
from pathlib import Path

import pytest

from unionworks.core.tests.factories import login_as
from unionworks.core.tests.test_start_up import start

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
# Rendered for the PDF only (WeasyPrint, never served to a browser): its <style> stays.
NOT_SERVED = {"stats/reports/review_print.html"}


@pytest.mark.parametrize(
    "url",
    ["/accounts/login/", "/", "/members/", "/stats/dashboards/", "/api/v1/orgs/", "/nowhere/"],
)
def test_every_response_carries_a_strict_policy(client, world, url):
    login_as(client, world["taiyuan_admin"])
    policy = client.get(url)["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'" and directives["frame-ancestors"] == "'none'"
    assert "unsafe" not in policy and "http" not in policy


def test_templates_hold_no_inline_script_handler_or_style():
    found = []
    for path in TEMPLATES.rglob("*.html"):
        name = str(path.relative_to(TEMPLATES))
        if name in NOT_SERVED:
            continue
        text = path.read_text()
        for pattern, what in [
            (r"""\sstyle\s*=\s*["']""", "style= attribute"),
            (r"""\son[a-z]+\s*=\s*["']""", "on…= handler"),
            (r"<style[\s>]", "<style> block"),
            (r"""javascript:""", "javascript: URL"),
        ]:
            found += [(name, what) for _ in re.finditer(pattern, text)]
        for tag in re.findall(r"<script\b[^>]*>", text):
            # Data blocks (json_script, type="application/json") are not run.
            if "src=" not in tag and "application/json" not in tag:
                found.append((name, "inline <script>"))
    assert found == [], "move it to static/js/app.js or a class in static/css/app.css"


def test_the_server_error_page_styles_itself_from_a_file(client):
    text = (TEMPLATES / "500.html").read_text()
    assert "/static/css/error.css" in text
    assert (TEMPLATES.parent / "static" / "css" / "error.css").exists()


def test_hsts_is_sent_over_https_when_debug_is_off(client, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    response = client.get("/accounts/login/", secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000"


def test_production_turns_hsts_on_by_default():
    code = "from django.conf import settings; print('HSTS', settings.SECURE_HSTS_SECONDS)"
    env = {
        "UNIONWORKS_ENV": "production",
        "SECRET_KEY": "x" * 50,
        "UNIONWORKS_DATA_KEY": "q" * 43 + "=",
        "ALLOWED_HOSTS": "example.org",
    }
    assert "HSTS 31536000" in start(env, code=code).stdout
    assert "HSTS 0" in start({"DEBUG": "1"}, code=code).stdout, "a demo on plain HTTP"
    assert "HSTS 0" in start({**env, "SECURE_HSTS_SECONDS": "0"}, code=code).stdout
