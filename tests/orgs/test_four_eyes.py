"""No silent way in: an organisation admin (who sees no client data) cannot give themselves or anyone else a
way into the files. With four-eyes on, a caseworker or coordinator role (new, a step up, or a reactivation)
takes effect only once a coordinator other than the admin confirms it; with it off, the coordinators are told
and the trail names the admin."""

import re
from urllib.parse import urlparse

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from casework.audit.models import AccessEvent, Action
from casework.deadlines.models import Notification
from casework.orgs.models import Membership, RoleRequest
from casework.orgs.services import member_change_role, role_request_decide
from tests import signin
from tests.conftest import VerifiedClient
from tests.factories import CaseFactory, MembershipFactory
from tests.pages import body, errors_shown, messages_shown, signed_in

PASSWORD = "plum-orchard-lantern-42"
TIMUR = {"username": "timur", "first_name": "Timur", "last_name": "Rakhimov", "email": "timur@example.org"}


def add_member(client, role="coordinator", **fields):
    return client.post("/org/members/new/", {**TIMUR, "role": role, **fields}, follow=True)


def set_password_from_the_email(message) -> None:
    """What the invited person does with the link in their mailbox."""
    link = urlparse(re.search(r"https?://\S+/accounts/invitation/\S+", message.body).group(0)).path
    person = VerifiedClient()
    set_url = person.get(link, follow=True).redirect_chain[-1][0]
    person.post(set_url, {"new_password1": PASSWORD, "new_password2": PASSWORD})


def reaches_client_data(username, client_record) -> bool:
    """Whether the person, signing in through the pages with their password and authenticator, gets to the
    client list and to a client's page."""
    person = VerifiedClient()
    signin.enrol_authenticator(Membership.objects.get(user__username=username).user)
    signin.sign_in(person, username, PASSWORD)
    if not signed_in(person):
        return False
    pages = [person.get("/clients/"), person.get(f"/clients/{client_record.public_id}/")]
    return all(page.status_code == 200 for page in pages) and client_record.family_name in body(pages[1])


def decide(client, role_request, decision):
    return client.post(f"/org/access/{role_request.pk}/", {"decision": decision}, follow=True)


def trail(*actions):
    """Who did what, past the members the test's cast was made with (by a script: no actor)."""
    return list(AccessEvent.objects.filter(action__in=actions, actor__isnull=False).order_by("pk")
                .values_list("actor__username", "action"))


# --- The admin loophole ----------------------------------------------------------------------------------


def test_with_four_eyes_an_admins_new_coordinator_reaches_nothing_until_a_coordinator_confirms(
    login, dana, bob, alice_client,
):
    response = add_member(login(dana))
    assert "once a coordinator confirms their role" in messages_shown(response)
    assert "/accounts/invitation/" not in body(response)  # the admin holds no way in
    timur = Membership.objects.get(user__username="timur")
    assert (timur.role, timur.is_active, timur.user.is_active) == ("coordinator", False, False)
    [waiting] = RoleRequest.objects.filter(status="pending")
    assert (waiting.membership, waiting.role, waiting.requested_by) == (timur, "coordinator", dana)
    # The invitation went to the person, who may set a password already; signing in waits.
    [invitation] = mail.outbox
    assert invitation.to == ["timur@example.org"]
    set_password_from_the_email(invitation)
    assert not reaches_client_data("timur", alice_client)
    # Even a session opened for the account some other way finds no client page.
    forced = VerifiedClient()
    forced.force_login(timur.user)
    for url in ("/clients/", f"/clients/{alice_client.public_id}/"):
        page = forced.get(url)
        assert page.status_code == 404 or page.url.startswith("/accounts/login/"), url

    coordinator = login(bob)
    listed = coordinator.get("/org/access/")
    assert "Timur Rakhimov" in body(listed) and "timur@example.org" in body(listed)
    assert "Role confirmed." in messages_shown(decide(coordinator, waiting, "confirm"))
    timur.refresh_from_db()
    assert (timur.is_active, timur.user.is_active) == (True, True)
    assert timur.user.groups.filter(pk=timur.organisation.group_id).exists()
    assert reaches_client_data("timur", alice_client)
    assert trail(Action.MEMBER_CREATE, Action.ROLE_REQUEST, Action.INVITATION, Action.ROLE_CONFIRM) == [
        ("dana", Action.MEMBER_CREATE), ("dana", Action.ROLE_REQUEST), ("dana", Action.INVITATION),
        ("bob", Action.ROLE_CONFIRM),
    ]


