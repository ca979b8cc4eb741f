"""Browser journeys: Playwright drives Debian's Chromium against the app served by a live server on
the test database (PostgreSQL under `make test`). Each journey leaves screenshots in test-artifacts/e2e/."""

import base64
import os
from pathlib import Path

import pytest
from django_otp.oath import totp

# Playwright's sync API runs an event loop in this thread while a browser is open; the ORM calls the
# tests and their database teardown make here are ordinary synchronous ones between browser steps.
# (Set for this test process only; tests/test_settings.py keeps it out of its deployment checks.)
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "e2e"
CHROMIUM_ARGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]

pytestmark = [pytest.mark.e2e]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.xdist_group("e2e"))


@pytest.fixture(scope="module")
def browser():
    """One Chromium per test module: Playwright's event loop must be gone before other tests run here."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium package (`.ci/run` does).")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="en-GB", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def shot(request):
    """Save a full-page screenshot named after the test and a step."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    def _shot(page, step: str):
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}-{step}.png"), full_page=True)

    return _shot


def authenticator_code(secret: str) -> str:
    """What the user's authenticator app would show for the key on the enrolment page."""
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    return f"{totp(key):06d}"


@pytest.fixture
def sign_in(password):
    """Sign in through the real pages: password, then enrol the authenticator (first time) or type its code."""
    secrets = {}

    def _sign_in(page, username):
        page.goto("/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        page.click("button.primary")
        page.wait_for_url("**/accounts/two-factor/**")
        if "/setup/" in page.url:
            secrets[username] = page.locator("code.ref").inner_text().strip()
            page.fill("#id_token", authenticator_code(secrets[username]))
            page.click("button.primary")
            page.click("text=I have saved them")
        else:
            page.fill("#id_token", authenticator_code(secrets[username]))
            page.click("button.primary")
        page.wait_for_url(lambda url: "/accounts/" not in url)

    return _sign_in
