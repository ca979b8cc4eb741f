"""A platform operator creates an organisation and invites its first admin, who gets the set-password link by
e-mail (the operator never sees it) and reaches the members page after setting up two factors."""

import re
import smtplib
import uuid

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from casework.audit.models import AccessEvent, Action
from casework.orgs.models import Membership, Organisation
from casework.security.models import Authenticator
from tests.pages import body, errors_shown, messages_shown
from tests.security.flows import SETUP, authenticator_code, landed, password_step

URL = "/platform/new/"
AGAIN = "/platform/organisations/fergana/invitation/"
LINK = re.compile(r"https?://[^/\s]+(/accounts/invitation/[^\s]+/)")


def form(**changes):
    data = {"name": "Ферғана Ҳуқуқ", "slug": "fergana", "country": "UZ", "admin_username": "nodira",
            "admin_email": "nodira@example.org", "language": "en", "submission_token": str(uuid.uuid4())}
    return {**data, **changes}


def nothing_made():
    return (not Organisation.objects.filter(slug="fergana").exists()
            and not get_user_model().objects.filter(username="nodira").exists() and mail.outbox == [])


def test_operator_creates_an_organisation_and_its_admin_is_invited_by_email(login, olga):
    client = login(olga)
    assert client.get(URL).status_code == 200
    response = client.post(URL, form(), follow=True)
    assert landed(response) == "/platform/organisations/fergana/"
    assert "Its first admin was sent an invitation by e-mail." in messages_shown(response)
    organisation = Organisation.objects.get(slug="fergana")
    assert (organisation.name, organisation.country, organisation.four_eyes) == ("Ферғана Ҳуқуқ", "UZ", True)
    admin = Membership.objects.get(organisation=organisation)
    assert (admin.user.username, admin.user.email, admin.role, admin.is_active) == (
        "nodira", "nodira@example.org", "org_admin", True)
    assert not admin.user.has_usable_password()
    [message] = mail.outbox
    assert message.to == ["nodira@example.org"] and olga.email not in message.to
    link = LINK.search(message.body).group(1)
    assert link not in body(response)  # the operator's page never shows it
    events = AccessEvent.objects.filter(organisation=organisation).order_by("pk")
    assert [(e.action, e.actor) for e in events] == [
        (Action.ORG_CREATE, olga), (Action.MEMBER_CREATE, olga), (Action.INVITATION, olga)]


def test_the_admin_sets_a_password_enrols_and_reaches_the_members_page(login, olga, raw_client):
    login(olga).post(URL, form())
    link = LINK.search(mail.outbox[0].body).group(1)
    chosen = "a passphrase for Fergana"
    done = raw_client.post(raw_client.get(link, follow=True).wsgi_request.path,
                           {"new_password1": chosen, "new_password2": chosen}, follow=True)
    assert landed(done) == "/accounts/invitation/done/"
    setup = password_step(raw_client, "nodira", chosen)
    assert landed(setup).startswith(SETUP)
    device = Authenticator.objects.get(user__username="nodira", confirmed=False)
    raw_client.post(landed(setup), {"token": authenticator_code(device)})
    home = raw_client.get("/", follow=True)
    assert landed(home) == "/org/members/" and "nodira" in body(home)


def test_the_admins_pages_start_in_the_invitations_language(login, olga):
    login(olga).post(URL, form(language="ru"))
    assert Membership.objects.get(user__username="nodira").language == "ru"


