"""The database role the app runs as (README, "Database roles"), given its privileges by
`manage.py db_grant_app_role` on the test database: it cannot change, empty or remove an audit event, nor
switch off the append-only trigger, yet the app works normally through it.

The test connection (a superuser or the tables' owner) takes the role with SET ROLE, which checks every
statement against the role's privileges as the role's own connection would; only RESET ROLE, used here to
look as the owner, is something the role's own connection could not do."""

import contextlib
import io
import uuid

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from casework.audit.chain import chain_check
from casework.audit.models import AccessEvent, Action
from casework.audit.services import audit_record
from casework.cases.services import case_create
from casework.clients.services import client_create

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="database roles are PostgreSQL's")

APP_ROLE = "casework_app"  # as .ci/run and docker-compose.yml name it
# Cluster-wide and maybe made already (by .ci/run, or by the other xdist worker at the same moment).
CREATE_ROLE = (
    f"DO $$BEGIN CREATE ROLE {APP_ROLE} LOGIN; "
    "EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END$$"
)
INSUFFICIENT_PRIVILEGE = "42501"


@pytest.fixture(scope="module")
def app_role(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(CREATE_ROLE)
    return APP_ROLE


@pytest.fixture
def granted(app_role, db):
    """The role's privileges on this test database, as the deploy step grants them after migrate."""
    call_command("db_grant_app_role", app_role, stdout=io.StringIO())
    return app_role


@contextlib.contextmanager
def as_app_role():
    with connection.cursor() as cursor:
        cursor.execute(f"SET ROLE {APP_ROLE}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET ROLE")


def refused(sql: str) -> str:
    """Run sql in a savepoint, expecting PostgreSQL's 'insufficient privilege'; return its message."""
    with pytest.raises(DatabaseError) as error, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql)
    assert error.value.__cause__.sqlstate == INSUFFICIENT_PRIVILEGE, error.value
    return str(error.value)


