# The organisation's newest-first index also carries the columns list filters and the deadline dashboard
# read, so both are answered from the index alone; sensitive cases get a small index of their own, read
# to find the clients a coordinator may not see (bench/RESULTS.md).

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("cases", "0002_workflows"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="case", name="case_org_newest_idx"),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                fields=["organisation", "-opened_on", "-id"],
                include=("assigned_to", "case_type", "status", "jurisdiction", "is_sensitive"),
                name="case_org_newest_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                condition=models.Q(("is_sensitive", True)),
                fields=["organisation", "client"],
                name="case_sensitive_client_idx",
            ),
        ),
    ]
