"""Guessing passwords: after AXES_FAILURE_LIMIT failures the account is paused, even for the right
password, and no page tells a guesser whether the username or the password was wrong."""

import datetime

from axes.models import AccessAttempt
from django.conf import settings
from django.utils import timezone

from tests.pages import body, errors_shown, signed_in
from tests.security.flows import LOGIN, VERIFY, landed, main_content, password_step

PAUSED = "Too many failed sign-in attempts"


def fail(client, username, times):
    return [password_step(client, username, "not-the-password-at-all") for _ in range(times)]


def test_wrong_password_and_unknown_user_get_the_same_answer(raw_client, alice, password):
    wrong_password = password_step(raw_client, "alice", "not-her-password")
    unknown_user = password_step(raw_client, "alicia", password)
    assert wrong_password.status_code == unknown_user.status_code == 200
    assert errors_shown(wrong_password) == errors_shown(unknown_user) != ""
    message = errors_shown(wrong_password).lower()
    assert "username and password" in message
    assert "does not exist" not in message and "no such" not in message


def test_the_limit_pauses_the_account_even_for_the_right_password(raw_client, alice, password):
    limit = settings.AXES_FAILURE_LIMIT
    before = fail(raw_client, "alice", limit - 1)
    assert all(PAUSED not in body(r) for r in before), "paused before the limit"
    last = fail(raw_client, "alice", 1)[0]
    assert PAUSED in body(last)

    response = password_step(raw_client, "alice", password)
    assert PAUSED in body(response)
    assert not signed_in(raw_client)
    assert raw_client.get("/cases/").status_code == 302


def test_a_fresh_browser_does_not_get_round_the_pause(raw_client, client, alice, password):
    fail(raw_client, "alice", settings.AXES_FAILURE_LIMIT)
    response = client.post(LOGIN, {"username": "alice", "password": password}, follow=True, REMOTE_ADDR="203.0.113.9")
    assert PAUSED in body(response) and not signed_in(client)


def test_the_pause_page_says_nothing_of_what_was_wrong(raw_client, client, alice, password):
    """The same page for a real account and a made-up one: a guesser learns neither which accounts
    exist nor which part was wrong."""
    limit = settings.AXES_FAILURE_LIMIT
    real = fail(raw_client, "alice", limit)[-1]
    made_up = fail(client, "nobody-here", limit)[-1]
    assert real.status_code == made_up.status_code
    assert main_content(real) == main_content(made_up)
    text = main_content(real).lower()
    for hint in ("password", "username", "alice", "exist", "incorrect"):
        assert hint not in text, f"the pause page mentions {hint!r}"


def test_other_people_still_sign_in(raw_client, client, alice, bob, password):
    fail(raw_client, "alice", settings.AXES_FAILURE_LIMIT)
    # From the same browser and address, a colleague gets in as usual.
    response = password_step(raw_client, "bob", password)
    assert PAUSED not in body(response)
    assert signed_in(raw_client) and landed(response).startswith("/accounts/two-factor/")


def test_the_pause_ends_after_the_cool_off(raw_client, alice, password):
    fail(raw_client, "alice", settings.AXES_FAILURE_LIMIT)
    # The cool-off passes.
    AccessAttempt.objects.update(attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME * datetime.timedelta(hours=1)
                                 - datetime.timedelta(minutes=1))
    response = password_step(raw_client, "alice", password)
    assert PAUSED not in body(response)
    assert signed_in(raw_client) and landed(response).startswith(("/accounts/two-factor/setup/", VERIFY))