def test_without_four_eyes_the_coordinators_are_told_and_the_trail_names_the_admin(
    login, dana, bob, erin, alice_client, four_eyes_off,
):
    add_member(login(dana), email="")  # no address: the admin is shown a one-time link
    timur = Membership.objects.get(user__username="timur")
    assert timur.is_active and not RoleRequest.objects.exists()
    [told] = Notification.objects.filter(kind=Notification.Kind.ROLE_GAINED)
    assert (told.recipient, told.count) == (bob, 1)
    assert "timur" not in told.text.lower() and "Rakhimov" not in told.text
    event = AccessEvent.objects.get(action=Action.MEMBER_CREATE, actor__isnull=False)
    assert (event.actor, event.organisation, event.detail) == (dana, timur.organisation,
                                                               f"member={timur.pk} role=coordinator")
    assert AccessEvent.objects.get(action=Action.INVITATION).detail == f"member={timur.pk} shown=yes"
    assert not Notification.objects.filter(recipient=erin).exists()
    # The coordinators' notice leads to who reaches client data now.
    page = login(bob).get(told.url)
    assert page.status_code == 200 and "Timur Rakhimov" in body(page)


# --- Confirming, refusing, withdrawing --------------------------------------------------------------------


@pytest.fixture
def timur_waits(login, dana, bob):
    add_member(login(dana))
    return RoleRequest.objects.get(membership__user__username="timur")


def test_the_coordinator_is_told_and_finds_the_request_from_the_navigation(login, bob, alice, timur_waits):
    [told] = Notification.objects.filter(kind=Notification.Kind.ROLE_PENDING)
    assert (told.recipient, told.count, told.url) == (bob, 1, "/org/access/")
    assert told.text == "1 request for access to client data is waiting for your confirmation."
    home = body(login(bob).get("/notifications/"))
    assert 'href="/org/access/">To confirm <span class="tag urgent">1</span>' in home
    assert "/org/access/" not in body(login(alice).get("/notifications/"))


def test_the_members_list_and_page_show_what_waits(login, dana, timur_waits):
    client = login(dana)
    assert "Waiting for confirmation" in body(client.get("/org/members/"))
    page = body(client.get(f"/org/members/{timur_waits.membership_id}/"))
    assert "Coordinator, asked for by" in page and "Withdraw the request" in page
    assert "cannot sign in until a coordinator" in page


def test_a_refused_new_member_stays_inactive(login, bob, timur_waits, alice_client):
    response = decide(login(bob), timur_waits, "refuse")
    assert "Role refused." in messages_shown(response)
    timur_waits.refresh_from_db()
    assert (timur_waits.status, timur_waits.decided_by) == ("refused", bob)
    timur = timur_waits.membership
    timur.refresh_from_db()
    assert not timur.is_active
    assert trail(Action.ROLE_REFUSE) == [("bob", Action.ROLE_REFUSE)]
    assert not Notification.objects.filter(kind=Notification.Kind.ROLE_GAINED).exists()


def test_the_admin_withdraws_a_waiting_role(login, dana, bob, timur_waits):
    client = login(dana)
    url = f"/org/members/{timur_waits.membership_id}/withdraw/"
    assert "The request was withdrawn." in messages_shown(client.post(url, follow=True))
    assert "Nothing is waiting" in messages_shown(client.post(url, follow=True))  # a second click
    timur_waits.refresh_from_db()
    assert timur_waits.status == "withdrawn"
    assert "Nothing is waiting for your confirmation." in body(login(bob).get("/org/access/"))
    assert "already decided or withdrawn" in messages_shown(decide(login(bob), timur_waits, "confirm"))
    assert not Membership.objects.get(pk=timur_waits.membership_id).is_active
    assert AccessEvent.objects.filter(action=Action.ROLE_WITHDRAW).count() == 1


