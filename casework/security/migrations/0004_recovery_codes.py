# Recovery codes move from django-otp's StaticToken (plaintext) to keyed hashes in security.RecoveryCode.
# The codes people hold keep working.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def _move_codes(apps, schema_editor):
    from django.utils.crypto import salted_hmac

    StaticDevice = apps.get_model("otp_static", "StaticDevice")
    StaticToken = apps.get_model("otp_static", "StaticToken")
    RecoveryCodes = apps.get_model("security", "RecoveryCodes")
    RecoveryCode = apps.get_model("security", "RecoveryCode")
    for old in StaticDevice.objects.order_by("pk").iterator():
        device = RecoveryCodes.objects.create(user_id=old.user_id, name=old.name, confirmed=old.confirmed)
        RecoveryCode.objects.bulk_create(
            RecoveryCode(device=device, digest=salted_hmac("casework.security.recovery-code", token.token,
                                                           algorithm="sha256").hexdigest())
            for token in StaticToken.objects.filter(device_id=old.pk)
        )
    StaticDevice.objects.all().delete()


class Migration(migrations.Migration):

    dependencies = [
        ('otp_static', '0003_add_timestamps'),
        ('security', '0003_authenticator'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='RecoveryCodes',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(help_text='The human-readable name of this device.', max_length=64)),
                ('confirmed', models.BooleanField(default=True, help_text='Is this device ready for use?')),
                ('throttling_failure_timestamp', models.DateTimeField(blank=True, default=None, help_text='A timestamp of the last failed verification attempt. Null if last attempt succeeded.', null=True)),
                ('throttling_failure_count', models.PositiveIntegerField(default=0, help_text='Number of successive failed attempts.')),
                ('user', models.ForeignKey(help_text='The user that this device belongs to.', on_delete=django.db.models.deletion.CASCADE, to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'recovery codes',
                'abstract': False,
            },
        ),
        migrations.CreateModel(
            name='RecoveryCode',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('digest', models.CharField(db_index=True, max_length=64)),
                ('device', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='codes', to='security.recoverycodes')),
            ],
        ),
        migrations.RunPython(_move_codes, migrations.RunPython.noop),
    ]
