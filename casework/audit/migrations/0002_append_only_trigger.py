"""PostgreSQL refuses UPDATE and DELETE on the audit table whatever the client, since the ORM's refusal
is bypassed by raw SQL. (TRUNCATE stays possible for test teardown; the app runs as a role that neither
owns the table nor holds TRUNCATE, UPDATE or DELETE on it: `manage.py db_grant_app_role`.) SQLite, for
a laptop, has no trigger."""

from django.db import migrations

CREATE = """
CREATE FUNCTION audit_accessevent_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_accessevent is append-only: % refused', TG_OP;
END;
$$;
CREATE TRIGGER audit_accessevent_append_only
    BEFORE UPDATE OR DELETE ON audit_accessevent
    FOR EACH ROW EXECUTE FUNCTION audit_accessevent_append_only();
"""
DROP = """
DROP TRIGGER audit_accessevent_append_only ON audit_accessevent;
DROP FUNCTION audit_accessevent_append_only();
"""


def _on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunPython(_on_postgresql(CREATE), _on_postgresql(DROP))]
