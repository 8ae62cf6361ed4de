"""End-to-end tests in Debian's Chromium, driven through Playwright's Python API.

Never a downloaded browser: /usr/bin/chromium (apt-get install chromium; `make test`
installs it where it can), headless, with a fresh profile and no background
networking (the network here is closed). A missing Chromium fails these tests loudly.
"""

import os
import shutil
import tempfile

import pytest

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def chromium():
    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: install Debian's chromium package (apt-get install chromium)."
        )
    # The live server thread uses the ORM while Playwright's sync API runs an event loop.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    profile = tempfile.mkdtemp(prefix="uw-chromium-")
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            profile,
            executable_path=CHROMIUM if os.path.exists(CHROMIUM) else shutil.which("chromium"),
            headless=True,
            args=CHROMIUM_ARGS,
            viewport={"width": 1366, "height": 768},
            locale="zh-CN",
            accept_downloads=True,
        )
        yield context
        context.close()
    shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture
def page(chromium, live_server):
    chromium.clear_cookies()
    page = chromium.new_page()
    page.set_default_timeout(15_000)
    page.base_url = live_server.url
    # Chromium reports what the Content-Security-Policy refused on the console, on every
    # page the test visits: an inline script or style that slipped back in fails the test.
    refused = []
    page.on(
        "console",
        lambda message: (
            refused.append(f"{page.url}: {message.text}")
            if "Content Security Policy" in message.text
            else None
        ),
    )
    page.csp_violations = refused
    yield page
    page.close()
    assert refused == [], f"the Content-Security-Policy refused: {refused}"


def log_in(page, username: str, password: str) -> None:
    page.goto(f"{page.base_url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit], input[type=submit]")
    page.wait_for_load_state()
