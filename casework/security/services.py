"""Two-factor enrolment and checks (django-otp), recovery codes, and ending sessions."""

import secrets
import time

import django_otp
from django.utils import timezone

from casework.security.models import Authenticator, RecoveryCode, RecoveryCodes, SessionFence, recovery_digest
from casework.security.sessions import VERIFIED_AT

RECOVERY_CODE_COUNT = 10


def totp_device(user) -> Authenticator | None:
    return Authenticator.objects.filter(user=user, confirmed=True).first()


def totp_enrolment_device(user) -> Authenticator:
    """The unconfirmed authenticator being set up; the same key until it is confirmed."""
    device = Authenticator.objects.filter(user=user, confirmed=False).first()
    return device or Authenticator.objects.create(user=user, name="authenticator", confirmed=False)


def recovery_codes_generate(user) -> list[str]:
    """Replace the user's recovery codes with fresh one-time codes, shown once."""
    device, _ = RecoveryCodes.objects.get_or_create(user=user, name="recovery")
    device.codes.all().delete()
    codes = [f"{secrets.randbelow(10**8):08d}" for _ in range(RECOVERY_CODE_COUNT)]
    RecoveryCode.objects.bulk_create(RecoveryCode(device=device, digest=recovery_digest(code)) for code in codes)
    return codes


def _mark_verified(request, device) -> None:
    django_otp.login(request, device)
    request.session[VERIFIED_AT] = time.time()


def totp_confirm(request, *, device: Authenticator, token: str) -> bool:
    """Finish enrolment: the first correct code confirms the authenticator and verifies the session."""
    if not device.verify_token(token.strip()):
        return False
    Authenticator.objects.filter(user=device.user, confirmed=True).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    _mark_verified(request, device)
    return True


def two_factor_verify(request, *, token: str) -> bool:
    """Check an authenticator code or a one-time recovery code (which is then used up)."""
    token = token.strip().replace(" ", "")
    for device in django_otp.devices_for_user(request.user, confirmed=True):
        if django_otp.verify_token(request.user, device.persistent_id, token):
            _mark_verified(request, device)
            return True
    return False


def sessions_end(*, user) -> None:
    """Invalidate every session the user has now, on every device."""
    SessionFence.objects.update_or_create(user=user, defaults={"not_before": timezone.now()})


def session_fenced(*, user_id: int, login_at: float) -> bool:
    fence = SessionFence.objects.filter(user_id=user_id).values_list("not_before", flat=True).first()
    return fence is not None and login_at < fence.timestamp()

