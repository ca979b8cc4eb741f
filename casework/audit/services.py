"""The one way an audit event is written."""

import ipaddress
import re

from axes.helpers import get_client_ip_address
from django.db import connection, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.ipv6 import clean_ipv6_address

from casework import access
from casework.audit.chain import GENESIS, event_hash
from casework.audit.middleware import current_request
from casework.audit.models import AccessEvent, Action
from casework.cases.models import Case
from casework.clients.models import Client
from casework.orgs.models import Organisation

# pg_advisory_xact_lock key ("cwaudit" in ASCII): one chain, one writer at a time.
CHAIN_LOCK = 0x63776175646974
# "key=value" pairs of ids, references and choice values: no spaces, no Cyrillic, no free text, so a
# client's name cannot slip into the trail by mistake.
DETAIL = re.compile(r"(?:[a-z_]+=[\w-]+(?: [a-z_]+=[\w-]+)*)?", re.ASCII)


def _address(request: HttpRequest | None) -> str | None:
    """The client's address as the lockout sees it (behind the proxy when there is one), in the form
    the database gives back, so the hash verifies after a round trip."""
    raw = (get_client_ip_address(request) or "") if request is not None else ""
    try:
        version = ipaddress.ip_address(raw).version
    except ValueError:
        return None
    return clean_ipv6_address(raw) if version == 6 else raw


def _lock_chain() -> None:
    """Serialise appends until the surrounding transaction ends, so two writers never read the same
    last hash. SQLite has one writer at a time anyway; there the unique previous_hash is the backstop."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK])


def audit_record(
    *,
    actor,
    action: str,
    case: Case | None = None,
    client: Client | None = None,
    organisation: Organisation | None = None,
    request: HttpRequest | None = None,
    detail: str = "",
) -> AccessEvent:
    """Append an event to the chain. The organisation defaults to the actor's: a partner's view of a
    shared case (or of its client) belongs to the partner, and the owner finds it through the case (or
    the client).

    Services call it for their own writes, in their transaction, so a script or task that calls a service
    leaves the same trail as a page. The chain lock is held until the caller's transaction (the whole
    request, with ATOMIC_REQUESTS) commits: call this last."""
    if action not in Action.values:
        raise ValueError(f"Unknown audit action {action!r}.")
    if len(detail) > 200 or not DETAIL.fullmatch(detail):
        raise ValueError("Audit detail takes key=value ids and references only, never personal data.")
    if actor is not None and not actor.is_authenticated:
        actor = None
    if organisation is None and (m := access.membership(actor)) is not None:
        organisation = m.organisation
    with transaction.atomic():
        _lock_chain()
        previous = AccessEvent.objects.order_by("-pk").values_list("hash", flat=True).first()
        event = AccessEvent(
            actor=actor,
            organisation=organisation,
            case=case,
            client=client,
            action=action,
            at=timezone.now(),
            ip_address=_address(request or current_request()),
            detail=detail,
            previous_hash=previous or GENESIS,
        )
        event.hash = event_hash(event)
        event.save()
    return event
