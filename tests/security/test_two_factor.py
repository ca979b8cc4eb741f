"""Two-factor sign-in for everyone: the first sign-in enrols an authenticator app and hands out
one-time recovery codes; every later sign-in asks for a code; nothing is reachable on a password alone."""

import base64
import html
import uuid

import pytest
from django.utils.http import urlencode

from casework.security.models import Authenticator
from tests.pages import body, errors_shown, signed_in
from tests.security.flows import (
    SETUP,
    VERIFY,
    authenticator_code,
    landed,
    main_content,
    password_step,
    pause_after_failures,
    recovery_codes_shown,
    wrong_code,
)
from tests.security.routes import all_patterns, fill

# The only pages a person who typed a correct password but no code yet may open.
# Quick exit too: someone half signed in must be able to leave at once (tests/security/test_quick_exit.py).
OPEN_BEFORE_THE_CODE = {"two_factor_setup", "two_factor_verify", "logout", "set_language", "healthz", "quick_exit"}


def enrol_through_pages(client, username, password):
    """First sign-in as a person does it: password, scan, type the code. Returns (device, recovery codes)."""
    setup = password_step(client, username, password)
    assert landed(setup).startswith(SETUP)
    device = Authenticator.objects.get(user__username=username, confirmed=False)
    response = client.post(landed(setup), {"token": authenticator_code(device)})
    codes = recovery_codes_shown(response)
    assert len(codes) == 10, body(response)
    return device, codes


def sign_out(client):
    client.post("/accounts/logout/")
    assert not signed_in(client)


def code_step(client, password_response, token, **extra):
    return client.post(landed(password_response), {"token": token, **extra}, follow=True)


def reaches_cases(client) -> bool:
    return client.get("/cases/").status_code == 200


def test_first_sign_in_asks_to_set_up_an_authenticator(raw_client, alice, password):
    response = password_step(raw_client, "alice", password)
    assert landed(response).startswith(SETUP)
    page = body(response)
    device = Authenticator.objects.get(user=alice, confirmed=False)
    key = base64.b32encode(device.bin_key).decode().rstrip("=")
    assert "<svg" in page and 'class="qr"' in page, "the QR code is drawn inline, not fetched from elsewhere"
    assert key in page, "the key is shown for typing in by hand"
    assert not reaches_cases(raw_client)


def test_the_key_stays_the_same_until_confirmed(raw_client, alice, password):
    """Reloading the page while scanning must not change the key the phone already holds."""
    first = body(password_step(raw_client, "alice", password))
    again = body(raw_client.get(SETUP))
    key = base64.b32encode(Authenticator.objects.get(user=alice).bin_key).decode().rstrip("=")
    assert key in first and key in again
    assert Authenticator.objects.filter(user=alice).count() == 1


def test_a_wrong_code_is_refused_and_the_right_one_confirms(raw_client, alice, password):
    setup = password_step(raw_client, "alice", password)
    device = Authenticator.objects.get(user=alice, confirmed=False)

    refused = raw_client.post(landed(setup), {"token": wrong_code(device)})
    assert refused.status_code == 200
    assert "not correct" in errors_shown(refused)
    assert not Authenticator.objects.get(pk=device.pk).confirmed
    assert not reaches_cases(raw_client)

    pause_after_failures(alice)
    confirmed = raw_client.post(landed(setup), {"token": authenticator_code(device)})
    codes = recovery_codes_shown(confirmed)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert "shown only now" in body(confirmed)
    assert Authenticator.objects.get(pk=device.pk).confirmed

    onward = raw_client.get("/", follow=True)
    assert landed(onward) == "/cases/?mine=on" and onward.status_code == 200
    assert reaches_cases(raw_client)


@pytest.mark.sqlite
@pytest.mark.parametrize("enrolled, asked_at, method", [(False, SETUP, "get"), (True, VERIFY, "post")],
                         ids=["first-sign-in-get", "enrolled-post"])
def test_every_page_waits_for_the_second_factor(raw_client, alice, alice_case, password, enrolled, asked_at, method):
    if enrolled:
        Authenticator.objects.create(user=alice, name="phone", confirmed=True)
    password_step(raw_client, "alice", password)
    values = {"reference": alice_case.reference, "public_id": alice_case.client.public_id,
              "membership_id": alice.membership.pk}
    # The check comes before any view runs, so the other parameters need only the right shape.
    shapes = {"str": "x", "slug": "x", "int": 1, "uuid": uuid.uuid4(), "path": "x"}
    checked = 0
    for route, name in all_patterns():
        if name in OPEN_BEFORE_THE_CODE:
            continue
        url = fill(route, values, shapes)
        response = getattr(raw_client, method)(url)
        assert response.status_code == 302, f"{method.upper()} {url} ({name}) -> {response.status_code}"
        assert response.url.startswith(asked_at), f"{method.upper()} {url} ({name}) -> {response.url}"
        checked += 1
    assert checked >= 30
    assert not Authenticator.objects.filter(user=alice, confirmed=True).exclude(name="phone").exists()
    assert signed_in(raw_client), "still half signed in: the code is all that is missing"


def test_after_the_code_the_page_asked_for_opens_with_its_filters(raw_client, alice, password):
    device = Authenticator.objects.create(user=alice, name="phone", confirmed=True)
    target = "/cases/?mine=on&status=open"
    response = password_step(raw_client, "alice", password, next=target)
    assert landed(response).startswith(VERIFY)
    response = code_step(raw_client, response, authenticator_code(device))
    assert landed(response) == target


