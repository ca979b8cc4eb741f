"""Pressing Save twice (or a browser resending the form) registers the client once."""

import uuid

from casework.clients.models import Client


def test_same_form_posted_twice_creates_one_client(login, alice):
    client = login(alice)
    data = {"family_name": "Kodirov", "given_names": "Alisher", "submission_token": str(uuid.uuid4())}
    first = client.post("/clients/new/", data)
    second = client.post("/clients/new/", data)
    assert Client.objects.count() == 1
    assert first.status_code == second.status_code == 302
    assert first.url == second.url == f"/clients/{Client.objects.get().public_id}/"


def test_two_forms_create_two_clients(login, alice):
    client = login(alice)
    for _ in range(2):
        client.post("/clients/new/", {"family_name": "Kodirov", "submission_token": str(uuid.uuid4())})
    assert Client.objects.count() == 2
