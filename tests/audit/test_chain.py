"""Each event's hash covers its fields and the previous event's hash, from a fixed genesis."""

import datetime
import hashlib
import json

from casework.audit.chain import GENESIS, event_hash
from casework.audit.models import AccessEvent, Action
from casework.audit.services import audit_record


def test_events_are_chained_in_order(alice, bob, alice_case):
    audit_record(actor=alice, action=Action.VIEW_CASE, case=alice_case)
    audit_record(actor=bob, action=Action.SEARCH, detail="list=cases")
    audit_record(actor=None, action=Action.SIGN_IN_FAILED)
    events = list(AccessEvent.objects.order_by("pk"))
    assert events[0].previous_hash == GENESIS
    for before, after in zip(events, events[1:]):
        assert after.previous_hash == before.hash
    for event in events:
        assert len(event.hash) == 64
        assert event.hash == event_hash(event)  # read back from the database, it still verifies


def test_every_field_is_covered_by_the_hash(alice, bob, alice_case):
    event = audit_record(actor=alice, action=Action.VIEW_CASE, case=alice_case, detail="document=1")
    original = event.hash
    for field, value in [("actor_id", bob.pk), ("case_id", None), ("action", Action.SEARCH), ("detail", "document=2"),
                         ("ip_address", "192.0.2.1"), ("organisation_id", None), ("previous_hash", "1" * 64),
                         ("client_id", alice_case.client_id),
                         ("at", event.at.replace(microsecond=(event.at.microsecond + 1) % 1_000_000))]:
        kept = getattr(event, field)
        setattr(event, field, value)
        assert event_hash(event) != original, field
        setattr(event, field, kept)
    assert event_hash(event) == original


def test_the_organisation_is_the_actors_unless_given(alice, alice_case, other_org):
    assert audit_record(actor=alice, action=Action.VIEW_CASE, case=alice_case).organisation == alice.membership.organisation
    assert audit_record(actor=alice, action=Action.ERASE, organisation=other_org).organisation == other_org
    assert audit_record(actor=None, action=Action.SIGN_IN_FAILED).organisation is None


def test_an_event_about_a_client_covers_it_and_older_events_keep_their_hash(alice, alice_case):
    """The client was added to the events later: an event without one hashes as before it existed."""
    plain = audit_record(actor=alice, action=Action.VIEW_CASE, case=alice_case)
    as_first_written = {  # the chain's format before events named a client
        "actor": plain.actor_id, "organisation": plain.organisation_id, "case": plain.case_id,
        "action": plain.action, "at": plain.at.astimezone(datetime.UTC).isoformat(timespec="microseconds"),
        "ip_address": plain.ip_address, "detail": plain.detail, "previous_hash": plain.previous_hash,
    }
    canonical = json.dumps(as_first_written, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert plain.hash == hashlib.sha256(canonical.encode()).hexdigest()
    about = audit_record(actor=alice, action=Action.VIEW_CLIENT, client=alice_case.client)
    original = about.hash
    about.client_id = None
    assert event_hash(about) != original
