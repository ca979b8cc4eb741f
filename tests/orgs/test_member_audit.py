"""Every change to the members is in the trail, written by its service in the same transaction (so a script
leaves the same trail as a page, and a change undone leaves none), with ids only in the detail; the pages
record nothing more."""

import pytest
from django.db import transaction

from casework.audit.models import AccessEvent, Action
from casework.orgs import services
from casework.orgs.models import Membership
from casework.security.models import SessionFence
from casework.security.services import sessions_end
from tests.pages import messages_shown

ADDRESS = "198.51.100.23"


def events(**filters):
    return list(AccessEvent.objects.filter(actor__isnull=False, **filters).order_by("pk")
                .values_list("actor__username", "action", "detail"))


def test_a_change_undone_leaves_no_event(dana, org):
    with pytest.raises(RuntimeError), transaction.atomic():
        services.member_create(organisation=org, username="timur", role="org_admin", created_by=dana)
        raise RuntimeError("the caller's transaction fails afterwards")
    assert not Membership.objects.filter(user__username="timur").exists()
    assert events() == []


def test_each_service_names_its_actor_and_the_member_by_id(dana, bob, alice, org, four_eyes_off):
    timur = services.member_create(organisation=org, username="timur", role="caseworker", created_by=dana)
    services.member_change_role(membership=timur, role="coordinator", changed_by=dana)
    services.member_set_active(membership=timur, active=False, changed_by=dana)
    services.member_set_active(membership=timur, active=True, changed_by=dana)
    link = services.member_invite(membership=timur, invited_by=dana, show_link=True)
    sessions_end(user=timur.user, ended_by=dana)
    assert link.startswith("/accounts/invitation/")
    m = timur.pk
    assert events() == [
        ("dana", Action.MEMBER_CREATE, f"member={m} role=caseworker"),
        ("dana", Action.ROLE_CHANGE, f"member={m} role=coordinator previous=caseworker"),
        ("dana", Action.MEMBER_DEACTIVATE, f"member={m}"),
        ("dana", Action.MEMBER_REACTIVATE, f"member={m}"),
        ("dana", Action.INVITATION, f"member={m} shown=yes"),
        ("dana", Action.SESSIONS_END, f"member={m}"),
    ]
    assert set(AccessEvent.objects.filter(actor=dana).values_list("organisation", flat=True)) == {org.pk}


def test_a_repeated_change_records_nothing_more(dana, alice):
    services.member_set_active(membership=alice.membership, active=False, changed_by=dana)
    services.member_set_active(membership=alice.membership, active=False, changed_by=dana)
    services.member_change_role(membership=alice.membership, role="caseworker", changed_by=dana)
    assert [action for _who, action, _detail in events()] == [Action.MEMBER_DEACTIVATE]


def test_the_pages_record_each_change_once(login, dana, carol, four_eyes_off):
    client = login(dana)
    client.post("/org/members/new/", {"username": "timur", "role": "caseworker"}, REMOTE_ADDR=ADDRESS)
    timur = Membership.objects.get(user__username="timur")
    client.post(f"/org/members/{timur.pk}/", {"role": "coordinator"}, REMOTE_ADDR=ADDRESS)
    client.post(f"/org/members/{carol.membership.pk}/active/", {"active": "0"}, REMOTE_ADDR=ADDRESS)
    client.post(f"/org/members/{carol.membership.pk}/end-sessions/", REMOTE_ADDR=ADDRESS)
    assert [action for _who, action, _detail in events(action__in=[
        Action.MEMBER_CREATE, Action.INVITATION, Action.ROLE_CHANGE, Action.MEMBER_DEACTIVATE, Action.SESSIONS_END,
    ])] == [Action.MEMBER_CREATE, Action.INVITATION, Action.ROLE_CHANGE, Action.MEMBER_DEACTIVATE,
            Action.SESSIONS_END]
    assert set(AccessEvent.objects.filter(actor=dana).exclude(action=Action.SIGN_IN)
               .values_list("ip_address", flat=True)) == {ADDRESS}


def test_signing_out_everywhere_is_recorded_as_the_persons_own(login, alice):
    client = login(alice)
    client.post("/accounts/sign-out-everywhere/")
    assert SessionFence.objects.filter(user=alice).exists()
    assert events(action=Action.SESSIONS_END) == [("alice", Action.SESSIONS_END, f"member={alice.membership.pk}")]


def test_an_admin_ending_a_members_sessions_is_told_and_recorded(login, dana, carol):
    response = login(dana).post(f"/org/members/{carol.membership.pk}/end-sessions/", follow=True)
    assert "All sessions of this member were ended." in messages_shown(response)
    assert events(action=Action.SESSIONS_END) == [("dana", Action.SESSIONS_END, f"member={carol.membership.pk}")]


def test_sessions_of_someone_without_a_membership_are_recorded_by_user(dana, olga):
    sessions_end(user=olga, ended_by=olga)
    assert events(action=Action.SESSIONS_END) == [("olga", Action.SESSIONS_END, f"user={olga.pk}")]
