"""Changing a member's role changes what they see; the organisation always keeps an admin. (With four-eyes on,
a step towards more client data waits for a coordinator: tests/orgs/test_four_eyes.py.)"""

from casework.orgs.models import Membership
from tests.factories import CaseFactory, MembershipFactory
from tests.pages import body, errors_shown, messages_shown


def change_role(client, user, role):
    return client.post(f"/org/members/{user.membership.pk}/", {"role": role}, follow=True)


def test_admin_promotes_a_caseworker_to_coordinator(login, dana, alice, bob, four_eyes_off):
    bobs_case = CaseFactory(assigned_to=bob)
    assert login(alice).get(f"/cases/{bobs_case.reference}/").status_code == 404
    response = change_role(login(dana), alice, "coordinator")
    assert "Role changed." in messages_shown(response)
    alice.membership.refresh_from_db()
    assert alice.membership.role == "coordinator"
    assert login(alice).get(f"/cases/{bobs_case.reference}/").status_code == 200


def test_member_made_admin_loses_case_pages(login, dana, bob):
    change_role(login(dana), bob, "org_admin")
    client = login(bob)
    assert client.get("/cases/").status_code == 404
    assert client.get("/org/members/").status_code == 200


def test_last_admin_cannot_be_demoted(login, dana):
    response = change_role(login(dana), dana, "caseworker")
    assert "at least one active admin" in errors_shown(response)
    dana.membership.refresh_from_db()
    assert dana.membership.role == "org_admin"


def test_an_admin_can_step_down_when_another_remains(login, dana, org, four_eyes_off):
    MembershipFactory(organisation=org, username="gulnara", role=Membership.Role.ORG_ADMIN)
    change_role(login(dana), dana, "coordinator")
    dana.membership.refresh_from_db()
    assert dana.membership.role == "coordinator"


def test_a_deactivated_admin_does_not_count_as_the_remaining_admin(login, dana, org):
    from casework.orgs.services import member_set_active

    gulnara = MembershipFactory(organisation=org, username="gulnara", role=Membership.Role.ORG_ADMIN)
    member_set_active(membership=gulnara, active=False, changed_by=dana)
    response = change_role(login(dana), dana, "caseworker")
    assert "at least one active admin" in errors_shown(response)
    dana.membership.refresh_from_db()
    assert dana.membership.role == "org_admin"


def test_unknown_role_is_refused(login, dana, alice):
    response = change_role(login(dana), alice, "superuser")
    assert "Select a valid choice" in errors_shown(response)
    alice.membership.refresh_from_db()
    assert alice.membership.role == "caseworker"


def test_member_page_shows_the_current_role(login, dana, bob):
    page = body(login(dana).get(f"/org/members/{bob.membership.pk}/"))
    assert '<option value="coordinator" selected>' in page
