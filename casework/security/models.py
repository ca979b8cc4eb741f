import base64
import secrets
import time
from urllib.parse import quote, urlencode

from django.conf import settings
from django.db import models
from django_otp.models import Device, ThrottlingMixin, TimestampMixin
from django_otp.oath import TOTP

from casework.crypto import EncryptedCharField
from casework.lib.tokens import keyed_digest


class SessionFence(models.Model):
    """Sessions of this user that began before `not_before` are no longer valid: 'sign out everywhere'
    without scanning every session row."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="session_fence")
    not_before = models.DateTimeField()


class RotationProgress(models.Model):
    """How far `manage.py rotate_keys` got with one table (or the document files) under one key, so an
    interrupted run resumes after the last finished batch instead of starting again.

    The key is named by a fingerprint (a truncated SHA-256 of it), never stored: a run under a newer
    key starts afresh because its fingerprint differs."""

    class Kind(models.TextChoices):
        COLUMNS = "columns", "encrypted columns"
        FILES = "files", "document files"
        BLIND_INDEX = "blind_index", "blind indexes"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    model_label = models.CharField(max_length=100)
    key_fingerprint = models.CharField(max_length=16)
    last_pk = models.BigIntegerField(default=0)
    rows_done = models.BigIntegerField(default=0)
    # Files a row names that are not on disk: reported, never fatal.
    files_missing = models.BigIntegerField(default=0)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "model_label", "key_fingerprint"], name="rotation_progress_unique"),
        ]

    def __str__(self):
        return f"{self.kind} {self.model_label} {self.key_fingerprint} after {self.last_pk}"


def _new_totp_key() -> str:
    return secrets.token_hex(20)


class Authenticator(TimestampMixin, ThrottlingMixin, Device):
    """A TOTP authenticator app: django-otp's TOTPDevice with its secret encrypted at rest, so a database
    dump or backup alone does not give away anyone's second factor. django-otp does the code arithmetic
    (django_otp.oath.TOTP), the throttling and the session bookkeeping."""

    # As TOTPDevice's defaults, fixed: what every authenticator app expects, one step of clock skew allowed.
    step, t0, digits, tolerance = 30, 0, 6, 1

    key = EncryptedCharField(max_length=80, default=_new_totp_key)  # hex, 20 random bytes
    drift = models.SmallIntegerField(default=0)
    last_t = models.BigIntegerField(default=-1)  # the step of the last accepted code: never accepted twice

    class Meta(Device.Meta):
        verbose_name = "authenticator"

    @property
    def bin_key(self) -> bytes:
        return bytes.fromhex(self.key)

    def verify_token(self, token) -> bool:
        allowed, _reason = self.verify_is_allowed()
        if not allowed:
            return False
        totp = TOTP(self.bin_key, self.step, self.t0, self.digits, self.drift)
        totp.time = time.time()
        try:
            verified = totp.verify(int(token), self.tolerance, self.last_t + 1)
        except ValueError:
            verified = False
        if not verified:
            self.throttle_increment(commit=True)
            return False
        self.last_t, self.drift = totp.t(), totp.drift
        self.throttle_reset(commit=False)
        self.set_last_used_timestamp(commit=False)
        self.save()
        return True

    def get_throttle_factor(self) -> int:
        return settings.OTP_TOTP_THROTTLE_FACTOR

    @property
    def config_url(self) -> str:
        """The otpauth:// address an authenticator app reads from the QR code."""
        issuer = settings.OTP_TOTP_ISSUER
        label = quote(f"{issuer}:{self.user.get_username()}")
        params = urlencode({"secret": base64.b32encode(self.bin_key).decode().rstrip("="), "issuer": issuer,
                            "algorithm": "SHA1", "digits": self.digits, "period": self.step}, quote_via=quote)
        return f"otpauth://totp/{label}?{params}"


def recovery_digest(code: str) -> str:
    """A keyed hash of a recovery code: eight digits are too few for a plain hash to hide them."""
    return keyed_digest("security.recovery-code", code)


class RecoveryCodes(ThrottlingMixin, Device):
    """A person's one-time recovery codes, as django-otp's StaticDevice but kept as keyed hashes (shown
    once when made, never stored in the clear). Changing SECRET_KEY voids them: make new ones."""

    class Meta(Device.Meta):
        verbose_name = "recovery codes"

    def verify_token(self, token) -> bool:
        allowed, _reason = self.verify_is_allowed()
        if not allowed:
            return False
        used, _per_model = self.codes.filter(digest=recovery_digest(str(token))).delete()
        if not used:
            self.throttle_increment(commit=True)
            return False
        self.throttle_reset(commit=True)
        return True

    def get_throttle_factor(self) -> int:
        return settings.OTP_STATIC_THROTTLE_FACTOR


class RecoveryCode(models.Model):
    device = models.ForeignKey(RecoveryCodes, on_delete=models.CASCADE, related_name="codes")
    digest = models.CharField(max_length=64, db_index=True)
