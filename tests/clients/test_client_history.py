"""A client's change history: on the client page and, all of it, on the client's history page, with old and
new values (addresses held back where a sensitive case keeps them to its own page); an outsider gets a 404;
the client page costs the same queries however long the history."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from casework.audit.models import AccessEvent, Action
from casework.clients.services import client_update
from tests.factories import CaseFactory
from tests.history import history_text
from tests.pages import body

pytestmark = pytest.mark.sqlite



def edit(client, user, **changes):
    return client_update(client=client, changed_by=user, **changes)


def test_the_client_page_shows_the_changes_of_the_clients_fields(clock, login, alice, bob, alice_client):
    clock()
    edit(alice_client, alice, family_name="Toshpulatova", given_names="Madina", date_of_birth=datetime.date(1991, 4, 2))
    clock()
    edit(alice_client, bob, addresses="Казань, ул. Баумана 7", phones="+7 916 000 00 00")

    page = login(alice).get(f"/clients/{alice_client.public_id}/")
    shown = history_text(page)

    assert shown.startswith("12 March 2026, 14:07 · Client · changed · bob Phone numbers : — → +7 916 000 00 00 "
                            "Addresses : — → Казань, ул. Баумана 7")
    assert ("12 March 2026, 14:06 · Client · changed · alice Family name : Тошпулатова → Toshpulatova "
            "Given names : Мадина → Madina Date of birth :") in shown
    assert "→ April 2, 1991" in shown
    assert "· Client · created ·" in shown and f'href="/clients/{alice_client.public_id}/history/"' in body(page)


def test_addresses_stay_hidden_where_a_sensitive_case_keeps_them_back(clock, login, alice, bob, alice_client):
    CaseFactory(assigned_to=alice, client=alice_client, is_sensitive=True)
    clock()
    edit(alice_client, alice, addresses="Казань, ул. Баумана 7", languages="Uzbek")
    client = login(alice)
    for url in (f"/clients/{alice_client.public_id}/", f"/clients/{alice_client.public_id}/history/"):
        page = client.get(url)
        assert "Addresses (hidden on sensitive cases)" in history_text(page)
        assert "Languages : — → Uzbek" in history_text(page)
        assert "Баумана" not in body(page)


def test_the_history_page_is_on_record_and_an_outsider_gets_a_404(clock, login, alice, charlie, alice_client):
    edit(alice_client, alice, given_names="Madina")
    url = f"/clients/{alice_client.public_id}/history/"

    page = login(alice).get(url)
    assert page.status_code == 200 and "Given names : Мадина → Madina" in history_text(page)
    assert AccessEvent.objects.filter(action=Action.VIEW_CLIENT, client=alice_client,
                                      detail__endswith="page=history").count() == 1
    outsider = login(charlie).get(url)
    assert outsider.status_code == 404 and "Мадина" not in body(outsider)


def client_page_queries(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_client_page_costs_the_same_queries_with_1_and_30_changes(clock, login, alice, alice_client):
    url = f"/clients/{alice_client.public_id}/"
    edit(alice_client, alice, phones="+7 900")
    client = login(alice)
    one = client_page_queries(client, url)
    for i in range(29):
        clock()
        edit(alice_client, alice, phones=f"+7 9{i:02d}", addresses=f"Москва, дом {i}")
    assert client_page_queries(client, url) == one