def test_a_step_up_waits_and_the_member_keeps_their_role(login, dana, bob, alice):
    bobs_case = CaseFactory(assigned_to=bob)
    response = login(dana).post(f"/org/members/{alice.membership.pk}/", {"role": "coordinator"}, follow=True)
    assert "waits for a coordinator's confirmation" in messages_shown(response)
    alice.membership.refresh_from_db()
    assert alice.membership.role == "caseworker"
    assert login(alice).get(f"/cases/{bobs_case.reference}/").status_code == 404
    decide(login(bob), alice.membership.role_requests.get(), "confirm")
    alice.membership.refresh_from_db()
    assert alice.membership.role == "coordinator"
    assert login(alice).get(f"/cases/{bobs_case.reference}/").status_code == 200
    assert trail(Action.ROLE_REQUEST, Action.ROLE_CONFIRM) == [("dana", Action.ROLE_REQUEST),
                                                               ("bob", Action.ROLE_CONFIRM)]


def test_a_step_down_needs_no_confirmation(login, dana, bob, org):
    MembershipFactory(organisation=org, username="zarina", role="coordinator")
    login(dana).post(f"/org/members/{bob.membership.pk}/", {"role": "caseworker"})
    bob.membership.refresh_from_db()
    assert bob.membership.role == "caseworker" and not RoleRequest.objects.exists()
    assert AccessEvent.objects.get(action=Action.ROLE_CHANGE).detail == (
        f"member={bob.membership.pk} role=caseworker previous=coordinator")


def test_an_admin_becoming_a_caseworker_waits_and_then_receives_shared_cases(login, dana, bob, org):
    MembershipFactory(organisation=org, username="gulnara", role="org_admin")
    login(dana).post(f"/org/members/{dana.membership.pk}/", {"role": "caseworker"})
    dana.membership.refresh_from_db()
    assert dana.membership.role == "org_admin" and not dana.groups.exists()
    decide(login(bob), dana.membership.role_requests.get(), "confirm")
    dana.membership.refresh_from_db()
    assert dana.membership.role == "caseworker" and dana.groups.filter(pk=org.group_id).exists()


def test_another_role_while_one_waits_is_refused_until_it_is_withdrawn(login, dana, timur_waits):
    client = login(dana)
    url = f"/org/members/{timur_waits.membership_id}/"
    response = client.post(url, {"role": "caseworker"})
    assert "Withdraw it first" in errors_shown(response)
    assert client.post(url, {"role": "coordinator"}).status_code == 302  # the same role again: it waits already
    assert RoleRequest.objects.get().status == "pending"
    assert Membership.objects.get(pk=timur_waits.membership_id).role == "coordinator"


def test_deactivating_a_member_withdraws_what_waits_for_them(login, dana, alice):
    member_change_role(membership=alice.membership, role="coordinator", changed_by=dana)
    login(dana).post(f"/org/members/{alice.membership.pk}/active/", {"active": "0"})
    assert RoleRequest.objects.get().status == "withdrawn"
    assert not Membership.objects.get(pk=alice.membership.pk).is_active


# --- Who may decide ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["alice", "dana", "erin", "frank"])
def test_a_caseworker_an_admin_or_another_organisation_cannot_confirm(request, login, timur_waits, who):
    client = login(request.getfixturevalue(who))
    assert client.post(f"/org/access/{timur_waits.pk}/", {"decision": "confirm"}).status_code == 404
    listed = client.get("/org/access/")
    assert listed.status_code == 404 or "Timur" not in body(listed)  # erin coordinates another organisation
    timur_waits.refresh_from_db()
    assert timur_waits.status == "pending"


@pytest.mark.parametrize("request_id", ["999999", "0"])
def test_a_request_that_does_not_exist_is_a_404(login, bob, request_id):
    assert login(bob).post(f"/org/access/{request_id}/", {"decision": "confirm"}).status_code == 404


def test_decisions_need_a_post_and_a_known_decision(login, bob, timur_waits):
    client = login(bob)
    assert client.get(f"/org/access/{timur_waits.pk}/").status_code == 405
    for decision in ("", "maybe", "confirm" * 2_000):
        assert "Choose whether to confirm or refuse" in messages_shown(decide(client, timur_waits, decision))
    timur_waits.refresh_from_db()
    assert timur_waits.status == "pending"


