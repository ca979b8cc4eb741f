# A claimed reminder keeps status "pending" and gets queued_at, a column no index reads, so the dispatcher's
# claim is a heap-only update; the table keeps 20 % of each page free for those updates (bench/RESULTS.md).

from django.db import migrations, models


def _leave_room(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE deadlines_reminder SET (fillfactor = 80)")


def _reset_room(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE deadlines_reminder RESET (fillfactor)")


class Migration(migrations.Migration):

    dependencies = [
        ('deadlines', '0002_deadline_org_open_due_covering'),
    ]

    operations = [
        migrations.RunSQL(
            "UPDATE deadlines_reminder SET status = 'pending' WHERE status = 'queued'",
            "UPDATE deadlines_reminder SET status = 'queued' WHERE status = 'pending' AND queued_at IS NOT NULL",
        ),
        migrations.RunPython(_leave_room, _reset_room),
        migrations.RemoveIndex(
            model_name='reminder',
            name='reminder_pending_due_idx',
        ),
        migrations.RemoveIndex(
            model_name='reminder',
            name='reminder_queued_idx',
        ),
        migrations.AlterField(
            model_name='reminder',
            name='status',
            field=models.CharField(choices=[('pending', 'scheduled'), ('sent', 'sent'), ('cancelled', 'cancelled')], default='pending', max_length=10),
        ),
        migrations.AddIndex(
            model_name='reminder',
            index=models.Index(condition=models.Q(('status', 'pending')), fields=['due_at', 'id'], name='reminder_pending_due_idx'),
        ),
    ]
