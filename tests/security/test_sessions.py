"""A session ends when it sits idle (30 minutes, or the organisation's own limit), when its owner
signs out everywhere, when an admin ends it, and when the member is deactivated."""

import pytest

from tests.conftest import VerifiedClient
from tests.pages import messages_shown, signed_in
from tests.security.flows import LOGIN, landed


def device_of(user):
    """A browser (or phone) signed in as `user`, both factors passed."""
    client = VerifiedClient()
    client.force_login(user)
    return client


def sent_to_sign_in(client, url="/cases/"):
    """Whether the page now sends this browser to the sign-in form; returns the page it shows there."""
    response = client.get(url, follow=True)
    return landed(response).startswith(LOGIN) and 'name="password"' in response.content.decode(), response


def test_default_idle_limit_is_30_minutes(clock, alice):
    phone = device_of(alice)
    clock.advance(minutes=29)
    assert phone.get("/cases/").status_code == 200
    clock.advance(minutes=31)
    out, page = sent_to_sign_in(phone)
    assert out
    assert "signed out after 30 minutes without activity" in messages_shown(page)


def test_organisation_with_a_5_minute_limit(clock, org, alice, alice_case):
    org.idle_timeout_minutes = 5
    org.save()
    phone = device_of(alice)
    clock.advance(minutes=4)
    assert phone.get(f"/cases/{alice_case.reference}/").status_code == 200
    clock.advance(minutes=6)
    out, page = sent_to_sign_in(phone, f"/cases/{alice_case.reference}/")
    assert out and not signed_in(phone)
    assert "signed out after 5 minutes without activity" in messages_shown(page)
    assert alice_case.client.family_name not in page.content.decode()
    # The old session is gone, not merely hidden: going back does not revive it.
    assert phone.get("/cases/").status_code == 302


def test_a_sign_in_ends_after_12_hours_however_active(clock, alice):
    phone = device_of(alice)
    for _step in range(35):  # a page every 20 minutes for 11 hours 40 minutes
        clock.advance(minutes=20)
        assert phone.get("/cases/").status_code == 200
    clock.advance(minutes=25)
    out, page = sent_to_sign_in(phone)
    assert out and not signed_in(phone)
    assert "signed in more than 12 hours ago" in messages_shown(page)


def test_the_limit_is_a_setting(clock, settings, alice):
    settings.SIGN_IN_MAX_HOURS = 1
    phone = device_of(alice)
    clock.advance(minutes=25)
    assert phone.get("/cases/").status_code == 200
    clock.advance(minutes=25)
    assert phone.get("/cases/").status_code == 200
    clock.advance(minutes=25)
    out, page = sent_to_sign_in(phone)
    assert out and "signed in more than 1 hour ago" in messages_shown(page)


def test_activity_keeps_the_session_alive(clock, org, alice):
    org.idle_timeout_minutes = 5
    org.save()
    phone = device_of(alice)
    for _step in range(6):  # half an hour of work, a page every 4 minutes
        clock.advance(minutes=4)
        assert phone.get("/cases/").status_code == 200


def test_each_organisation_has_its_own_limit(clock, other_org, alice, charlie):
    other_org.idle_timeout_minutes = 5
    other_org.save()
    alices_phone, charlies_phone = device_of(alice), device_of(charlie)
    clock.advance(minutes=6)
    assert alices_phone.get("/cases/").status_code == 200
    assert sent_to_sign_in(charlies_phone)[0]


def test_sign_out_everywhere_ends_every_session(alice, bob):
    laptop, phone, colleague = device_of(alice), device_of(alice), device_of(bob)
    account = laptop.get("/accounts/")
    assert "Sign out everywhere" in account.content.decode()

    response = laptop.post("/accounts/sign-out-everywhere/", follow=True)
    assert landed(response).startswith(LOGIN)
    assert "signed out on every device" in messages_shown(response)
    assert not signed_in(laptop)

    out, page = sent_to_sign_in(phone)
    assert out and "Your session was ended" in messages_shown(page)
    assert colleague.get("/cases/").status_code == 200, "other people's sessions go on"

    # Signing in afresh works.
    assert device_of(alice).get("/cases/").status_code == 200


def test_sign_out_everywhere_needs_a_post(alice):
    laptop = device_of(alice)
    assert laptop.get("/accounts/sign-out-everywhere/").status_code == 405
    assert laptop.get("/cases/").status_code == 200


def test_admin_ends_a_members_sessions(dana, alice):
    phone = device_of(alice)
    admin = device_of(dana)
    page = admin.get(f"/org/members/{alice.membership.pk}/")
    assert f"/org/members/{alice.membership.pk}/end-sessions/" in page.content.decode()

    response = admin.post(f"/org/members/{alice.membership.pk}/end-sessions/", follow=True)
    assert "All sessions of this member were ended." in messages_shown(response)
    out, page = sent_to_sign_in(phone)
    assert out and "Your session was ended" in messages_shown(page)
    assert admin.get("/org/members/").status_code == 200, "the admin stays signed in"


@pytest.mark.parametrize("who", ["frank", "erin", "bob", "carol"])
def test_nobody_else_ends_a_members_sessions(request, alice, who):
    """Another organisation's admin gets a 404 (the member does not exist for them), as do people
    of alice's own organisation who are not admins."""
    actor = request.getfixturevalue(who)
    phone = device_of(alice)
    response = device_of(actor).post(f"/org/members/{alice.membership.pk}/end-sessions/")
    assert response.status_code == 404
    assert phone.get("/cases/").status_code == 200


def test_deactivated_members_open_session_stops_working(dana, carol):
    phone = device_of(carol)
    assert phone.get("/cases/").status_code == 200
    device_of(dana).post(f"/org/members/{carol.membership.pk}/active/", {"active": "0"})
    assert sent_to_sign_in(phone)[0]
    assert phone.post("/clients/new/", {"family_name": "Test"}).status_code == 302
