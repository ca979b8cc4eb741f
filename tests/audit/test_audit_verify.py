"""`manage.py audit_verify` walks the chain and names the first event that does not follow, whatever
was done behind the application's back."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from casework.audit.chain import event_hash
from casework.audit.models import AccessEvent, Action
from casework.audit.services import audit_record


def verify() -> str:
    out = StringIO()
    call_command("audit_verify", stdout=out)
    return out.getvalue()


def broken_at() -> str:
    with pytest.raises(CommandError) as error:
        verify()
    assert error.value.returncode == 1  # run from the shell, the exit status
    return str(error.value)


@pytest.fixture
def events(alice, bob, alice_case):
    return [
        audit_record(actor=alice, action=Action.SIGN_IN),
        audit_record(actor=alice, action=Action.VIEW_CASE, case=alice_case),
        audit_record(actor=bob, action=Action.VIEW_CASE, case=alice_case),
        audit_record(actor=bob, action=Action.SIGN_OUT),
    ]


@pytest.mark.django_db
def test_an_empty_trail_is_sound():
    assert verify().splitlines()[0] == "OK: 0 events"


def test_a_sound_trail_is_reported_with_its_last_hash(events):
    assert verify().splitlines() == [f"OK: {AccessEvent.objects.count()} events", f"Last hash: {events[-1].hash}"]


def test_a_changed_field_is_found(events, tamper, bob):
    tamper("UPDATE audit_accessevent SET actor_id = %s WHERE id = %s", [bob.pk, events[1].pk])
    assert f"Broken at event {events[1].pk}:" in broken_at()


def test_a_recomputed_hash_still_breaks_the_next_link(events, tamper):
    """Whoever rewrites an event and its hash must rewrite every event after it, too."""
    forged = AccessEvent.objects.get(pk=events[1].pk)
    forged.case_id = None
    tamper("UPDATE audit_accessevent SET case_id = NULL, hash = %s WHERE id = %s", [event_hash(forged), forged.pk])
    assert f"Broken at event {events[2].pk}:" in broken_at()


def test_a_removed_event_is_found(events, tamper):
    tamper("DELETE FROM audit_accessevent WHERE id = %s", [events[2].pk])
    assert f"Broken at event {events[3].pk}:" in broken_at()


def test_swapped_events_are_found(events, tamper):
    tamper("UPDATE audit_accessevent SET id = -id WHERE id IN (%s, %s)", [events[1].pk, events[2].pk])
    tamper("UPDATE audit_accessevent SET id = %s WHERE id = %s", [events[2].pk, -events[1].pk])
    tamper("UPDATE audit_accessevent SET id = %s WHERE id = %s", [events[1].pk, -events[2].pk])
    assert f"Broken at event {events[1].pk}:" in broken_at()


def test_only_the_first_break_is_named(events, tamper):
    tamper("UPDATE audit_accessevent SET detail = 'x=1' WHERE id IN (%s, %s)", [events[0].pk, events[3].pk])
    assert f"Broken at event {events[0].pk}:" in broken_at()
