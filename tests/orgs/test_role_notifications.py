"""The coordinators hear of every new way into client data: a count and a link, in the app and (where the
organisation sends reminder e-mails) by e-mail, never who or which role."""

from django.contrib.auth import get_user_model
from django.core import mail

from casework.deadlines.models import Notification
from casework.orgs.models import Organisation
from casework.orgs.services import member_change_role, member_create, member_set_active, role_request_decide
from casework.platform.services import organisation_suspend
from tests.factories import MembershipFactory

User = get_user_model()


def with_address(user):
    User.objects.filter(pk=user.pk).update(email=f"{user.username}@example.org")
    user.refresh_from_db()
    return user


def notices(kind):
    return list(Notification.objects.filter(kind=kind).order_by("pk").values_list("recipient__username", "count"))


def test_each_active_coordinator_is_told_what_waits_with_a_count(dana, bob, org, erin):
    zarina = MembershipFactory(organisation=org, username="zarina", role="coordinator")
    member_set_active(membership=MembershipFactory(organisation=org, username="rustam", role="coordinator"),
                      active=False, changed_by=None)
    member_create(organisation=org, username="timur", role="caseworker", created_by=dana)
    member_create(organisation=org, username="farida", role="coordinator", created_by=dana)
    assert notices(Notification.Kind.ROLE_PENDING) == [("bob", 1), ("zarina", 1), ("bob", 2), ("zarina", 2)]
    told = Notification.objects.filter(kind=Notification.Kind.ROLE_PENDING).order_by("pk").last()
    assert told.text == "2 requests for access to client data are waiting for your confirmation."
    assert told.url == "/org/access/" and zarina.user == told.recipient


def test_the_member_who_gains_access_is_not_told_about_themselves(dana, bob, alice, four_eyes_off):
    member_change_role(membership=alice.membership, role="coordinator", changed_by=dana)
    assert notices(Notification.Kind.ROLE_GAINED) == [("bob", 1)]
    member_change_role(membership=bob.membership, role="caseworker", changed_by=dana)  # a step down: nothing
    assert notices(Notification.Kind.ROLE_GAINED) == [("bob", 1)]


def test_a_confirmed_role_is_told_to_the_other_coordinators(dana, bob, org):
    zarina = MembershipFactory(organisation=org, username="zarina", role="coordinator").user
    timur = member_create(organisation=org, username="timur", role="caseworker", created_by=dana)
    role_request_decide(request=timur.role_requests.get(), decided_by=zarina, confirm=True)
    assert notices(Notification.Kind.ROLE_GAINED) == [("bob", 1)]  # zarina decided it: no notice of her own act


def test_the_email_says_how_many_and_where_nothing_else(dana, bob, org):
    with_address(bob)
    member_create(organisation=org, username="timur", role="coordinator", first_name="Timur",
                  email="timur@example.org", created_by=dana)
    [message] = mail.outbox
    assert message.to == ["bob@example.org"]
    text = message.subject + message.body
    assert "1 request for access to client data is waiting for your confirmation." in text
    assert message.body.rstrip().endswith("/org/access/")
    for secret in ("timur", "Timur", "coordinator", "Coordinator", "Volga"):
        assert secret not in text


def test_no_email_where_the_organisation_sends_none(dana, bob, org):
    with_address(bob)
    Organisation.objects.filter(pk=org.pk).update(reminder_emails=False)
    member_create(organisation=org, username="timur", role="coordinator", created_by=dana)
    assert mail.outbox == [] and notices(Notification.Kind.ROLE_PENDING) == [("bob", 1)]


def test_nobody_is_told_while_the_organisation_is_suspended(dana, bob, org):
    with_address(bob)
    organisation_suspend(organisation=org, by=None)
    member_create(organisation=org, username="timur", role="coordinator", created_by=dana)
    assert mail.outbox == [] and notices(Notification.Kind.ROLE_PENDING) == []


def test_one_email_per_burst(dana, bob, org):
    with_address(bob)
    for name in ("timur", "farida", "rustam"):
        member_create(organisation=org, username=name, role="caseworker", created_by=dana)
    assert len(mail.outbox) == 1 and len(notices(Notification.Kind.ROLE_PENDING)) == 3
