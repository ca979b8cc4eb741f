"""Editing a case: its assignee and the coordinator may; a colleague or outsider may not."""

import pytest

from tests.pages import errors_shown, messages_shown


def edit(client, case, **changes):
    data = {"case_type": case.case_type, "jurisdiction": case.jurisdiction} | changes
    return client.post(f"/cases/{case.reference}/edit/", data, follow=True)


def test_assignee_edits_her_case(login, alice, alice_case):
    response = edit(login(alice), alice_case, jurisdiction="KG")
    assert response.redirect_chain[-1][0] == f"/cases/{alice_case.reference}/"
    assert "Case updated." in messages_shown(response)
    assert "Kyrgyzstan" in response.content.decode()
    alice_case.refresh_from_db()
    assert alice_case.jurisdiction == "KG"


def test_coordinator_edits_a_colleagues_case(login, bob, alice_case):
    edit(login(bob), alice_case, jurisdiction="TJ")
    alice_case.refresh_from_db()
    assert alice_case.jurisdiction == "TJ"


def test_edit_form_shows_current_values(login, alice, alice_case):
    page = login(alice).get(f"/cases/{alice_case.reference}/edit/").content.decode()
    assert '<option value="RU" selected>' in page


@pytest.mark.parametrize("jurisdiction", ["XX", "", "ru"])
def test_bad_jurisdiction_changes_nothing(login, alice, alice_case, jurisdiction):
    response = edit(login(alice), alice_case, jurisdiction=jurisdiction)
    assert response.status_code == 200 and errors_shown(response)
    alice_case.refresh_from_db()
    assert alice_case.jurisdiction == "RU"


def test_colleague_caseworker_and_outsider_get_404(login, carol, alice_case, charlie):
    for user in (carol, charlie):
        client = login(user)
        assert client.get(f"/cases/{alice_case.reference}/edit/").status_code == 404
        assert edit(client, alice_case, jurisdiction="KZ").status_code == 404
    alice_case.refresh_from_db()
    assert alice_case.jurisdiction == "RU"


def test_org_admin_cannot_edit(login, dana, alice_case):
    assert edit(login(dana), alice_case, jurisdiction="KZ").status_code == 404
    alice_case.refresh_from_db()
    assert alice_case.jurisdiction == "RU"
