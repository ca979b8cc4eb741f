"""Row locks that serialise a check-then-write on something no constraint can guard (a person's second
factors, an organisation's employers and admins, a case's grants, a person being erased), and a named lock
where no row exists yet (a username, a new organisation)."""

from django.db import connection
from django.db.models import Model


def lock_row(model: type[Model], pk, *, hold_off_new_references: bool = False) -> None:
    """Hold the row until the surrounding transaction ends. By default FOR NO KEY UPDATE, so rows that merely
    point at it (audit events, cases, notes) can still be inserted meanwhile; `hold_off_new_references`
    takes FOR UPDATE, which also makes such inserts wait."""
    if pk is not None:
        model.objects.select_for_update(no_key=not hold_off_new_references).filter(pk=pk).exists()


def lock_key(key: str) -> None:
    """Hold a lock named `key` until the surrounding transaction ends: a PostgreSQL advisory lock, for a
    check-then-insert of something that has no row to lock yet. SQLite has one writer at a time anyway."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", [key])
