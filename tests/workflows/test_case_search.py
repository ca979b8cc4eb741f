"""Searching cases by reference (with or without dashes, any case) and by client name through the blind
index, in Cyrillic or Latin; never finding a case the user cannot see. Searches are POSTed so no name
lands in a URL."""

import pytest

from tests.factories import CaseFactory, ClientFactory
from tests.pages import references_listed


def search(client, q):
    response = client.post("/cases/", {"q": q})
    assert response.status_code == 200
    return references_listed(response)


@pytest.fixture
def kodirov_case(org, alice):
    client = ClientFactory(organisation=org, created_by=alice, family_name="Қодиров", given_names="Алишер")
    return CaseFactory(assigned_to=alice, client=client, case_type="deportation", removal_kind="deportation")


@pytest.fixture
def other_case(alice):
    return CaseFactory(assigned_to=alice, client=ClientFactory(organisation=alice.membership.organisation,
                                                               family_name="Nazarova", given_names="Zarina"))


def test_search_by_reference_in_any_form(login, alice, kodirov_case, other_case):
    client = login(alice)
    reference = kodirov_case.reference
    for q in (reference, reference.replace("-", ""), reference.lower(), reference.replace("-", "").lower(),
              f"  {reference}  "):
        assert search(client, q) == [reference], q


@pytest.mark.parametrize("who", ["alice", "bob"])
def test_search_by_client_name_in_either_script(request, login, kodirov_case, other_case, who):
    client = login(request.getfixturevalue(who))
    for q in ("Kodirov", "Qodirov", "Қодиров", "кодиров", "KODIROV", "Alisher Kodirov", "Қодиров Алишер"):
        assert search(client, q) == [kodirov_case.reference], q
    assert search(client, "Назарова") == [other_case.reference]


def test_search_finds_all_cases_of_the_client(login, alice, kodirov_case, other_case):
    second = CaseFactory(assigned_to=alice, client=kodirov_case.client, case_type="asylum")
    assert set(search(login(alice), "Kodirov")) == {kodirov_case.reference, second.reference}


def test_a_name_that_matches_nobody_finds_nothing(login, alice, kodirov_case):
    assert search(login(alice), "Ivanov") == []
    assert search(login(alice), "Kodir") == []


@pytest.mark.parametrize("who", ["charlie", "erin", "carol"])
def test_search_never_finds_a_case_the_user_cannot_see(request, login, kodirov_case, who):
    client = login(request.getfixturevalue(who))
    for q in ("Kodirov", "Қодиров Алишер", kodirov_case.reference, kodirov_case.reference.replace("-", "").lower()):
        assert search(client, q) == [], q


def test_the_name_searched_is_not_in_the_url(login, alice, kodirov_case):
    response = login(alice).post("/cases/", {"q": "Kodirov"})
    assert "Kodirov" not in response.request["PATH_INFO"] and "Kodirov" not in response.request.get("QUERY_STRING", "")


@pytest.mark.parametrize("q", ["%", "_", "' OR 1=1 --", "AAA-BBB-CCC-DDD", "K7Q-4FD-93"])
def test_odd_searches_find_nothing(login, alice, kodirov_case, q):
    assert search(login(alice), q) == []


@pytest.mark.parametrize("q", ["", "Ж" * 500, "\x00"])
def test_invalid_searches_do_not_break_the_list(login, alice, kodirov_case, q):
    assert login(alice).post("/cases/", {"q": q}).status_code == 200
