"""Adding a member: the invitation to set a password goes to the new member's own e-mail address (with
four-eyes off and no address, the admin is shown a one-time link instead); the new member sets a password
with it and signs in. Bad usernames create nobody."""

import re
from urllib.parse import urlparse

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from casework.audit.models import AccessEvent, Action
from casework.orgs.models import Membership
from tests.pages import body, errors_shown, messages_shown, signed_in

User = get_user_model()
NEW_PASSWORD = "plum-orchard-lantern-42"
FARIDA = {"username": "farida", "first_name": "Farida", "last_name": "Nazarova", "email": "farida@example.org"}


def emailed_link(message) -> str:
    return urlparse(re.search(r"https?://\S+/accounts/invitation/\S+", message.body).group(0)).path


def shown_link(response) -> str:
    page = body(response)
    url = page.split('aria-label="Invitation link"', 1)[0].rsplit('value="', 1)[1].split('"', 1)[0]
    return urlparse(url).path


@pytest.fixture
def invited(login, dana, four_eyes_off):
    """Farida, a caseworker added where four-eyes is off, so she can sign in at once."""
    response = login(dana).post("/org/members/new/", {**FARIDA, "role": "caseworker"}, follow=True)
    assert response.status_code == 200
    return response


def test_admin_adds_a_member_and_the_invitation_goes_to_their_address(invited, org):
    assert "Member added." in messages_shown(invited)
    assert "sent to the member's e-mail address" in messages_shown(invited)
    assert "/accounts/invitation/" not in body(invited)  # nothing the admin could use
    [message] = mail.outbox
    assert message.to == ["farida@example.org"] and emailed_link(message).startswith("/accounts/invitation/")
    # What a password-reset e-mail says: the username and the link, not the organisation or the person.
    assert "farida" in message.body and "Volga" not in message.body + message.subject
    assert "Nazarova" not in message.body + message.subject
    membership = Membership.objects.get(user__username="farida")
    assert (membership.organisation, membership.role, membership.is_active) == (org, "caseworker", True)
    assert not membership.user.has_usable_password()
    assert AccessEvent.objects.filter(action=Action.INVITATION, detail=f"member={membership.pk} shown=no").exists()


def test_new_member_appears_in_the_list(invited, client):
    assert "Farida Nazarova" in body(client.get("/org/members/"))


def test_invitation_lets_the_member_set_a_password_and_sign_in(invited, client):
    link = emailed_link(mail.outbox[0])
    client.logout()
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200 and 'name="new_password1"' in body(form_page)
    set_url = form_page.redirect_chain[-1][0]
    done = client.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}, follow=True)
    assert "Password set" in body(done)
    response = client.post("/accounts/login/", {"username": "farida", "password": NEW_PASSWORD}, follow=True)
    assert signed_in(client)
    # First sign-in continues with enrolling the second factor.
    assert response.redirect_chain[-1][0].startswith("/accounts/two-factor/setup/")


def test_invitation_works_only_once(invited, client):
    link = emailed_link(mail.outbox[0])
    client.logout()
    set_url = client.get(link, follow=True).redirect_chain[-1][0]
    client.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    again = client.get(link, follow=True)
    assert "invalid or has already been used" in body(again)
    assert 'name="new_password1"' not in body(again)


def test_weak_password_is_refused_on_the_invitation_page(invited, client):
    link = emailed_link(mail.outbox[0])
    client.logout()
    set_url = client.get(link, follow=True).redirect_chain[-1][0]
    response = client.post(set_url, {"new_password1": "farida", "new_password2": "farida"})
    assert "too short" in errors_shown(response)
    assert not User.objects.get(username="farida").has_usable_password()


def test_without_four_eyes_or_an_address_the_admin_sees_a_link_once(login, dana, four_eyes_off, client):
    response = login(dana).post("/org/members/new/", {"username": "farida", "role": "caseworker"})
    assert "shown only this once" in body(response) and mail.outbox == []
    link = shown_link(response)
    membership = Membership.objects.get(user__username="farida")
    assert AccessEvent.objects.filter(action=Action.INVITATION, actor=dana,
                                      detail=f"member={membership.pk} shown=yes").exists()
    client.logout()
    assert 'name="new_password1"' in body(client.get(link, follow=True))


