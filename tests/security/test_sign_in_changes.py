"""What changes how an account signs in (new recovery codes, a new authenticator app, a new password) is
what someone at a borrowed or stolen open session would do to keep the account. Each needs the password and
a current second factor whatever the session's age, ends the account's other sessions, tells the owner in
the app, and is in the audit trail."""

import time

import pytest
from django.test import Client as DjangoClient

from casework.audit.models import AccessEvent, Action
from casework.deadlines.models import Notification
from casework.security.models import Authenticator, RecoveryCode
from casework.security.sessions import VERIFIED_AT
from tests.pages import body, errors_shown, signed_in
from tests.security.flows import (
    SETUP,
    authenticator_code,
    pause_after_failures,
    recovery_codes_shown,
    wrong_code,
)
from tests.security.test_two_factor import enrol_through_pages

CODES = "/accounts/two-factor/recovery-codes/"
PASSWORD = "/accounts/password/"
NEW_PASSWORD = "Another long passphrase 2026"


@pytest.fixture
def enrolled(raw_client, alice, password):
    """Alice signed in through the pages with her authenticator; returns (browser, device, recovery codes)."""
    device, codes = enrol_through_pages(raw_client, "alice", password)
    return raw_client, device, codes


@pytest.fixture(params=["stale", "fresh"])
def session(request, enrolled):
    """Alice's open session, its last code check either eleven minutes old (an unattended or stolen
    session) or just made: neither alone is enough."""
    browser, device, codes = enrolled
    if request.param == "stale":
        stored = browser.session
        stored[VERIFIED_AT] = time.time() - 11 * 60
        stored.save()
    return browser, device, codes


@pytest.fixture
def other_device(alice):
    """Alice also signed in on another device."""
    phone = DjangoClient()
    phone.force_login(alice)
    stored = phone.session
    stored["otp_device_id"] = Authenticator.objects.get(user=alice, confirmed=True).persistent_id
    stored[VERIFIED_AT] = time.time()
    stored.save()
    assert phone.get("/cases/").status_code == 200
    return phone


def digests(user) -> set[str]:
    return set(RecoveryCode.objects.filter(device__user=user).values_list("digest", flat=True))


