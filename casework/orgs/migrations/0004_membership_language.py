# The interface language a person chose, for their e-mails and new devices.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('orgs', '0003_retention_minimum'),
    ]

    operations = [
        migrations.AddField(
            model_name='membership',
            name='language',
            field=models.CharField(blank=True, choices=[('en', 'English'), ('ru', 'Russian')], max_length=10, verbose_name='language'),
        ),
    ]
