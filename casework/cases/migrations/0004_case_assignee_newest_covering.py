# A caseworker's list reads the assignee's index alone, organisation and filters included; without them
# PostgreSQL intersected it with the whole organisation's index (bench/RESULTS.md).

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("cases", "0003_case_org_newest_covering"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="case", name="case_assignee_newest_idx"),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                fields=["assigned_to", "-opened_on", "-id"],
                include=("organisation", "case_type", "status", "jurisdiction", "is_sensitive"),
                name="case_assignee_newest_idx",
            ),
        ),
    ]
