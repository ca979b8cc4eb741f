"""`manage.py db_grant_app_role <role>`: give the PostgreSQL role the app runs as what the app needs and
nothing that could rewrite the audit trail. Run it as the role that ran `migrate` (the tables' owner),
after every `migrate`: docker-compose.yml's `migrate` service does both.

Why a command run after each migration rather than default privileges alone: default privileges reach
only tables created after they were set, and cannot withhold UPDATE and DELETE on one table. The command
states the whole grant on the tables that exist and converges from any earlier state (the role's
privileges on the schema's tables and sequences are revoked and granted again in one transaction, so the
app never sees a gap). It sets the owner's default privileges too, so a table a later migration adds is
the app's at once even when someone runs `migrate` by hand without this command; an append-only table a
migration adds waits for this command for its revoke. No grant here includes TRUNCATE.

The role itself is made by whoever administers the cluster (README, "Database roles"): creating roles
needs CREATEROLE, which the owner should not need."""

import re

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from casework.audit.models import AccessEvent

# Tables the app may read and append to, never change, empty or remove rows from: the trail is evidence,
# also against the app itself (its append-only trigger is the owner's to disable, not the app's).
APPEND_ONLY = (AccessEvent,)
ROLE_NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}")


class Command(BaseCommand):
    help = (
        "Grant ROLE SELECT, INSERT, UPDATE and DELETE on every table of this database's schema (also tables "
        "that later migrations add) and USAGE on its sequences, but only SELECT and INSERT on the audit table. "
        "Idempotent; run as the owner of the tables after every migrate. PostgreSQL only."
    )

    def add_arguments(self, parser):
        parser.add_argument("role", help="The app's database role (lower-case letters, digits, underscores).")

    def handle(self, *args, role: str, **options):
        if connection.vendor != "postgresql":
            raise CommandError("Database roles are PostgreSQL's: SQLite has no users to grant to.")
        if not ROLE_NAME.fullmatch(role):
            raise CommandError(f"{role!r} is not a plain role name (lower-case letters, digits, underscores).")
        with transaction.atomic(), connection.cursor() as cursor:
            self._refuse_a_powerful_role(cursor, role)
            for statement in self._statements(cursor, connection.ops.quote_name(role)):
                cursor.execute(statement)
        append_only = ", ".join(model._meta.db_table for model in APPEND_ONLY)
        self.stdout.write(f"Granted {role} the app's privileges; {append_only}: SELECT and INSERT only.")

    def _refuse_a_powerful_role(self, cursor, role: str) -> None:
        """A superuser passes every privilege check, a role that creates roles can grant itself the owner's
        membership, and a member of the owner has the owner's rights: none of them is an app role."""
        cursor.execute(
            "SELECT rolsuper, rolcreaterole, pg_has_role(%s, current_user, 'MEMBER') FROM pg_roles WHERE rolname = %s",
            [role, role],
        )
        found = cursor.fetchone()
        if found is None:
            raise CommandError(f"Role {role} does not exist: create it first (README, 'Database roles').")
        superuser, creates_roles, has_owners_rights = found
        if superuser or creates_roles or has_owners_rights:
            raise CommandError(
                f"Role {role} is a superuser, may create roles, or is (a member of) the owner running this: "
                "it would pass every privilege this command withholds."
            )

    def _statements(self, cursor, role: str) -> list[str]:
        cursor.execute("SELECT current_database(), current_schema()")
        database, schema = (connection.ops.quote_name(name) for name in cursor.fetchone())
        write = "SELECT, INSERT, UPDATE, DELETE"
        statements = [
            f"GRANT CONNECT ON DATABASE {database} TO {role}",
            f"GRANT USAGE ON SCHEMA {schema} TO {role}",
            f"REVOKE ALL ON ALL TABLES IN SCHEMA {schema} FROM {role}",
            f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA {schema} FROM {role}",
            f"GRANT {write} ON ALL TABLES IN SCHEMA {schema} TO {role}",
            f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA {schema} TO {role}",
            f"ALTER DEFAULT PRIVILEGES IN SCHEMA {schema} GRANT {write} ON TABLES TO {role}",
            f"ALTER DEFAULT PRIVILEGES IN SCHEMA {schema} GRANT USAGE ON SEQUENCES TO {role}",
        ]
        for model in APPEND_ONLY:
            table = connection.ops.quote_name(model._meta.db_table)
            statements.append(f"REVOKE UPDATE, DELETE ON {table} FROM {role}")
        return statements
