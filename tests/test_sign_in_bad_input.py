"""Whatever is typed or forged into the sign-in page, the answer is the page with an error, never a server
error, and the lockout records nothing it cannot store."""

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import authenticate
from django.test import RequestFactory

from tests.pages import errors_shown, signed_in

LOGIN = "/accounts/login/"
WRONG = "Please enter a correct username and password."
HUGE = "a" * 100_000


def lockout_rows_fit():
    return all(len(attempt.username or "") <= 255 for attempt in AccessAttempt.objects.all())


@pytest.mark.parametrize("username, error", [
    (HUGE, WRONG),
    ("alice" + "x" * 146, WRONG),  # one past the longest username
    ("a" * 256, WRONG),  # one past what the lockout's table holds
    ("ali\x00ce", "Null characters are not allowed."),
    ("\x00" * 1000, "Null characters are not allowed."),
    ("Алиса 😀 \u202e", WRONG),
], ids=["100000 chars", "151 chars", "256 chars", "NUL inside", "only NULs", "odd unicode"])
def test_a_strange_username_gets_the_usual_answer(raw_client, alice, password, username, error):
    response = raw_client.post(LOGIN, {"username": username, "password": password})
    assert response.status_code == 200
    assert error in errors_shown(response)
    assert not signed_in(raw_client)
    assert lockout_rows_fit()


def test_bytes_that_are_not_utf8(raw_client, alice, password):
    response = raw_client.post(LOGIN, "username=%FF%FE%C0%80alice&password=%FF%00",
                               content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    assert errors_shown(response) != ""
    assert not signed_in(raw_client)


@pytest.mark.parametrize("username", ["alice", "nobody"])
def test_a_megabyte_password(raw_client, alice, username):
    response = raw_client.post(LOGIN, {"username": username, "password": "p" * 1_000_000})
    assert response.status_code == 200
    assert WRONG in errors_shown(response)
    assert not signed_in(raw_client)


@pytest.mark.parametrize("data", [{}, {"username": "alice"}, {"password": "x"}, {"username": "", "password": ""}],
                         ids=["nothing", "no password", "no username", "both empty"])
def test_missing_fields(raw_client, alice, data):
    response = raw_client.post(LOGIN, data)
    assert response.status_code == 200
    assert "This field is required." in errors_shown(response)
    assert not signed_in(raw_client)
    assert not AccessAttempt.objects.exists()


def test_a_huge_username_straight_to_authenticate_is_recorded_cut_to_size(alice, password):
    """Scripts (and a future API) authenticate without the form: the lockout still stores what fits."""
    request = RequestFactory().post(LOGIN)
    assert authenticate(request, username=HUGE, password=password) is None
    assert AccessAttempt.objects.get().username == HUGE[:255]
