"""A case's page: open to its assignee and the coordinator; a 404 to anyone else, so that its
existence does not leak."""

import re

import pytest

from tests.pages import body


@pytest.mark.parametrize("who", ["alice", "bob"])
def test_assignee_and_coordinator_see_the_case(request, login, alice_case, who):
    response = login(request.getfixturevalue(who)).get(f"/cases/{alice_case.reference}/")
    assert response.status_code == 200
    page = body(response)
    assert alice_case.reference in page and "Тошпулатова Мадина" in page and "Asylum" in page


@pytest.mark.parametrize("who", ["charlie", "erin", "carol", "dana"])
def test_everyone_else_gets_404(request, login, alice_case, bob, who):
    response = login(request.getfixturevalue(who)).get(f"/cases/{alice_case.reference}/")
    assert response.status_code == 404
    assert "Тошпулатова" not in body(response) and "Asylum" not in body(response)


def test_unknown_reference_looks_the_same_as_a_hidden_one(login, charlie, alice_case):
    client = login(charlie)
    hidden = client.get(f"/cases/{alice_case.reference}/")
    unknown = client.get("/cases/AAA-BBB-CCC/")
    assert hidden.status_code == unknown.status_code == 404
    def normalised(response, reference):
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", body(response)).replace(reference, "X")

    assert normalised(hidden, alice_case.reference) == normalised(unknown, "AAA-BBB-CCC")


@pytest.mark.parametrize("reference", ["%00", "ABC-DEF-GH%00", "' OR 1=1 --", "Ж" * 1000, "abc-def-ghj"])
def test_reference_with_odd_characters_is_a_404(login, alice, dana, reference):
    client = login(alice)
    for page in ("", "edit/", "reassign/"):
        assert client.get(f"/cases/{reference}/{page}").status_code == 404
    assert login(dana).get(f"/cases/{reference}/sharing/").status_code == 404


def test_assignee_sees_an_edit_button_the_colleague_no_reassign(login, alice, alice_case):
    page = body(login(alice).get(f"/cases/{alice_case.reference}/"))
    assert f"/cases/{alice_case.reference}/edit/" in page
    assert f"/cases/{alice_case.reference}/reassign/" not in page


def test_coordinator_sees_a_reassign_button(login, bob, alice_case):
    page = body(login(bob).get(f"/cases/{alice_case.reference}/"))
    assert f"/cases/{alice_case.reference}/reassign/" in page


def test_client_page_of_a_visible_case_is_open_to_the_coordinator_not_an_outsider(login, bob, charlie, alice_case):
    url = f"/clients/{alice_case.client.public_id}/"
    assert login(bob).get(url).status_code == 200
    assert login(charlie).get(url).status_code == 404
