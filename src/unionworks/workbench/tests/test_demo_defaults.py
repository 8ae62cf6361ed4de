"""The demo's defaults a user meets first: no debug pages, a Chinese 404."""

import os
import subprocess
import sys
from pathlib import Path

from django.test import override_settings

from unionworks.core.tests.factories import login_as

ROOT = Path(__file__).resolve().parents[4]


def test_debug_is_off_unless_asked_for():
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "UNIONWORKS_ENV"}}
    env["DJANGO_SETTINGS_MODULE"] = "unionworks.settings"
    code = "import django;django.setup();from django.conf import settings;print(settings.DEBUG)"
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True
    )
    assert out.stdout.strip() == "False", out.stderr


@override_settings(DEBUG=False)
def test_a_mistyped_address_gets_the_chinese_404(client, world):
    login_as(client, world["taiyuan_admin"])
    response = client.get("/no-such-page/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "页面不存在" in html and "返回首页" in html
    assert "Page not found" not in html and "URLconf" not in html
    anonymous = client.__class__().get("/no-such-page/")
    assert "页面不存在" in anonymous.content.decode()


def test_readme_says_where_uv_is_and_how_to_change_the_port():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    head = text.split("## Two commands")[0]
    assert "快速开始" in head and "~/.local/bin/uv" in head and "HOST=" in head
