"""An audit event, once written, cannot be changed or removed: not through the model, not through a
queryset, and on PostgreSQL not even through raw SQL."""

import pytest
from django.db import DatabaseError, connection, transaction
from django.db.models import ProtectedError

from casework.audit.models import AccessEvent, Action, AppendOnlyError
from casework.audit.services import audit_record


@pytest.fixture
def event(alice, alice_case):
    return audit_record(actor=alice, action=Action.VIEW_CASE, case=alice_case)


def test_saving_an_existing_event_is_refused(event):
    event.detail = "document=1"
    with pytest.raises(AppendOnlyError):
        event.save()


def test_deleting_an_event_is_refused(event):
    with pytest.raises(AppendOnlyError):
        event.delete()


@pytest.mark.parametrize("change", [
    lambda events: events.update(detail="document=1"),
    lambda events: events.delete(),
    lambda events: events.filter(pk__gt=0).delete(),
    lambda events: AccessEvent.objects.bulk_update(list(events), ["detail"]),
])
def test_bulk_changes_are_refused(event, change):
    with pytest.raises(AppendOnlyError):
        change(AccessEvent.objects.all())
    assert AccessEvent.objects.get(pk=event.pk).detail == ""


def test_deleting_what_the_trail_refers_to_is_refused(event, alice_case):
    with pytest.raises(ProtectedError):
        alice_case.delete()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only")
@pytest.mark.parametrize("sql", [
    "UPDATE audit_accessevent SET detail = 'document=1'",
    "UPDATE audit_accessevent SET hash = previous_hash",
    "DELETE FROM audit_accessevent",
])
def test_raw_sql_changes_are_refused_by_the_database(event, sql):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql)
    assert AccessEvent.objects.get(pk=event.pk).hash == event.hash