@pytest.mark.parametrize("changes, field, error", [
    ({"name": ""}, "name", "This field is required."),
    ({"name": "   "}, "name", "This field is required."),
    ({"name": "Ф" * 10_000}, "name", "at most 200 characters"),
    ({"slug": ""}, "slug", "This field is required."),
    ({"slug": "ферғана"}, "slug", "Enter a valid “slug”"),
    ({"slug": "s" * 10_000}, "slug", "at most 60 characters"),
    ({"country": "XX"}, "country", "Select a valid choice. XX is not one of the available choices."),
    ({"country": ""}, "country", "This field is required."),
    ({"admin_username": ""}, "admin_username", "This field is required."),
    ({"admin_username": "nodira kh"}, "admin_username", "Enter a valid username."),
    ({"admin_username": "n" * 10_000}, "admin_username", "at most 150 characters"),
    ({"admin_email": ""}, "admin_email", "This field is required."),
    ({"admin_email": "nodira"}, "admin_email", "Enter a valid email address."),
    ({"admin_email": "n" * 10_000 + "@example.org"}, "admin_email", "Enter a valid email address."),
    ({"language": "de"}, "language", "Select a valid choice."),
])
def test_bad_input_is_refused_with_a_message_and_nothing_is_made(login, olga, changes, field, error):
    response = login(olga).post(URL, form(**changes))
    assert response.status_code == 200
    assert error in errors_shown(response)
    assert nothing_made()


def test_everything_empty_names_every_field(login, olga):
    response = login(olga).post(URL, {name: "" if name != "submission_token" else value for name, value in form().items()})
    assert response.status_code == 200
    assert errors_shown(response).count("This field is required.") == 6
    assert nothing_made()


@pytest.mark.parametrize("changes, error", [
    ({"name": "VOLGA HELP"}, "An organisation with this name exists already."),
    ({"slug": "Volga"}, "This short name is taken by another organisation."),
    ({"admin_username": "Dana"}, "This username is taken."),
])
def test_what_is_taken_is_said_and_nothing_is_made(login, olga, org, dana, changes, error):
    organisations = Organisation.objects.count()
    response = login(olga).post(URL, form(**changes))
    assert error in errors_shown(response)
    assert Organisation.objects.count() == organisations and mail.outbox == []
    assert not get_user_model().objects.filter(username="nodira").exists()


def test_a_double_submit_makes_one_organisation_and_one_invitation(login, olga):
    client, data = login(olga), form()
    first, second = client.post(URL, data), client.post(URL, data)
    assert first.status_code == second.status_code == 302 and first.url == second.url
    assert Organisation.objects.filter(slug="fergana").count() == 1
    assert len(mail.outbox) == 1


def test_a_mail_server_that_fails_leaves_the_admin_uninvited_and_the_operator_sends_it_again(login, olga, monkeypatch):
    """The organisation and its admin are committed before the e-mail goes (never while the trail is locked),
    so they stay; the operator is told, and sends the invitation again from the organisation's page."""
    def refuse(*args, **kwargs):
        raise smtplib.SMTPServerDisconnected("gone")

    client = login(olga)
    with monkeypatch.context() as server:
        server.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", refuse)
        response = client.post(URL, form(), follow=True)
        assert landed(response) == "/platform/organisations/fergana/"
        assert "the invitation e-mail to its admin could not be sent" in messages_shown(response)
        assert "Send the invitation again" in body(response)
        assert Membership.objects.filter(organisation__slug="fergana", user__username="nodira").exists()
        assert not AccessEvent.objects.filter(action=Action.INVITATION).exists()  # nobody was invited
        again = client.post(AGAIN, follow=True)
        assert "could not be sent" in messages_shown(again) and mail.outbox == []
    again = client.post(AGAIN, follow=True)
    assert "Its admin was sent a new invitation by e-mail." in messages_shown(again)
    [message] = mail.outbox
    assert message.to == ["nodira@example.org"] and LINK.search(message.body).group(1) not in body(again)
    assert AccessEvent.objects.filter(action=Action.INVITATION, actor=olga).count() == 1


def test_an_admin_who_set_a_password_is_not_invited_by_the_operator(login, olga):
    client = login(olga)
    client.post(URL, form())
    admin = get_user_model().objects.get(username="nodira")
    admin.set_password("a passphrase for Fergana")
    admin.save()
    page = client.get("/platform/organisations/fergana/")
    assert "Send the invitation again" not in body(page)
    response = client.post(AGAIN, follow=True)
    assert "Every admin of this organisation has set a password already." in messages_shown(response)
    assert len(mail.outbox) == 1  # the first invitation only


def test_the_operator_invites_again_only_an_organisation_that_exists(login, olga):
    assert login(olga).post("/platform/organisations/no-such-organisation/invitation/").status_code == 404
