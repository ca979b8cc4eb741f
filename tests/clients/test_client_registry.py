"""The client registry pages through everyone the user may see, newest first: the organisation's own
clients and those of cases shared by partners, never a client of a sensitive case kept from the user."""

import pytest

from casework.cases.services import case_grant
from tests.factories import CaseFactory, ClientFactory
from tests.pages import body

pytestmark = pytest.mark.sqlite


def names_on(response) -> list[str]:
    return [client.family_name for client in response.context["page"].object_list]


@pytest.fixture
def registry(settings, org, other_org, alice, bob, charlie, erin, dana):
    """Seven clients registered in this order; one is a partner's, shared through a case; one is on a
    sensitive case assigned to alice; one belongs to an unshared case of the partner."""
    settings.CASES_PAGE_SIZE = 3
    made = {}
    for name, organisation, by in [("Абдуллаев", org, alice), ("Bekova", org, bob), ("Партнёрова", other_org, charlie),
                                   ("Скрытова", org, alice), ("Davletov", org, bob), ("Чужой", other_org, charlie),
                                   ("Эргашева", org, alice)]:
        made[name] = ClientFactory(organisation=organisation, created_by=by, family_name=name)
    shared = CaseFactory(assigned_to=charlie, client=made["Партнёрова"])
    case_grant(case=shared, granted_by=erin, level="view", organisation=org)
    CaseFactory(assigned_to=alice, client=made["Скрытова"], is_sensitive=True)
    CaseFactory(assigned_to=charlie, client=made["Чужой"])
    return made


def test_coordinator_pages_through_own_and_shared_clients_newest_first(login, bob, registry):
    client = login(bob)
    first, second, third = (client.get(f"/clients/?page={n}") for n in (1, 2, 3))
    assert names_on(first) == ["Эргашева", "Davletov", "Партнёрова"]
    assert names_on(second) == ["Bekova", "Абдуллаев"]
    assert first.context["page"].paginator.count == 5
    assert "Скрытова" not in body(first) + body(second) and "Чужой" not in body(first) + body(second)
    assert names_on(third) == names_on(second)  # past the end: the last page, not an error


def test_caseworker_sees_her_clients_the_sensitive_one_she_is_named_on_and_the_shared_one(login, alice, registry):
    client = login(alice)
    assert names_on(client.get("/clients/")) == ["Эргашева", "Скрытова", "Партнёрова"]
    assert names_on(client.get("/clients/?page=2")) == ["Абдуллаев"]


def test_partner_search_finds_the_shared_client_but_not_the_hidden_one(login, bob, registry):
    client = login(bob)
    assert names_on(client.post("/clients/", {"q": "партнёрова"})) == ["Партнёрова"]
    assert names_on(client.post("/clients/", {"q": "Скрытова"})) == []
