"""Signing in, failing to, and signing out are audited with the address they came from; what was
typed into a failed sign-in is never kept."""

import pytest

from casework.audit.models import AccessEvent, Action

ADDRESS = "203.0.113.7"


def sign_in(http, username, password):
    return http.post("/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=ADDRESS)


def test_sign_in_is_recorded(raw_client, alice, password):
    sign_in(raw_client, "alice", password)
    event = AccessEvent.objects.get(action=Action.SIGN_IN)
    assert (event.actor, event.organisation, event.ip_address) == (alice, alice.membership.organisation, ADDRESS)


def test_a_wrong_password_is_recorded_against_the_account(raw_client, alice):
    sign_in(raw_client, "alice", "not-her-password")
    event = AccessEvent.objects.get(action=Action.SIGN_IN_FAILED)
    assert (event.action, event.actor, event.organisation, event.ip_address) == (
        Action.SIGN_IN_FAILED, alice, alice.membership.organisation, ADDRESS
    )


@pytest.mark.parametrize("typed", ["Тошпулатова Мадина", "madina.t"])
def test_an_unknown_username_is_recorded_without_what_was_typed(raw_client, alice, password, typed):
    """People type their own or a client's name into the wrong box: it must not land in the trail."""
    sign_in(raw_client, typed, password)
    event = AccessEvent.objects.get(action=Action.SIGN_IN_FAILED)
    assert (event.action, event.actor, event.organisation, event.ip_address) == (Action.SIGN_IN_FAILED, None, None, ADDRESS)
    assert typed not in str(list(AccessEvent.objects.values_list()))


def test_a_deactivated_members_attempts_reach_the_organisation(raw_client, alice, password):
    alice.is_active = False
    alice.save(update_fields=["is_active"])
    sign_in(raw_client, "alice", password)
    event = AccessEvent.objects.get(action=Action.SIGN_IN_FAILED)
    assert (event.action, event.actor, event.organisation) == (Action.SIGN_IN_FAILED, alice, alice.membership.organisation)


def test_sign_out_is_recorded(raw_client, alice):
    raw_client.force_login(alice)
    raw_client.post("/accounts/logout/", REMOTE_ADDR=ADDRESS)
    event = AccessEvent.objects.get(action=Action.SIGN_OUT)
    assert (event.actor, event.organisation, event.ip_address) == (alice, alice.membership.organisation, ADDRESS)

