# The open-deadlines index carries the case id, so the dashboard counts per assignee without reading
# every deadline row (bench/RESULTS.md).

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("deadlines", "0001_initial"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="deadline", name="deadline_org_open_due_idx"),
        migrations.AddIndex(
            model_name="deadline",
            index=models.Index(
                condition=models.Q(("status", "open")),
                fields=["organisation", "due_date"],
                include=("case",),
                name="deadline_org_open_due_idx",
            ),
        ),
    ]