def test_a_coordinator_who_asked_cannot_confirm_their_own_request(dana, bob, alice, org):
    """Only admins ask through the pages; a service caller that names a coordinator as the asker still needs
    another coordinator."""
    member_change_role(membership=alice.membership, role="coordinator", changed_by=bob)
    waiting = RoleRequest.objects.get()
    with pytest.raises(PermissionDenied):
        role_request_decide(request=waiting, decided_by=bob, confirm=True)
    zarina = MembershipFactory(organisation=org, username="zarina", role="coordinator").user
    role_request_decide(request=waiting, decided_by=zarina, confirm=True)
    assert Membership.objects.get(pk=alice.membership.pk).role == "coordinator"


def test_a_platform_operator_confirms_only_where_no_coordinator_is_active(login, dana, olga, org):
    add_member(login(dana))  # Volga Help's first coordinator: nobody inside can confirm
    waiting = RoleRequest.objects.get()
    role_request_decide(request=waiting, decided_by=olga, confirm=True)
    event = AccessEvent.objects.get(action=Action.ROLE_CONFIRM)
    assert (event.actor, event.organisation) == (olga, org)
    MembershipFactory(organisation=org, username="gulnara", role="org_admin")
    member_change_role(membership=dana.membership, role="caseworker", changed_by=dana)
    with pytest.raises(PermissionDenied):  # now timur, an active coordinator, decides
        role_request_decide(request=RoleRequest.objects.get(status="pending"), decided_by=olga, confirm=True)


# --- Bad input and repeated clicks ------------------------------------------------------------------------


def test_an_empty_form_creates_nobody(login, dana):
    response = login(dana).post("/org/members/new/", {})
    assert errors_shown(response).count("This field is required.") == 3  # username, e-mail, role
    assert Membership.objects.count() == 1


def test_the_last_admin_cannot_ask_to_become_a_coordinator(login, dana, bob):
    response = login(dana).post(f"/org/members/{dana.membership.pk}/", {"role": "coordinator"})
    assert "at least one active admin" in errors_shown(response)
    dana.membership.refresh_from_db()
    assert dana.membership.role == "org_admin" and not RoleRequest.objects.exists()
    assert not AccessEvent.objects.filter(action__in=[Action.ROLE_REQUEST, Action.ROLE_CHANGE]).exists()


def test_the_last_admin_waiting_to_step_down_is_not_let_go_when_the_other_leaves(login, dana, bob, org):
    gulnara = MembershipFactory(organisation=org, username="gulnara", role="org_admin")
    member_change_role(membership=dana.membership, role="caseworker", changed_by=dana)
    member_change_role(membership=gulnara, role="caseworker", changed_by=None)  # by a script, at once
    response = decide(login(bob), RoleRequest.objects.get(), "confirm")
    assert "at least one active admin" in messages_shown(response)
    dana.membership.refresh_from_db()
    assert dana.membership.role == "org_admin" and RoleRequest.objects.get().status == "pending"


def test_creating_twice_makes_one_member(login, dana, bob):
    client = login(dana)
    add_member(client)
    again = add_member(client)
    assert "This username is taken." in errors_shown(again)
    assert Membership.objects.filter(user__username="timur").count() == 1
    assert RoleRequest.objects.count() == 1 and len(mail.outbox) == 1
    assert trail(Action.MEMBER_CREATE) == [("dana", Action.MEMBER_CREATE)]


def test_confirming_twice_confirms_once(login, bob, timur_waits):
    client = login(bob)
    assert "Role confirmed." in messages_shown(decide(client, timur_waits, "confirm"))
    second = decide(client, timur_waits, "refuse")
    assert "already decided or withdrawn" in messages_shown(second)
    timur_waits.refresh_from_db()
    assert timur_waits.status == "confirmed"
    assert AccessEvent.objects.filter(action__in=[Action.ROLE_CONFIRM, Action.ROLE_REFUSE, Action.ROLE_WITHDRAW]).count() == 1


def test_service_refusals_are_clear(dana, bob, timur_waits):
    role_request_decide(request=timur_waits, decided_by=bob, confirm=False)
    with pytest.raises(ValidationError, match="already decided or withdrawn"):
        role_request_decide(request=timur_waits, decided_by=bob, confirm=True)
    with pytest.raises(ValidationError, match="Unknown role"):
        member_change_role(membership=bob.membership, role="superuser", changed_by=dana)
