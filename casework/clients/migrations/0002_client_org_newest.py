# The registry pages an organisation's clients newest first from this index (bench/RESULTS.md).

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('clients', '0001_initial'),
        ('orgs', '0003_retention_minimum'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name='client',
            index=models.Index(fields=['organisation', '-created_at', '-id'], include=('created_by',), name='client_org_newest_idx'),
        ),
    ]
