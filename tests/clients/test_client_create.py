"""Registering a client through the form, in any script, and reading it back."""

import uuid

import pytest
from django.utils.html import escape

from casework.clients.models import Client
from tests.pages import body, messages_shown

NEW = "/clients/new/"


def form_data(**overrides):
    data = {
        "family_name": "Қодиров",
        "given_names": "Алишер",
        "other_spellings": "Kodirov\nQodirov",
        "date_of_birth": "1991-04-12",
        "nationality": "Uzbekistan",
        "languages": "Uzbek, Russian",
        "phones": "+7 900 123-45-67",
        "addresses": "ул. Садовая, 5, Казань",
        "document_numbers": "FA7654321",
        "submission_token": str(uuid.uuid4()),
    }
    return data | overrides


def test_form_page_renders(login, alice):
    response = login(alice).get(NEW)
    assert response.status_code == 200
    assert 'name="family_name"' in body(response) and 'name="submission_token"' in body(response)


@pytest.mark.parametrize(
    "family_name, given_names",
    [
        ("Қодиров", "Алишер"),  # Cyrillic with a Tajik letter
        ("Kodirov", "Alisher"),  # Latin
        ("Юсупова-Yusupova", "Ойгул O‘tkirovna"),  # both scripts, Uzbek-Latin apostrophe
        ("O'Connor", "Seán"),  # an apostrophe that HTML escapes
    ],
)
def test_caseworker_registers_a_client_and_sees_the_details(login, alice, family_name, given_names):
    client = login(alice)
    response = client.post(NEW, form_data(family_name=family_name, given_names=given_names), follow=True)
    assert response.status_code == 200
    saved = Client.objects.get()
    assert response.redirect_chain[-1][0] == f"/clients/{saved.public_id}/"
    assert "Client registered." in messages_shown(response)
    page = body(response)
    for shown in (family_name, given_names, "FA7654321", "+7 900 123-45-67", "ул. Садовая, 5, Казань", "April 12, 1991"):
        assert escape(shown) in page
    assert (saved.family_name, saved.given_names) == (family_name, given_names)
    assert saved.organisation == alice.membership.organisation and saved.created_by == alice


def test_surrounding_spaces_are_trimmed(login, alice):
    login(alice).post(NEW, form_data(family_name="  Kodirov  "))
    assert Client.objects.get().family_name == "Kodirov"


def test_only_family_name_is_required(login, alice):
    response = login(alice).post(
        NEW, {"family_name": "Kodirov", "submission_token": str(uuid.uuid4())}, follow=True
    )
    assert response.status_code == 200
    assert Client.objects.get().date_of_birth is None


def test_new_client_shows_up_in_her_client_list(login, alice):
    client = login(alice)
    client.post(NEW, form_data(family_name="Kodirov", given_names="Alisher"))
    response = client.get("/clients/")
    assert "Kodirov Alisher" in body(response)


def test_colleague_caseworker_does_not_see_a_client_she_registered(login, alice, carol):
    login(alice).post(NEW, form_data(family_name="Юсупова"))
    saved = Client.objects.get()
    client = login(carol)
    assert client.get(f"/clients/{saved.public_id}/").status_code == 404
    assert "Юсупова" not in body(client.get("/clients/"))


def test_coordinator_sees_every_client_of_the_organisation(login, alice, bob):
    login(alice).post(NEW, form_data())
    saved = Client.objects.get()
    response = login(bob).get(f"/clients/{saved.public_id}/")
    assert response.status_code == 200 and "Қодиров" in body(response)
