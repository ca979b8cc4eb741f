# Family-name search narrowed to the organisation by index (bench/RESULTS.md).

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('clients', '0002_client_org_newest'),
        ('orgs', '0003_retention_minimum'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name='client',
            index=models.Index(fields=['organisation', 'family_name_bidx'], name='client_org_family_idx'),
        ),
    ]