def notices(user) -> list[str]:
    return list(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


def audited(user, action) -> int:
    return AccessEvent.objects.filter(actor=user, action=action).count()


def refused_inputs(device, password):
    return {
        "nothing": {},
        "no code": {"password": password},
        "wrong password": {"password": "not-her-password-at-all", "code": authenticator_code(device, steps_ahead=1)},
        "wrong code": {"password": password, "code": wrong_code(device)},
    }


# --- Recovery codes ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("given", ["nothing", "no code", "wrong password", "wrong code"])
def test_an_open_session_alone_makes_no_recovery_codes(session, alice, password, given):
    browser, device, _codes = session
    before = digests(alice)
    response = browser.post(CODES, refused_inputs(device, password)[given])
    assert response.status_code == 200
    assert recovery_codes_shown(response) == [] and errors_shown(response)
    assert digests(alice) == before, "the recovery codes did not change"
    assert audited(alice, Action.RECOVERY_CODES) == 0 and notices(alice) == []


def test_asking_for_new_codes_shows_a_form_not_codes(session, alice):
    browser, _device, _codes = session
    before = digests(alice)
    page = browser.get(CODES)
    assert page.status_code == 200 and recovery_codes_shown(page) == []
    assert 'name="password"' in body(page) and 'name="code"' in body(page)
    assert digests(alice) == before


def test_with_password_and_code_new_codes_replace_the_old_ones(session, other_device, alice, password):
    browser, device, old_codes = session
    response = browser.post(CODES, {"password": password, "code": authenticator_code(device, steps_ahead=1)})
    new_codes = recovery_codes_shown(response)
    assert len(new_codes) == 10 and not set(new_codes) & set(old_codes)
    assert signed_in(browser) and browser.get("/cases/").status_code == 200, "this session goes on"
    assert other_device.get("/cases/").status_code == 302 and not signed_in(other_device), "the other ends"
    assert notices(alice) == [Notification.Kind.RECOVERY_CODES]
    assert audited(alice, Action.RECOVERY_CODES) == 1


def test_a_recovery_code_also_proves_the_second_factor(enrolled, alice, password):
    browser, _device, codes = enrolled
    response = browser.post(CODES, {"password": password, "code": codes[0]})
    assert len(recovery_codes_shown(response)) == 10


def test_wrong_codes_are_slowed_down_as_at_sign_in(enrolled, alice, password):
    browser, device, _codes = enrolled
    browser.post(CODES, {"password": password, "code": wrong_code(device)})
    response = browser.post(CODES, {"password": password, "code": authenticator_code(device, steps_ahead=1)})
    assert recovery_codes_shown(response) == [], "right after a failure even the right code waits"
    pause_after_failures(alice)
    response = browser.post(CODES, {"password": password, "code": authenticator_code(device, steps_ahead=1)})
    assert len(recovery_codes_shown(response)) == 10


# --- A new authenticator app ------------------------------------------------------------------------------


@pytest.mark.parametrize("given", ["nothing", "no code", "wrong password", "wrong code"])
def test_an_open_session_alone_sets_up_no_new_authenticator(session, alice, password, given):
    browser, device, _codes = session
    page = browser.get(SETUP)
    assert "<svg" not in body(page) and 'name="password"' in body(page), "no new key before the password and code"
    response = browser.post(SETUP, refused_inputs(device, password)[given], follow=True)
    assert "<svg" not in body(response) and errors_shown(response)
    assert list(Authenticator.objects.filter(user=alice, confirmed=True)) == [device], "the old app keeps working"
    assert audited(alice, Action.AUTHENTICATOR) == 1, "only the first set-up is in the trail"


def test_a_code_typed_straight_into_the_set_up_form_is_not_enough(session, alice, password):
    """Posting a new app's code without re-authenticating is read as the re-authentication form, and fails."""
    browser, device, _codes = session
    browser.post(SETUP, {"token": authenticator_code(device, steps_ahead=1)})
    assert list(Authenticator.objects.filter(user=alice, confirmed=True)) == [device]


@pytest.mark.parametrize("proof", ["old authenticator", "recovery code"])
def test_with_password_and_code_a_new_authenticator_replaces_the_old(session, other_device, alice, password, proof):
    browser, old, codes = session
    code = authenticator_code(old, steps_ahead=1) if proof == "old authenticator" else codes[0]
    page = browser.post(SETUP, {"password": password, "code": code}, follow=True)
    assert "<svg" in body(page), "the new key is shown once the password and code are given"
    new = Authenticator.objects.get(user=alice, confirmed=False)
    response = browser.post(SETUP, {"token": authenticator_code(new)})
    assert len(recovery_codes_shown(response)) == 10
    assert list(Authenticator.objects.filter(user=alice, confirmed=True)) == [new]
    assert not Authenticator.objects.filter(pk=old.pk).exists(), "the old app no longer signs in"
    assert browser.get("/cases/").status_code == 200
    assert other_device.get("/cases/").status_code == 302 and not signed_in(other_device)
    assert notices(alice) == [Notification.Kind.AUTHENTICATOR]
    assert AccessEvent.objects.filter(actor=alice, action=Action.AUTHENTICATOR, detail="replaced=yes").count() == 1


# --- Password --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("given", ["nothing", "no code", "wrong password", "wrong code"])
def test_an_open_session_alone_changes_no_password(session, alice, password, given):
    browser, device, _codes = session
    data = {**refused_inputs(device, password)[given], "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    response = browser.post(PASSWORD, data)
    assert response.status_code == 200 and errors_shown(response)
    alice.refresh_from_db()
    assert alice.check_password(password) and not alice.check_password(NEW_PASSWORD)
    assert audited(alice, Action.PASSWORD_CHANGE) == 0 and notices(alice) == []


def test_with_password_and_code_the_password_changes(session, other_device, alice, password):
    browser, device, _codes = session
    response = browser.post(PASSWORD, {"password": password, "code": authenticator_code(device, steps_ahead=1),
                                       "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}, follow=True)
    assert response.status_code == 200
    alice.refresh_from_db()
    assert alice.check_password(NEW_PASSWORD)
    assert signed_in(browser) and browser.get("/cases/").status_code == 200, "this session goes on"
    assert other_device.get("/cases/").status_code == 302 and not signed_in(other_device)
    assert notices(alice) == [Notification.Kind.PASSWORD]
    assert audited(alice, Action.PASSWORD_CHANGE) == 1


def test_the_notice_says_what_changed_and_nothing_else(enrolled, alice, password):
    browser, device, _codes = enrolled
    browser.post(CODES, {"password": password, "code": authenticator_code(device, steps_ahead=1)})
    page = body(browser.get("/notifications/"))
    assert "New recovery codes were made for your account" in page
    assert 'href="/accounts/"' in page
