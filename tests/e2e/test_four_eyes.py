"""The admin loophole closed, in a real browser: the admin adds a coordinator (four-eyes is on) → the
invitation goes to the new member, who sets a password but cannot sign in yet → a coordinator finds the
request from the navigation and confirms it → the new coordinator signs in and reaches the clients → the
trail shows each step. The members list, the member page and the confirmation list in English and in
Russian, on a desktop and on a phone, checked with axe where it is installed."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from casework.orgs.models import Membership
from tests.e2e.conftest import DESKTOP, Screens

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

LINK = re.compile(r"https?://[^/\s]+(/accounts/invitation/\S+/)")


def new_person(browser, live_server, shot, name):
    context = browser.new_context(base_url=live_server.url, locale="en-GB", viewport=DESKTOP)
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page, Screens(page, shot, name)


def switch_to(page, lang, button):
    page.select_option("#language", lang)
    page.get_by_role("button", name=button).click()
    expect(page.locator("html")).to_have_attribute("lang", lang)


def add_member(page, username, email, role):
    page.goto("/org/members/new/")
    page.fill("#id_username", username)
    page.fill("#id_email", email)
    page.select_option("#id_role", role)
    page.click("button.primary")
    expect(page.locator("#pending")).to_be_visible()


def test_an_admins_new_coordinator_waits_for_a_coordinator(browser, live_server, page, shot, screens, sign_in,
                                                            password, dana, bob, alice_client):
    # The admin adds a coordinator: an empty form first, then Timur.
    sign_in(page, "dana")
    page.goto("/org/members/new/")
    page.click("button.primary")
    expect(page.locator(".field.invalid")).to_have_count(2)  # username, and the e-mail: four-eyes is on
    screens("en-1-add-member-errors", in_sight=page.locator(".field.invalid .errors").first)
    add_member(page, "timur", "timur@example.org", "coordinator")
    expect(page.locator(".messages")).to_contain_text("once a coordinator confirms their role")
    assert "/accounts/invitation/" not in page.content()
    screens("en-2-member-waiting")
    page.goto("/org/members/")
    expect(page.locator("table.list")).to_contain_text("Waiting for confirmation")
    screens("en-3-members-list")

    # Timur sets a password from the e-mail, but cannot sign in yet.
    timur, _timur_screens = new_person(browser, live_server, shot, "timur")
    [invitation] = mail.outbox
    timur.goto(LINK.search(invitation.body).group(1))
    timur.fill("#id_new_password1", password)
    timur.fill("#id_new_password2", password)
    timur.click("button.primary")
    expect(timur).to_have_url(re.compile(r"/accounts/invitation/done/$"))
    timur.goto("/accounts/login/")
    timur.fill("#id_username", "timur")
    timur.fill("#id_password", password)
    timur.click("button.primary")
    expect(timur).to_have_url(re.compile(r"/accounts/login/$"))
    expect(timur.locator(".errors, .messages").first).to_be_visible()

    # The coordinator finds it from the navigation and confirms.
    coordinator, coordinator_screens = new_person(browser, live_server, shot, screens.name + "-coordinator")
    sign_in(coordinator, "bob")
    coordinator.get_by_role("navigation").get_by_role("link", name="To confirm 1").click()
    expect(coordinator.locator("article.proposal")).to_contain_text("timur@example.org")
    coordinator_screens("coordinator-en-1-confirmations")
    coordinator.get_by_role("button", name="Confirm").click()
    expect(coordinator.locator(".messages")).to_contain_text("Role confirmed.")
    expect(coordinator.locator("table.list")).to_contain_text("timur")
    coordinator_screens("coordinator-en-2-confirmed")

    # Now Timur signs in (setting up his authenticator) and reaches the clients.
    sign_in(timur, "timur")
    timur.goto(f"/clients/{alice_client.public_id}/")
    expect(timur.locator("body")).to_contain_text(alice_client.family_name)

    # The trail shows each step, and who took it.
    coordinator.get_by_role("navigation").get_by_role("link", name="Audit trail").click()
    for action in ("Added a member", "Asked for a client-data role", "Sent an invitation",
                   "Confirmed a client-data role"):
        expect(coordinator.locator("table.list")).to_contain_text(action)
    coordinator_screens("coordinator-en-3-trail")

    # The same screens in Russian, with a caseworker asked for in Russian.
    switch_to(page, "ru", "Switch")
    add_member(page, "farida", "farida@example.org", "caseworker")
    screens("ru-2-member-waiting")
    page.goto("/org/members/")
    screens("ru-3-members-list")
    page.goto("/org/members/new/")
    page.click("button.primary")
    expect(page.locator(".field.invalid")).to_have_count(2)
    screens("ru-1-add-member-errors", in_sight=page.locator(".field.invalid .errors").first)
    switch_to(coordinator, "ru", "Switch")
    coordinator.goto("/org/access/")
    expect(coordinator.locator("article.proposal")).to_contain_text("farida@example.org")
    coordinator_screens("coordinator-ru-1-confirmations")
    coordinator.locator("article.proposal button.danger").click()  # refused
    expect(coordinator.locator("article.proposal")).to_have_count(0)
    coordinator_screens("coordinator-ru-2-confirmed")
    assert not Membership.objects.get(user__username="farida").is_active

    timur.context.close()
    coordinator.context.close()
    screens.assert_accessible()
    coordinator_screens.assert_accessible()
