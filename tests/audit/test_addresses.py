"""The address is REMOTE_ADDR as the database stores it, so the hash still verifies when read back."""

import pytest
from django.core.management import call_command
from django.test import RequestFactory

from casework.audit.models import AccessEvent, Action
from casework.audit.services import audit_record


@pytest.mark.parametrize(("remote_addr", "stored"), [
    ("198.51.100.4", "198.51.100.4"),
    ("2001:DB8::0:1", "2001:db8::1"),
    ("::ffff:192.0.2.1", "::ffff:192.0.2.1"),
    ("not an address", None),
    ("", None),
])
def test_addresses_round_trip(alice, remote_addr, stored):
    event = audit_record(actor=alice, action=Action.SIGN_IN, request=RequestFactory().get("/", REMOTE_ADDR=remote_addr))
    assert AccessEvent.objects.get(pk=event.pk).ip_address == stored
    call_command("audit_verify")
