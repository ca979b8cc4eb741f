"""Browser journeys: Playwright drives Debian's Chromium against the app served by a live server on
the test database (PostgreSQL under `make test`). Each journey leaves screenshots in test-artifacts/e2e/."""

import base64
import json
import os
import warnings
from pathlib import Path

import pytest
from django_otp.oath import totp
from playwright.sync_api import expect

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


DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
AXE_SIZE = "phone"  # axe once a screen, at the crowded size: it takes ~0.3 s a run (both sizes: set None)
REPO = Path(__file__).resolve().parents[2]
AXE_CANDIDATES = [
    os.environ.get("AXE_CORE_JS", ""),
    REPO / "node_modules/axe-core/axe.min.js",
    "/usr/local/lib/node_modules/axe-core/axe.min.js",
    "/usr/lib/node_modules/axe-core/axe.min.js",
]
AXE = next((Path(p) for p in AXE_CANDIDATES if p and Path(p).is_file()), None)
_AXE_SOURCE = AXE.read_text() if AXE else ""


def _axe_problems(page) -> list[dict]:
    """axe-core's violations on the page as it is now (all impacts; the caller keeps the serious ones)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # Evaluated through the DevTools protocol: the app's CSP (script-src 'self') refuses a script tag.
        page.evaluate(_AXE_SOURCE + "\n;void 0")
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [
        {"id": v["id"], "impact": v["impact"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]]}
        for v in result["violations"]
    ]


class Screens:
    """Each screen: a screenshot at desktop and at phone size (then back to desktop), axe-core at AXE_SIZE;
    `in_sight` must be wholly within the window at both sizes without scrolling."""

    def __init__(self, page, shot, name: str):
        self.page, self.shot, self.name, self.found = page, shot, name, {}

    def __call__(self, step: str, *, in_sight=None):
        for size, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
            self.page.set_viewport_size(viewport)
            if in_sight is not None:
                expect(in_sight).to_be_in_viewport(ratio=1)
            self.shot(self.page, f"{step}-{size}")
            if AXE and AXE_SIZE in (size, None):
                self.found[f"{step}-{size}"] = _axe_problems(self.page)
        self.page.set_viewport_size(DESKTOP)

    def assert_accessible(self):
        """No serious or critical axe-core violation on any screen (all of them go to <test>-axe.json)."""
        if AXE is None:
            warnings.warn("axe-core not found: accessibility checks skipped (npm install -g axe-core)", stacklevel=2)
            return
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        (ARTIFACTS / f"{self.name}-axe.json").write_text(json.dumps(self.found, indent=1, ensure_ascii=False))
        serious = {step: bad for step, found in self.found.items()
                   if (bad := [v for v in found if v["impact"] in ("serious", "critical")])}
        assert not serious, json.dumps(serious, indent=1, ensure_ascii=False)


@pytest.fixture
def screens(page, shot, request):
    return Screens(page, shot, request.node.name)


