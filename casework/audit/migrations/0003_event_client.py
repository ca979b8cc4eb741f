# Client-level events (page views, exports, erasures) name the client, so its organisation finds a
# partner's view of it in its trail.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0002_append_only_trigger'),
        ('clients', '0003_client_org_family'),
    ]

    operations = [
        migrations.AddField(
            model_name='accessevent',
            name='client',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='clients.client', verbose_name='client'),
        ),
    ]
