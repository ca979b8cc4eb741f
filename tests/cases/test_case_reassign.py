"""A coordinator hands a case to a colleague; nobody can hand it outside the organisation, and a
caseworker cannot reassign."""

import pytest

from casework.orgs.services import member_set_active
from tests.pages import body, errors_shown, messages_shown


def reassign(client, case, user_id):
    return client.post(f"/cases/{case.reference}/reassign/", {"assigned_to": user_id}, follow=True)


def test_coordinator_reassigns_to_a_colleague(login, bob, alice, carol, alice_case):
    response = reassign(login(bob), alice_case, carol.pk)
    assert "Case reassigned." in messages_shown(response)
    alice_case.refresh_from_db()
    assert alice_case.assigned_to == carol
    # Carol now finds it among her cases, and alice no longer sees it.
    assert alice_case.reference in body(login(carol).get("/cases/?mine=on"))
    assert login(alice).get(f"/cases/{alice_case.reference}/").status_code == 404


def test_coordinator_takes_a_case_himself(login, bob, alice_case):
    reassign(login(bob), alice_case, bob.pk)
    alice_case.refresh_from_db()
    assert alice_case.assigned_to == bob


@pytest.mark.parametrize("who", ["charlie", "dana", "deactivated", "nobody", "garbage"])
def test_reassigning_outside_the_organisations_case_people_is_refused(login, bob, alice, carol, charlie, dana,
                                                                       alice_case, who):
    if who == "deactivated":
        member_set_active(membership=carol.membership, active=False, changed_by=dana)
    target = {"charlie": charlie.pk, "dana": dana.pk, "deactivated": carol.pk, "nobody": 999_999, "garbage": "x"}[who]
    response = reassign(login(bob), alice_case, target)
    assert response.status_code == 200
    assert "Select a valid choice" in errors_shown(response)
    alice_case.refresh_from_db()
    assert alice_case.assigned_to == alice


def test_reassign_form_offers_only_colleagues(login, bob, alice, carol, charlie, dana, alice_case):
    page = body(login(bob).get(f"/cases/{alice_case.reference}/reassign/"))
    options = page.split('name="assigned_to"', 1)[1].split("</select>", 1)[0]
    for user in (alice, bob, carol):
        assert f'value="{user.pk}"' in options
    for user in (charlie, dana):
        assert f'value="{user.pk}"' not in options


def test_caseworker_cannot_reassign_her_own_case(login, alice, carol, alice_case):
    client = login(alice)
    assert client.get(f"/cases/{alice_case.reference}/reassign/").status_code == 403
    assert client.post(f"/cases/{alice_case.reference}/reassign/", {"assigned_to": carol.pk}).status_code == 403
    alice_case.refresh_from_db()
    assert alice_case.assigned_to == alice


def test_caseworker_cannot_reassign_a_case_she_does_not_see(login, bob, carol, alice_case):
    response = login(carol).post(f"/cases/{alice_case.reference}/reassign/", {"assigned_to": carol.pk})
    assert response.status_code == 404
    alice_case.refresh_from_db()
    assert alice_case.assigned_to.username == "alice"


def test_partner_coordinator_with_edit_access_cannot_reassign(login, dana, erin, alice, alice_case):
    from casework.cases.services import case_grant

    case_grant(case=alice_case, granted_by=dana, level="edit", user=erin)
    response = login(erin).post(f"/cases/{alice_case.reference}/reassign/", {"assigned_to": erin.pk})
    assert response.status_code == 403
    alice_case.refresh_from_db()
    assert alice_case.assigned_to == alice
