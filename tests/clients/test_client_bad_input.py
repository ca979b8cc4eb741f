"""Bad input on the client form changes nothing and is explained on the form; it is never a 500."""

import datetime
import uuid

import pytest
from django.utils import timezone

from casework.clients.models import Client
from tests.pages import errors_shown

NEW = "/clients/new/"
LONG = "Ж" * 10_000


def form_data(**overrides):
    data = {"family_name": "Kodirov", "given_names": "Alisher", "date_of_birth": "1991-04-12",
            "submission_token": str(uuid.uuid4())}
    return data | overrides


def tomorrow():
    return (timezone.localdate() + datetime.timedelta(days=1)).isoformat()


@pytest.mark.parametrize(
    "overrides, error",
    [
        ({"family_name": ""}, "This field is required."),
        ({"family_name": "   "}, "This field is required."),
        ({"family_name": "12345"}, "Enter the family name in letters."),
        ({"family_name": "-- 42 !?"}, "Enter the family name in letters."),
        ({"family_name": LONG}, "at most 200 characters"),
        ({"given_names": LONG}, "at most 200 characters"),
        ({"other_spellings": LONG}, "at most 1000 characters"),
        ({"phones": LONG}, "at most 500 characters"),
        ({"addresses": LONG}, "at most 2000 characters"),
        ({"document_numbers": LONG}, "at most 1000 characters"),
        ({"nationality": LONG}, "at most 100 characters"),
        ({"languages": LONG}, "at most 200 characters"),
        ({"date_of_birth": "2099-01-01"}, "cannot be in the future"),
        ({"date_of_birth": "31.02.1990"}, "Enter a valid date."),
        ({"date_of_birth": "1990-02-31"}, "Enter a valid date."),
        ({"date_of_birth": "yesterday"}, "Enter a valid date."),
        ({"date_of_birth": "1899-12-31"}, "Enter a date between 1900 and 2100."),
        ({"family_name": "Kodirov\x00"}, "Null characters are not allowed."),
        ({"date_of_birth": "0000-00-00"}, "Enter a valid date."),
        ({"date_of_birth": "99999-01-01"}, "Enter a valid date."),
        ({"family_name": "😀"}, "Enter the family name in letters."),
        ({"submission_token": "not-a-uuid"}, "valid UUID"),
    ],
    ids=lambda value: str(value)[:40],
)
def test_bad_input_changes_nothing_and_shows_an_error(login, alice, overrides, error):
    response = login(alice).post(NEW, form_data(**overrides))
    assert response.status_code == 200
    assert error in errors_shown(response)
    assert Client.objects.count() == 0


def test_tomorrow_is_in_the_future(login, alice):
    response = login(alice).post(NEW, form_data(date_of_birth=tomorrow()))
    assert "cannot be in the future" in errors_shown(response)
    assert Client.objects.count() == 0


@pytest.mark.parametrize("born", ["1900-01-01", "today"])
def test_boundary_dates_of_birth_are_accepted(login, alice, born):
    born = timezone.localdate().isoformat() if born == "today" else born
    response = login(alice).post(NEW, form_data(date_of_birth=born))
    assert response.status_code == 302
    assert Client.objects.get().date_of_birth.isoformat() == born


def test_form_keeps_what_was_typed_after_an_error(login, alice):
    response = login(alice).post(NEW, form_data(given_names="Алишер", date_of_birth="2999-01-01"))
    assert 'value="Алишер"' in response.content.decode()


def test_edit_with_bad_input_changes_nothing(login, alice, alice_client):
    response = login(alice).post(f"/clients/{alice_client.public_id}/edit/", {"family_name": "123", "given_names": "X"})
    assert response.status_code == 200
    assert "Enter the family name in letters." in errors_shown(response)
    alice_client.refresh_from_db()
    assert (alice_client.family_name, alice_client.given_names) == ("Тошпулатова", "Мадина")
