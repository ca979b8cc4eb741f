# Authenticators move from django-otp's TOTPDevice, whose secret is a plaintext column, to
# security.Authenticator, whose secret is encrypted with the field key. Same secrets: nobody re-enrols.

import casework.crypto
import casework.security.models
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def _move_devices(apps, schema_editor):
    TOTPDevice = apps.get_model("otp_totp", "TOTPDevice")
    Authenticator = apps.get_model("security", "Authenticator")
    kept = ("user_id", "name", "confirmed", "key", "drift", "last_t", "throttling_failure_timestamp",
            "throttling_failure_count", "last_used_at")
    for device in TOTPDevice.objects.order_by("pk").iterator():
        moved = Authenticator.objects.create(**{field: getattr(device, field) for field in kept})
        # created_at is set on create (auto_now_add): the device's own date is put back after.
        Authenticator.objects.filter(pk=moved.pk).update(created_at=device.created_at)
    TOTPDevice.objects.all().delete()


class Migration(migrations.Migration):

    dependencies = [
        ('otp_totp', '0003_add_timestamps'),
        ('security', '0002_rotation_progress'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Authenticator',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(help_text='The human-readable name of this device.', max_length=64)),
                ('confirmed', models.BooleanField(default=True, help_text='Is this device ready for use?')),
                ('throttling_failure_timestamp', models.DateTimeField(blank=True, default=None, help_text='A timestamp of the last failed verification attempt. Null if last attempt succeeded.', null=True)),
                ('throttling_failure_count', models.PositiveIntegerField(default=0, help_text='Number of successive failed attempts.')),
                ('created_at', models.DateTimeField(auto_now_add=True, help_text='The date and time when this device was initially created in the system.', null=True)),
                ('last_used_at', models.DateTimeField(blank=True, help_text='The most recent date and time this device was used.', null=True)),
                ('key', casework.crypto.EncryptedCharField(default=casework.security.models._new_totp_key)),
                ('drift', models.SmallIntegerField(default=0)),
                ('last_t', models.BigIntegerField(default=-1)),
                ('user', models.ForeignKey(help_text='The user that this device belongs to.', on_delete=django.db.models.deletion.CASCADE, to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'authenticator',
                'abstract': False,
            },
        ),
        migrations.RunPython(_move_devices, migrations.RunPython.noop),
    ]
