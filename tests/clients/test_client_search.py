"""Finding a client by name through the blind indexes: any script, any spelling the folding
equates, either word order; only the organisation's own clients; never a 500."""

import pytest
from django.utils.html import escape

from casework.clients.selectors import client_search
from tests.factories import ClientFactory
from tests.pages import body


@pytest.fixture
def kodirovs(org, alice):
    """Alice's clients: the same family name written three ways, and someone else."""
    return {
        "latin": ClientFactory(organisation=org, created_by=alice, family_name="Kodirov", given_names="Alisher"),
        "q": ClientFactory(organisation=org, created_by=alice, family_name="Qodirov", given_names="Rustam"),
        "cyrillic": ClientFactory(organisation=org, created_by=alice, family_name="Қодиров", given_names="Фарход"),
        "other": ClientFactory(organisation=org, created_by=alice, family_name="Юсупова", given_names="Ойгул"),
    }


def search(http, query):
    """The search box on the client list (a POST, so names stay out of URLs and logs)."""
    return http.post("/clients/", {"q": query})


def listed(response, *clients):
    page = body(response)
    return [f"/clients/{c.public_id}/" in page for c in clients]


def test_cyrillic_query_finds_latin_spellings(login, alice, kodirovs):
    response = search(login(alice), "Қодиров")
    assert response.status_code == 200
    assert listed(response, kodirovs["latin"], kodirovs["q"], kodirovs["cyrillic"]) == [True, True, True]
    assert listed(response, kodirovs["other"]) == [False]


@pytest.mark.parametrize("query", ["Kodirov", "Qodirov", "KODIROV", "  kodirov  "])
def test_latin_queries_find_the_cyrillic_spelling(alice, kodirovs, query):
    found = set(client_search(alice, query))
    assert found == {kodirovs["latin"], kodirovs["q"], kodirovs["cyrillic"]}


def test_full_name_in_the_other_order_and_script(login, alice, kodirovs):
    response = search(login(alice), "Алишер Қодиров")
    assert listed(response, kodirovs["latin"]) == [True]
    assert listed(response, kodirovs["q"], kodirovs["cyrillic"]) == [False, False]
    assert escape("Kodirov Alisher") in body(response)


def test_full_name_in_the_stored_order(alice, kodirovs):
    assert list(client_search(alice, "Kodirov Alisher")) == [kodirovs["latin"]]


def test_search_is_exact_not_a_prefix(alice, kodirovs):
    assert list(client_search(alice, "Kodir")) == []


def test_no_match_says_so(login, alice, kodirovs):
    response = search(login(alice), "Petrov")
    assert "No client has this name" in body(response)
    assert not any(listed(response, *kodirovs.values()))


def test_search_never_returns_another_organisations_client(login, alice, kodirovs, charlie, other_org):
    theirs = ClientFactory(organisation=other_org, created_by=charlie, family_name="Kodirov", given_names="Alisher")
    response = search(login(alice), "Kodirov Alisher")
    assert listed(response, theirs) == [False]
    assert theirs not in set(client_search(alice, "Қодиров"))
    # ...and the other way round.
    assert set(client_search(charlie, "Қодиров")) == {theirs}
    assert listed(search(login(charlie), "Kodirov"), kodirovs["latin"], kodirovs["q"]) == [False, False]


def test_caseworker_does_not_find_a_colleagues_client(alice, bob, org):
    bobs = ClientFactory(organisation=org, created_by=bob, family_name="Kodirov")
    assert list(client_search(alice, "Kodirov")) == []
    assert list(client_search(bob, "Kodirov")) == [bobs]


@pytest.mark.parametrize("query", ["", "   ", "Ж" * 10_000, "Kodirov " * 2_000, "%_\\'\"<script>", "\x00", "!!!"])
def test_odd_queries_do_not_break_the_page(login, alice, kodirovs, query):
    response = search(login(alice), query)
    assert response.status_code == 200


@pytest.mark.parametrize("query", ["", "Ж" * 10_000, "!!! ???"])
def test_odd_queries_find_nobody_through_the_selector(alice, kodirovs, query):
    assert list(client_search(alice, query)) == []