def one_value(sql: str, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


@pytest.fixture
def event(alice, alice_case):
    return audit_record(actor=alice, action=Action.VIEW_CASE, case=alice_case)


@pytest.mark.parametrize("sql", [
    "UPDATE audit_accessevent SET detail = 'document=1'",
    "UPDATE audit_accessevent SET hash = previous_hash",
    "DELETE FROM audit_accessevent",
    "TRUNCATE audit_accessevent",
    "TRUNCATE audit_accessevent CASCADE",
])
def test_the_app_role_cannot_change_empty_or_remove_an_audit_event(granted, event, sql):
    before = list(AccessEvent.objects.order_by("pk").values_list("pk", "detail", "hash"))
    with as_app_role():
        assert "permission denied for table audit_accessevent" in refused(sql)
    # As the owner: every event as it was, the one above with it.
    assert list(AccessEvent.objects.order_by("pk").values_list("pk", "detail", "hash")) == before
    assert (event.pk, "", event.hash) in before


@pytest.mark.parametrize("sql", [
    "ALTER TABLE audit_accessevent DISABLE TRIGGER audit_accessevent_append_only",
    "ALTER TABLE audit_accessevent DISABLE TRIGGER ALL",
    "DROP TRIGGER audit_accessevent_append_only ON audit_accessevent",
    "DROP FUNCTION audit_accessevent_append_only()",
    "CREATE OR REPLACE FUNCTION audit_accessevent_append_only() RETURNS trigger LANGUAGE plpgsql"
    " AS $$BEGIN RETURN NEW; END$$",
    "ALTER TABLE audit_accessevent OWNER TO casework_app",
    # Replica mode skips ordinary triggers: a superuser's setting.
    "SET session_replication_role = replica",
])
def test_the_app_role_cannot_switch_off_the_append_only_trigger(granted, event, sql):
    with as_app_role():
        refused(sql)
    enabled = one_value("SELECT tgenabled FROM pg_trigger WHERE tgname = 'audit_accessevent_append_only'")
    assert enabled == "O"  # fires in the normal (origin) mode
    assert one_value("SHOW session_replication_role") == "origin"


def test_the_app_role_is_no_superuser_and_holds_exactly_the_apps_privileges(granted):
    with as_app_role():
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_user, rolsuper, rolcreaterole, rolcreatedb, rolbypassrls"
                           " FROM pg_roles WHERE rolname = current_user")
            assert cursor.fetchone() == (APP_ROLE, False, False, False, False)
        refused("CREATE TABLE made_by_the_app (id integer)")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tablename, array_agg(privilege ORDER BY privilege) FILTER (WHERE has_table_privilege(%s,"
            " quote_ident(schemaname) || '.' || quote_ident(tablename), privilege))"
            " FROM pg_tables, unnest(ARRAY['DELETE', 'INSERT', 'REFERENCES', 'SELECT', 'TRIGGER', 'TRUNCATE',"
            " 'UPDATE']) AS privilege WHERE schemaname = current_schema() GROUP BY tablename",
            [APP_ROLE],
        )
        privileges = dict(cursor.fetchall())
        cursor.execute(
            "SELECT count(*) FILTER (WHERE NOT has_sequence_privilege(%s, c.oid, 'USAGE')), count(*)"
            " FROM pg_class c WHERE c.relkind = 'S' AND c.relnamespace = current_schema()::regnamespace",
            [APP_ROLE],
        )
        sequences_without_usage, sequences = cursor.fetchone()
    assert privileges.pop("audit_accessevent") == ["INSERT", "SELECT"]
    assert len(privileges) > 30 and "cases_case" in privileges and "django_session" in privileges
    assert {table: p for table, p in privileges.items() if p != ["DELETE", "INSERT", "SELECT", "UPDATE"]} == {}
    assert sequences > 0 and sequences_without_usage == 0


def test_the_app_works_as_the_app_role(granted, alice, alice_case, login):
    before = AccessEvent.objects.count()
    browser = login(alice)
    with as_app_role():
        recorded = audit_record(actor=alice, action=Action.VIEW_CLIENT, client=alice_case.client)
        client = client_create(organisation=alice_case.organisation, created_by=alice, family_name="Рахимов",
                               given_names="Фарход", nationality="Tajikistan")
        case = case_create(organisation=alice_case.organisation, client=client, case_type="asylum",
                           jurisdiction="RU", assigned_to=alice, created_by=alice)
        page = browser.get(reverse("case_detail", args=[case.reference]))
        assert page.status_code == 200
        noted = browser.post(f"/cases/{case.reference}/notes/new/", {"text": "Документы получены.", "submission_token": str(uuid.uuid4())}, follow=True)
        assert noted.status_code == 200 and "Note added." in [str(m) for m in noted.context["messages"]]
        assert one_value("SELECT current_user") == APP_ROLE
    events = AccessEvent.objects.order_by("pk")
    assert recorded in events
    assert {Action.CLIENT_CREATE, Action.CASE_CREATE, Action.VIEW_CASE, Action.NOTE_ADD} <= set(
        events.filter(pk__gt=recorded.pk).values_list("action", flat=True)
    )
    assert events.count() > before + 4
    assert chain_check(events).broken_id is None


def test_a_table_a_later_migration_adds_is_the_apps_at_once(granted):
    with connection.cursor() as cursor:  # as the owner, after the grant, as a later migration would
        cursor.execute("CREATE TABLE later_addition (id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
                       " note text NOT NULL)")
        cursor.execute("CREATE TABLE later_serial (id bigserial PRIMARY KEY)")
    with as_app_role(), connection.cursor() as cursor:
        cursor.execute("INSERT INTO later_addition (note) VALUES ('a') RETURNING id")
        added = cursor.fetchone()[0]
        cursor.execute("UPDATE later_addition SET note = 'b' WHERE id = %s", [added])
        cursor.execute("INSERT INTO later_serial DEFAULT VALUES")
        cursor.execute("DELETE FROM later_addition")
        assert cursor.rowcount == 1
        refused("TRUNCATE later_addition")


def test_granting_again_changes_nothing(granted):
    def grants():
        return one_value(
            "SELECT array_agg(relname || '=' || array_to_string(relacl, ',') ORDER BY relname) FROM pg_class"
            " WHERE relnamespace = current_schema()::regnamespace AND relacl IS NOT NULL"
        )

    first = grants()
    call_command("db_grant_app_role", APP_ROLE, stdout=io.StringIO())
    assert grants() == first


@pytest.mark.parametrize("role, message", [
    ("no_such_role_casework", "does not exist"),
    ("Robert'); DROP TABLE", "not a plain role name"),
    (None, "it would pass every privilege"),  # the connection's own role: superuser or the owner
])
def test_the_command_refuses_what_is_no_app_role(db, role, message):
    role = role or one_value("SELECT current_user")
    with pytest.raises(CommandError, match=message):
        call_command("db_grant_app_role", role)
