"""Signing in, and where a signed-in person lands."""

import pytest
from django.contrib.auth import get_user_model

import config.settings as production_settings
from casework.orgs.models import Membership
from tests.factories import CaseFactory, MembershipFactory
from tests.pages import body, errors_shown, references_listed, signed_in
from tests.signin import LOGIN, enrol_authenticator, sign_in


def landing(response) -> str:
    return response.redirect_chain[-1][0]


@pytest.mark.django_db
def test_login_page_shows_the_form(client):
    response = client.get(LOGIN)
    assert response.status_code == 200
    assert 'name="username"' in body(response) and 'name="password"' in body(response)


def test_anonymous_visitor_is_sent_to_sign_in(client, alice_case):
    response = client.get(f"/cases/{alice_case.reference}/")
    assert response.status_code == 302
    assert response.url.startswith(LOGIN)


def test_wrong_password_shows_an_error_and_signs_nobody_in(client, alice):
    response = sign_in(client, "alice", "not-her-password")
    assert response.status_code == 200
    assert "correct username and password" in errors_shown(response)
    assert not signed_in(client)


def test_unknown_username_gets_the_same_error(client, alice, password):
    response = sign_in(client, "alicia", password)
    assert "correct username and password" in errors_shown(response)
    assert not signed_in(client)


def test_caseworker_signs_in_and_lands_on_her_own_cases(client, alice, bob, password):
    enrol_authenticator(alice)
    hers = CaseFactory(assigned_to=alice)
    colleagues = CaseFactory(assigned_to=bob)
    response = sign_in(client, "alice", password)
    assert signed_in(client)
    assert landing(response) == "/cases/?mine=on"
    assert "My cases" in body(response)
    assert references_listed(response) == [hers.reference]
    assert colleagues.reference not in body(response)


def test_coordinator_lands_on_his_own_cases_not_the_whole_organisation(login, alice, bob):
    his = CaseFactory(assigned_to=bob)
    CaseFactory(assigned_to=alice)
    response = login(bob).get("/", follow=True)
    assert landing(response) == "/cases/?mine=on"
    assert references_listed(response) == [his.reference]


def test_org_admin_signs_in_and_lands_on_members(client, dana, alice, password):
    enrol_authenticator(dana)
    response = sign_in(client, "dana", password)
    assert landing(response) == "/org/members/"
    assert "alice" in body(response)


def test_signed_in_user_opening_login_goes_to_work(login, alice):
    response = login(alice).get(LOGIN, follow=True)
    assert landing(response) == "/cases/?mine=on"


def test_user_without_membership_sees_an_explanation(login, db):
    user = get_user_model().objects.create_user("loner", password="x" * 20)
    response = login(user).get("/", follow=True)
    assert response.status_code == 200
    assert "not an active member" in body(response)


def test_passwords_are_stored_with_argon2(settings, org):
    settings.PASSWORD_HASHERS = production_settings.PASSWORD_HASHERS
    user = MembershipFactory(organisation=org, username="zarina", role=Membership.Role.CASEWORKER).user
    user.refresh_from_db()
    assert user.password.startswith("argon2$argon2id$")
    assert "correct-horse" not in user.password


def test_sign_in_never_redirects_off_site(client, alice, password):
    enrol_authenticator(alice)
    response = sign_in(client, "alice", password, next="https://evil.example/")
    assert signed_in(client)
    assert all("evil.example" not in url for url, _status in response.redirect_chain)


def test_sign_in_returns_to_the_page_asked_for(client, alice_case, password):
    enrol_authenticator(alice_case.assigned_to)
    target = f"/cases/{alice_case.reference}/"
    response = sign_in(client, "alice", password, next=target)
    assert landing(response) == target and alice_case.reference in body(response)


def test_sign_out_ends_the_session(login, alice_case):
    client = login(alice_case.assigned_to)
    client.post("/accounts/logout/")
    assert not signed_in(client)
    assert client.get(f"/cases/{alice_case.reference}/").status_code == 302
