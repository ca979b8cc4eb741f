"""Writers in parallel transactions append one after another: the chain never forks."""

import threading

import pytest
from django.db import connection, transaction

from casework.audit.chain import chain_check
from casework.audit.models import AccessEvent, Action
from casework.audit.services import audit_record

WRITERS, EVENTS_EACH = 6, 15


@pytest.mark.skipif(connection.vendor != "postgresql", reason="parallel writers need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_parallel_writers_do_not_fork_the_chain(alice, alice_case):
    before = AccessEvent.objects.count()  # making the cast and the case is audited too
    start = threading.Barrier(WRITERS)
    failures = []

    def write():
        try:
            start.wait()
            for _ in range(EVENTS_EACH):
                with transaction.atomic():  # as in a request: the lock is held until commit
                    audit_record(actor=alice, action=Action.VIEW_CASE, case=alice_case)
        except Exception as error:  # noqa: BLE001 - reported below
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=write) for _ in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    result = chain_check(AccessEvent.objects.order_by("pk"))
    assert result.broken_id is None
    assert result.checked == before + WRITERS * EVENTS_EACH
