"""Quick exit: one button on every signed-in page (and Esc three times, tested in tests/e2e) ends the session on
the server and opens an ordinary public page, the organisation's choice or the deployment's default; nothing
of a case stays in the browser's cache for the back button."""

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError

from casework.audit.models import AccessEvent, Action
from casework.orgs.services import organisation_settings_update
from tests.conftest import VerifiedClient
from tests.pages import body, signed_in
from tests.security.flows import LOGIN, landed, password_step
from tests.security.routes import all_patterns, parameters

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]

EXIT = "/exit/"
BUTTON = 'action="/exit/"'


def case_url(case) -> str:
    return f"/cases/{case.reference}/"


def sent_to_sign_in(client, url) -> bool:
    return landed(client.get(url, follow=True)).startswith(LOGIN)


def test_the_button_is_on_signed_in_pages_and_not_on_the_sign_in_page(login, alice, alice_case, raw_client):
    browser = login(alice)
    for url in ("/", "/cases/", case_url(alice_case), "/accounts/"):
        assert BUTTON in body(browser.get(url, follow=True)), url
    assert BUTTON not in body(raw_client.get(LOGIN))


def test_it_ends_the_session_and_opens_the_default_page(login, alice, alice_case):
    browser = login(alice)
    response = browser.post(EXIT)
    assert response.status_code == 302 and response.url == settings.QUICK_EXIT_URL
    assert '"cache"' in response["Clear-Site-Data"]
    assert not signed_in(browser)
    assert sent_to_sign_in(browser, case_url(alice_case))
    # Recorded once as an ordinary sign-out, with nothing about what was open.
    events = AccessEvent.objects.filter(actor=alice, action=Action.SIGN_OUT)
    assert events.count() == 1 and events.get().detail == ""


def test_it_opens_the_organisations_page(login, alice, org):
    organisation_settings_update(organisation=org, changed_by=alice, quick_exit_url="https://weather.example/today")
    response = login(alice).post(EXIT)
    assert response.status_code == 302 and response.url == "https://weather.example/today"


def test_a_session_already_gone_still_lands_on_the_default_page(raw_client):
    response = raw_client.post(EXIT)
    assert response.status_code == 302 and response.url == settings.QUICK_EXIT_URL


def test_an_idle_session_lands_on_the_neutral_page_not_the_sign_in_page(clock, alice, org):
    organisation_settings_update(organisation=org, changed_by=alice, quick_exit_url="https://news.example/")
    browser = VerifiedClient()
    browser.force_login(alice)
    browser.get("/")
    clock.advance(minutes=31)
    response = browser.post(EXIT)
    assert response.status_code == 302 and response.url == "https://news.example/"
    assert not signed_in(browser)


def test_a_get_signs_nobody_out(login, alice):
    browser = login(alice)
    assert browser.get(EXIT).status_code == 405
    assert signed_in(browser)


def test_another_site_cannot_sign_someone_out(alice):
    browser = VerifiedClient(enforce_csrf_checks=True)
    browser.force_login(alice)
    assert browser.post(EXIT).status_code == 403
    assert signed_in(browser)
    browser.get("/cases/")  # a page with the button sets the token
    response = browser.post(EXIT, {"csrfmiddlewaretoken": browser.cookies["csrftoken"].value})
    assert response.status_code == 302 and not signed_in(browser)


@pytest.mark.parametrize("address", ["javascript:alert(1)", "data:text/html,hello", "ftp://example.org/", "weather"])
def test_only_a_web_address_is_accepted(alice, org, address):
    with pytest.raises(ValidationError) as refused:
        organisation_settings_update(organisation=org, changed_by=alice, quick_exit_url=address)
    assert refused.value.message_dict == {
        "quick_exit_url": ["Enter a web address that starts with https:// (or http://)."]
    }
    org.refresh_from_db()
    assert org.quick_exit_url == ""


def test_no_signed_in_page_is_kept_by_the_browser(login, alice, dana, alice_case):
    """Every page without parameters, for a caseworker and an admin, and the case page: each says no-store."""
    pages = [route for route, _name in all_patterns() if not parameters(route)]
    checked = 0
    for user in (alice, dana):
        browser = login(user)
        for route in [*pages, case_url(alice_case).lstrip("/")]:
            response = browser.get("/" + route)
            if response.status_code == 200:
                assert "no-store" in response.get("Cache-Control", ""), f"/{route} as {user} may be cached"
                checked += 1
    assert checked >= 15 and signed_in(browser)


def test_someone_who_has_not_given_the_code_yet_can_leave_too(raw_client, alice, password):
    password_step(raw_client, "alice", password)
    assert signed_in(raw_client)
    response = raw_client.post(EXIT)
    assert response.status_code == 302 and response.url == settings.QUICK_EXIT_URL
    assert not signed_in(raw_client)
