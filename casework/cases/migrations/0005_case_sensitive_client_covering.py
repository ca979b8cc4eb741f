# The sensitive-case index carries the assignee, so "which clients are hidden from this user" reads the
# index alone (bench/RESULTS.md).

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0004_case_assignee_newest_covering'),
        ('clients', '0003_client_org_family'),
        ('orgs', '0003_retention_minimum'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='case',
            name='case_sensitive_client_idx',
        ),
        migrations.AddIndex(
            model_name='case',
            index=models.Index(condition=models.Q(('is_sensitive', True)), fields=['organisation', 'client'], include=('assigned_to',), name='case_sensitive_client_idx'),
        ),
    ]