def test_next_sign_in_asks_for_the_code_not_a_new_key(raw_client, alice, password):
    device, _codes = enrol_through_pages(raw_client, "alice", password)
    sign_out(raw_client)

    response = password_step(raw_client, "alice", password)
    assert landed(response).startswith(VERIFY)
    assert "<svg" not in body(response) and "authenticator" in body(response)
    # Someone holding only the password cannot enrol an authenticator of their own.
    assert raw_client.get(SETUP).url.startswith(VERIFY)
    assert raw_client.post(SETUP, {"token": "123456"}).url.startswith(VERIFY)
    assert list(Authenticator.objects.filter(user=alice)) == [device]
    assert not reaches_cases(raw_client)

    refused = code_step(raw_client, response, wrong_code(device))
    assert "not correct" in errors_shown(refused)
    assert not reaches_cases(raw_client)

    pause_after_failures(alice)
    # The code of the period used at enrolment is spent; the app shows the next one.
    accepted = code_step(raw_client, response, authenticator_code(device, steps_ahead=1))
    assert landed(accepted) == "/cases/?mine=on" and accepted.status_code == 200


def test_a_code_is_accepted_once(raw_client, alice, password):
    """A code seen over a shoulder (or in a screenshot) is already spent."""
    device = Authenticator.objects.create(user=alice, name="phone", confirmed=True)
    code = authenticator_code(device)
    code_step(raw_client, password_step(raw_client, "alice", password), code)
    assert reaches_cases(raw_client)
    sign_out(raw_client)
    response = password_step(raw_client, "alice", password)
    assert "not correct" in errors_shown(code_step(raw_client, response, code))
    assert not reaches_cases(raw_client)


def test_a_recovery_code_works_exactly_once(raw_client, alice, password):
    _device, codes = enrol_through_pages(raw_client, "alice", password)
    sign_out(raw_client)

    response = password_step(raw_client, "alice", password)
    used = code_step(raw_client, response, codes[0])
    assert landed(used) == "/cases/?mine=on"
    sign_out(raw_client)

    pause_after_failures(alice)
    response = password_step(raw_client, "alice", password)
    refused = code_step(raw_client, response, codes[0])
    assert "not correct" in errors_shown(refused)
    assert not reaches_cases(raw_client)

    pause_after_failures(alice)
    assert landed(code_step(raw_client, response, f" {codes[1]} ")) == "/cases/?mine=on"


def test_new_recovery_codes_replace_the_old_ones(raw_client, alice, password):
    device, old = enrol_through_pages(raw_client, "alice", password)
    account = raw_client.get("/accounts/")
    assert "Make new recovery codes" in body(account)
    new = recovery_codes_shown(raw_client.post("/accounts/two-factor/recovery-codes/", {
        "password": password, "code": authenticator_code(device, steps_ahead=1)}))
    assert len(new) == 10 and not set(new) & set(old)
    sign_out(raw_client)

    response = password_step(raw_client, "alice", password)
    for code in old:
        pause_after_failures(alice)
        assert "not correct" in errors_shown(code_step(raw_client, response, code))
    assert not reaches_cases(raw_client)
    pause_after_failures(alice)
    assert landed(code_step(raw_client, response, new[0])) == "/cases/?mine=on"


def test_guessing_codes_is_slowed_down(clock, raw_client, alice, password):
    """After a wrong code even the right one is refused for a while: one second, doubling with each
    further failure."""
    device = Authenticator.objects.create(user=alice, name="phone", confirmed=True)
    response = password_step(raw_client, "alice", password)
    for pause in (1, 2, 4, 8):
        assert "not correct" in errors_shown(code_step(raw_client, response, wrong_code(device)))
        clock.advance(seconds=pause - 0.5)
        assert "not correct" in errors_shown(code_step(raw_client, response, authenticator_code(device)))
        assert not reaches_cases(raw_client)
        clock.advance(seconds=1)
    code_step(raw_client, response, authenticator_code(device))
    assert reaches_cases(raw_client)


OFF_SITE = ["https://evil.example/", "//evil.example/", "https:evil.example", "/\\evil.example", "\\\\evil.example"]


@pytest.mark.parametrize("target", OFF_SITE)
def test_the_code_step_never_sends_off_site(raw_client, alice, password, target):
    device = Authenticator.objects.create(user=alice, name="phone", confirmed=True)
    response = password_step(raw_client, "alice", password)
    page = raw_client.get(VERIFY, {"next": target})
    assert "evil.example" not in html.unescape(main_content(page))
    response = code_step(raw_client, response, authenticator_code(device), next=target)
    assert all("evil.example" not in url for url, _status in response.redirect_chain)
    assert landed(response) == "/cases/?mine=on"


@pytest.mark.parametrize("target", OFF_SITE[:2])
def test_enrolment_never_sends_off_site(raw_client, alice, password, target):
    password_step(raw_client, "alice", password)
    device = Authenticator.objects.get(user=alice, confirmed=False)
    response = raw_client.post(f"{SETUP}?{urlencode({'next': target})}",
                               {"token": authenticator_code(device), "next": target})
    assert len(recovery_codes_shown(response)) == 10
    # The "I have saved them" button leads home, not to the address in the link.
    assert "evil.example" not in html.unescape(main_content(response))


def test_enrolled_users_are_not_shown_their_key_again(login, alice):
    """A verified user opening the setup page gets a new key to replace the old phone, never the old key."""
    client = login(alice)
    old = Authenticator.objects.get(user=alice, confirmed=True)
    page = body(client.get(SETUP))
    assert base64.b32encode(old.bin_key).decode().rstrip("=") not in page
