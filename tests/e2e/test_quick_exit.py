"""Quick exit in a real browser, in English and Russian, on a desktop and a phone: the button is in the case
page's header; pressing it (or Esc three times) lands on the organisation's neutral page, and neither the back
button nor the case's address brings the case back."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import ARTIFACTS, DESKTOP, PHONE

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

LABEL = {"en": "Quick exit", "ru": "Быстрый выход"}


def _header_path(lang, size):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS / f"quick-exit-header-{lang}-{size}.png"


def _in(page, lang):
    if lang == "ru":
        page.select_option("#language", "ru")
        page.locator("form:has(#language) button").click()
        page.wait_for_load_state()
        assert page.locator("html").get_attribute("lang") == "ru"


def _shows_sign_in(page):
    expect(page.locator("#id_password")).to_be_visible()
    expect(page.locator("#quick-exit")).to_have_count(0)


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_quick_exit_leaves_the_case_for_the_neutral_page_for_good(
    page, sign_in, screens, live_server, org, alice_case, lang
):
    neutral = f"{live_server.url}/healthz"
    org.quick_exit_url = neutral
    org.save(update_fields=["quick_exit_url"])
    case_url = f"/cases/{alice_case.reference}/"
    sign_in(page, "alice")
    _in(page, lang)
    page.goto(case_url)
    button = page.locator("#quick-exit button")
    expect(button).to_have_text(LABEL[lang])
    screens(f"case-{lang}", in_sight=button)
    # The header stays short on a phone: the button shares the first line with the brand.
    page.set_viewport_size(PHONE)
    brand, box = page.locator(".brand").bounding_box(), button.bounding_box()
    assert abs(box["y"] - brand["y"]) < brand["height"] + 8
    page.locator("header.top").screenshot(path=str(_header_path(lang, "phone")))
    page.set_viewport_size(DESKTOP)
    page.locator("header.top").screenshot(path=str(_header_path(lang, "desktop")))
    screens.assert_accessible()

    button.click()
    page.wait_for_url(neutral)
    expect(page.locator("body")).to_have_text("ok")
    page.go_back()
    _shows_sign_in(page)
    page.goto(case_url)
    _shows_sign_in(page)


def test_escape_three_times_is_a_quick_exit(page, sign_in, live_server, org, alice_case):
    neutral = f"{live_server.url}/healthz"
    org.quick_exit_url = neutral
    org.save(update_fields=["quick_exit_url"])
    sign_in(page, "alice")
    page.goto(f"/cases/{alice_case.reference}/")
    page.keyboard.press("Escape")
    page.keyboard.press("Escape")
    expect(page.locator("#quick-exit")).to_have_count(1)  # twice is not enough
    page.keyboard.press("Escape")
    page.wait_for_url(neutral)
    page.goto(f"/cases/{alice_case.reference}/")
    _shows_sign_in(page)
