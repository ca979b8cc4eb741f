"""The second factor at rest: the authenticator's secret is encrypted and recovery codes are kept as
keyed hashes, so a database dump alone gives away no second factor. What was set up before (django-otp's
TOTPDevice and StaticToken, plaintext) moves over and keeps working: nobody has to enrol again."""

import base64
import importlib
import urllib.parse

from django.apps import apps
from django.db import connection
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from casework.security.models import Authenticator, RecoveryCodes
from tests.security.flows import authenticator_code
from tests.signin import enrol_authenticator
from tests.security.test_two_factor import enrol_through_pages

move_devices = importlib.import_module("casework.security.migrations.0003_authenticator")._move_devices
move_codes = importlib.import_module("casework.security.migrations.0004_recovery_codes")._move_codes


def test_the_stored_secret_is_not_the_secret(alice):
    device = enrol_authenticator(alice)
    with connection.cursor() as cursor:
        cursor.execute("SELECT key FROM security_authenticator WHERE id = %s", [device.pk])
        [stored] = cursor.fetchone()
    assert device.key not in stored and device.bin_key.hex() not in stored
    assert Authenticator.objects.get(pk=device.pk).verify_token(authenticator_code(device))


def test_the_qr_address_carries_the_secret_for_the_app(alice):
    device = enrol_authenticator(alice)
    url = urllib.parse.urlsplit(device.config_url)
    params = dict(urllib.parse.parse_qsl(url.query))
    assert (url.scheme, url.netloc, urllib.parse.unquote(url.path)) == ("otpauth", "totp", "/Casework:alice")
    assert params["issuer"] == "Casework" and params["digits"] == "6" and params["period"] == "30"
    code = TOTP(base64.b32decode(params["secret"] + "=" * (-len(params["secret"]) % 8))).token()
    assert device.verify_token(f"{code:06d}")


def test_a_code_is_accepted_once(alice):
    device = enrol_authenticator(alice)
    code = authenticator_code(device)
    assert device.verify_token(code)
    assert not Authenticator.objects.get(pk=device.pk).verify_token(code)


def test_devices_set_up_before_move_over_with_their_secrets(alice, bob):
    old = TOTPDevice.objects.create(user=alice, name="phone", confirmed=True)
    pending = TOTPDevice.objects.create(user=bob, name="authenticator", confirmed=False)
    move_devices(apps, None)
    assert not TOTPDevice.objects.exists()
    moved = Authenticator.objects.get(user=alice)
    assert (moved.name, moved.confirmed, moved.bin_key, moved.created_at) == ("phone", True, old.bin_key, old.created_at)
    assert moved.verify_token(authenticator_code(moved))
    assert Authenticator.objects.get(user=bob).confirmed is False
    assert Authenticator.objects.get(user=bob).bin_key == pending.bin_key


def test_recovery_codes_are_not_stored(raw_client, alice, password):
    _device, codes = enrol_through_pages(raw_client, "alice", password)
    with connection.cursor() as cursor:
        cursor.execute("SELECT string_agg(digest, ' ') FROM security_recoverycode")
        [stored] = cursor.fetchone()
    assert len(codes) == 10 and not any(code in stored for code in codes)
    device = RecoveryCodes.objects.get(user=alice)
    assert device.verify_token(codes[3]) and not device.verify_token(codes[3])
    assert device.codes.count() == 9


def test_recovery_codes_made_before_move_over_and_work_once(alice):
    old = StaticDevice.objects.create(user=alice, name="recovery")
    StaticToken.objects.bulk_create([StaticToken(device=old, token="12345678"), StaticToken(device=old, token="87654321")])
    move_codes(apps, None)
    assert not StaticDevice.objects.exists() and not StaticToken.objects.exists()
    device = RecoveryCodes.objects.get(user=alice)
    assert device.verify_token("12345678")
    assert device.verify_token("87654321") and not device.verify_token("87654321")  # used up