def test_with_four_eyes_on_the_address_is_required_and_no_link_is_shown(login, dana):
    response = login(dana).post("/org/members/new/", {"username": "farida", "role": "org_admin"})
    assert "This field is required." in errors_shown(response)
    assert not User.objects.filter(username="farida").exists()
    response = login(dana).post("/org/members/new/", {**FARIDA, "role": "org_admin"}, follow=True)
    assert "/accounts/invitation/" not in body(response) and len(mail.outbox) == 1


def test_a_lost_invitation_is_sent_again_to_the_member(login, dana, alice):
    alice.email = "alice@example.org"
    alice.save()
    response = login(dana).post(f"/org/members/{alice.membership.pk}/invitation/", follow=True)
    assert "sent to the member's e-mail address" in messages_shown(response)
    assert "/accounts/invitation/" not in body(response)
    assert [m.to for m in mail.outbox] == [["alice@example.org"]]


def test_with_four_eyes_on_a_member_without_an_address_gets_no_link(login, dana, alice):
    response = login(dana).post(f"/org/members/{alice.membership.pk}/invitation/", follow=True)
    assert "no e-mail address" in messages_shown(response)
    assert "/accounts/invitation/" not in body(response) and mail.outbox == []
    assert not AccessEvent.objects.filter(action=Action.INVITATION).exists()


def test_a_mail_server_failure_keeps_the_member_and_says_so(login, dana, settings, four_eyes_off):
    settings.EMAIL_BACKEND = "tests.orgs.failing_mail.Backend"
    response = login(dana).post("/org/members/new/", {**FARIDA, "role": "caseworker"}, follow=True)
    assert "could not be sent" in messages_shown(response)
    assert User.objects.filter(username="farida").exists()
    assert not AccessEvent.objects.filter(action=Action.INVITATION).exists()


def test_nobody_signs_in_before_setting_a_password(invited, client):
    client.logout()
    client.post("/accounts/login/", {"username": "farida", "password": ""})
    assert not signed_in(client)


def test_admin_can_add_another_admin(login, dana):
    login(dana).post("/org/members/new/", {"username": "gulnara", "email": "g@example.org", "role": "org_admin"})
    assert Membership.objects.get(user__username="gulnara").role == "org_admin"


@pytest.mark.parametrize(
    "username, error",
    [
        ("alice", "This username is taken."),
        ("ALICE", "This username is taken."),
        ("Alice", "This username is taken."),
        ("", "This field is required."),
        ("   ", "This field is required."),
        ("al ice", "Enter a valid username"),
        ("alice!", "Enter a valid username"),
        ("<script>", "Enter a valid username"),
        ("a" * 151, "at most 150 characters"),
        ("a" * 10_000, "at most 150 characters"),
    ],
)
def test_bad_username_creates_nobody(login, dana, alice, username, error):
    before = User.objects.count()
    response = login(dana).post("/org/members/new/", {"username": username, "role": "caseworker"})
    assert response.status_code == 200
    assert error in errors_shown(response)
    assert User.objects.count() == before


@pytest.mark.parametrize(
    "field, value, error",
    [
        ("email", "not-an-email", "Enter a valid email address."),
        ("first_name", "Ж" * 10_000, "at most 150 characters"),
        ("last_name", "Ж" * 10_000, "at most 150 characters"),
        ("email", "a@" + "b" * 10_000 + ".org", "Enter a valid email address."),
    ],
)
def test_bad_details_create_nobody(login, dana, field, value, error):
    response = login(dana).post("/org/members/new/", {"username": "farida", "role": "caseworker", field: value})
    assert response.status_code == 200
    assert error in errors_shown(response)
    assert not User.objects.filter(username="farida").exists()


@pytest.mark.parametrize("role", ["", "superuser", "admin"])
def test_bad_role_creates_nobody(login, dana, role):
    response = login(dana).post("/org/members/new/", {"username": "farida", "role": role})
    assert response.status_code == 200 and errors_shown(response)
    assert not User.objects.filter(username="farida").exists()


def test_username_taken_in_another_organisation_is_refused_too(login, dana, charlie):
    response = login(dana).post("/org/members/new/", {"username": "Charlie", "role": "caseworker"})
    assert "This username is taken." in errors_shown(response)
