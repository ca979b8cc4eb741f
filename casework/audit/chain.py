"""The hash chain: each event's hash covers its own fields and the hash of the event before it, so
changing, removing or reordering any event breaks every link after it."""

import datetime
import hashlib
import json
from collections.abc import Iterable
from typing import NamedTuple

from casework.audit.models import AccessEvent

GENESIS = "0" * 64


def event_hash(event: AccessEvent) -> str:
    """SHA-256 of a canonical JSON of the event's fields (fixed keys, UTC time to the microsecond)."""
    fields = {
        "actor": event.actor_id,
        "organisation": event.organisation_id,
        "case": event.case_id,
        "action": event.action,
        "at": event.at.astimezone(datetime.UTC).isoformat(timespec="microseconds"),
        "ip_address": event.ip_address,
        "detail": event.detail,
        "previous_hash": event.previous_hash,
    }
    if event.client_id is not None:  # added later: events without a client keep the hash they were given
        fields["client"] = event.client_id
    canonical = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


class ChainCheck(NamedTuple):
    checked: int
    broken_id: int | None  # the first event that does not follow from the one before it
    head: str  # hash of the last sound event: kept elsewhere, it shows whether events were cut off the end


def chain_check(events: Iterable[AccessEvent]) -> ChainCheck:
    """Walk events in chain (id) order, stopping at the first one whose link or own hash is wrong."""
    head = GENESIS
    checked = 0
    for event in events:
        if event.previous_hash != head or event.hash != event_hash(event):
            return ChainCheck(checked, event.pk, head)
        head = event.hash
        checked += 1
    return ChainCheck(checked, None, head)
