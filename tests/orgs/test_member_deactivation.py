"""Deactivating a member stops them signing in; it waits until their open cases are reassigned;
reactivating lets them back in. The last admin stays."""

from django.contrib.auth import get_user_model

from casework.cases.models import Case
from tests import signin
from tests.conftest import VerifiedClient
from tests.factories import CaseFactory
from tests.pages import body, messages_shown, signed_in
from tests.signin import enrol_authenticator

User = get_user_model()


def set_active(client, user, active):
    return client.post(f"/org/members/{user.membership.pk}/active/", {"active": "1" if active else "0"}, follow=True)


def sign_in(client, username, password):
    """Whether the person gets in through the sign-in pages (password and authenticator code)."""
    client.logout()
    enrol_authenticator(User.objects.get(username=username))
    response = signin.sign_in(client, username, password)
    return signed_in(client) and response.redirect_chain[-1][0] != "/accounts/login/"


def test_deactivated_member_can_no_longer_sign_in(login, dana, carol, password):
    response = set_active(login(dana), carol, False)
    assert "Member deactivated." in messages_shown(response)
    assert "Deactivated" in body(response)
    carol.refresh_from_db()
    assert not carol.is_active and not carol.membership.is_active
    assert not sign_in(login(dana), "carol", password)


def test_deactivation_ends_a_session_already_open(client, dana, carol):
    client.force_login(carol)
    assert client.get("/cases/").status_code == 200
    admin = VerifiedClient()
    admin.force_login(dana)
    set_active(admin, carol, False)
    response = client.get("/cases/")
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_member_with_open_cases_is_not_deactivated(login, dana, alice, password):
    CaseFactory(assigned_to=alice)
    response = set_active(login(dana), alice, False)
    assert "Reassign" in messages_shown(response)
    alice.refresh_from_db()
    assert alice.is_active and alice.membership.is_active
    assert sign_in(login(dana), "alice", password)


def test_member_whose_cases_are_all_closed_can_be_deactivated(login, dana, alice):
    case = CaseFactory(assigned_to=alice)
    Case.objects.filter(pk=case.pk).update(status=Case.Status.CLOSED)
    set_active(login(dana), alice, False)
    alice.refresh_from_db()
    assert not alice.is_active


def test_reactivated_member_signs_in_again(login, dana, carol, password, four_eyes_off):
    client = login(dana)
    set_active(client, carol, False)
    response = set_active(client, carol, True)
    assert "Member reactivated." in messages_shown(response)
    assert sign_in(client, "carol", password)


def test_with_four_eyes_a_reactivated_caseworker_waits_for_a_coordinator(login, dana, bob, carol, password):
    client = login(dana)
    set_active(client, carol, False)
    response = set_active(client, carol, True)
    assert "Reactivation waits for a coordinator's confirmation." in messages_shown(response)
    assert not sign_in(client, "carol", password)
    login(bob).post(f"/org/access/{carol.membership.role_requests.get().pk}/", {"decision": "confirm"})
    assert sign_in(client, "carol", password)


def test_last_admin_cannot_be_deactivated(login, dana, password):
    response = set_active(login(dana), dana, False)
    assert "at least one active admin" in messages_shown(response)
    dana.refresh_from_db()
    assert dana.is_active
    assert sign_in(login(dana), "dana", password)


def test_deactivation_needs_a_post(login, dana, carol):
    assert login(dana).get(f"/org/members/{carol.membership.pk}/active/").status_code == 405
    carol.refresh_from_db()
    assert carol.is_active
