import pytest
from django.db import connection

from tests.hashers import quick_password_hashing  # noqa: F401  (autouse)


@pytest.fixture
def tamper():
    """Run raw SQL against the audit table the way an attacker with database access would, past the
    append-only trigger (PostgreSQL); SQLite has no trigger to pass."""

    def _tamper(sql, params=()):
        with connection.cursor() as cursor:
            if connection.vendor != "postgresql":
                cursor.execute(sql, params)
                return
            # Deferred foreign-key checks still pending in the test's transaction block ALTER TABLE.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE audit_accessevent DISABLE TRIGGER audit_accessevent_append_only")
            cursor.execute(sql, params)
            cursor.execute("ALTER TABLE audit_accessevent ENABLE TRIGGER audit_accessevent_append_only")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")

    return _tamper
