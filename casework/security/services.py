"""Two-factor enrolment and checks (django-otp), recovery codes, password changes, and ending sessions.

Whatever changes how an account signs in (new recovery codes, a new authenticator app, a new password)
is what someone holding a borrowed or stolen open session would do to keep the account: each needs the
password and a current second factor (security.forms.ReauthenticateForm), ends the account's other
sessions, tells its owner in the app, and is audited, in one transaction."""

import datetime
import secrets
import time

import django_otp
from django.contrib.auth import get_user_model, update_session_auth_hash
from django.db import transaction
from django.utils import timezone

from casework.audit.models import Action
from casework.audit.services import audit_record
from casework.deadlines.models import Notification
from casework.lib.locks import lock_row
from casework.orgs.models import Membership
from casework.security.models import Authenticator, RecoveryCode, RecoveryCodes, SessionFence, recovery_digest
from casework.security.sessions import LOGIN_AT, VERIFIED_AT

RECOVERY_CODE_COUNT = 10


def totp_device(user) -> Authenticator | None:
    return Authenticator.objects.filter(user=user, confirmed=True).first()


def _lock_user(user) -> None:
    """Serialise changes to one person's second factors: two clicks at once would otherwise both find no
    device and make two (the tables have no constraint that could refuse the second)."""
    lock_row(get_user_model(), user.pk)


@transaction.atomic
def totp_enrolment_device(user) -> Authenticator:
    """The unconfirmed authenticator being set up; the same key until it is confirmed."""
    _lock_user(user)
    device = Authenticator.objects.filter(user=user, confirmed=False).first()
    return device or Authenticator.objects.create(user=user, name="authenticator", confirmed=False)


def _recovery_codes_make(user) -> list[str]:
    """Replace the user's recovery codes with fresh one-time codes, shown once (inside the caller's
    transaction)."""
    _lock_user(user)
    device = RecoveryCodes.objects.filter(user=user).first() or RecoveryCodes.objects.create(user=user, name="recovery")
    device.codes.all().delete()
    codes = [f"{secrets.randbelow(10**8):08d}" for _ in range(RECOVERY_CODE_COUNT)]
    RecoveryCode.objects.bulk_create(RecoveryCode(device=device, digest=recovery_digest(code)) for code in codes)
    return codes


def _sign_in_changed(request, *, action: str, notice: str, detail: str = "") -> None:
    """After a change to how the account signs in: every other session ends (this one, whose person just
    gave the password and a current second factor, counts as signed in afresh), the owner is told in the
    app, and the trail records it."""
    user = request.user
    # The clock the session rules read; this session's sign-in time is the fence itself, to the microsecond
    # the database keeps, so it is not fenced out while every earlier one is.
    fence = datetime.datetime.fromtimestamp(time.time(), datetime.UTC)
    SessionFence.objects.update_or_create(user=user, defaults={"not_before": fence})
    request.session[LOGIN_AT] = fence.timestamp()
    Notification.objects.create(recipient=user, kind=notice, count=1)
    audit_record(actor=user, action=action, request=request, detail=detail)


@transaction.atomic
def recovery_codes_replace(request) -> list[str]:
    """New recovery codes for the signed-in user (who has just re-authenticated); the old ones stop working."""
    codes = _recovery_codes_make(request.user)
    _sign_in_changed(request, action=Action.RECOVERY_CODES, notice=Notification.Kind.RECOVERY_CODES)
    return codes


@transaction.atomic
def password_change(request, *, new_password: str) -> None:
    """Set the signed-in user's new password (checked by the form against the validators); this session
    stays signed in, every other one ends."""
    user = request.user
    user.set_password(new_password)
    user.save(update_fields=["password"])
    update_session_auth_hash(request, user)
    _sign_in_changed(request, action=Action.PASSWORD_CHANGE, notice=Notification.Kind.PASSWORD)


def second_factor_matches(user, token: str) -> bool:
    """Whether `token` is a current code of one of the user's confirmed second factors (an authenticator
    code, or a recovery code, which is then used up). Throttled like every check; marks nothing."""
    token = token.strip().replace(" ", "")
    return any(
        django_otp.verify_token(user, device.persistent_id, token)
        for device in django_otp.devices_for_user(user, confirmed=True)
    )


def _mark_verified(request, device) -> None:
    django_otp.login(request, device)
    request.session[VERIFIED_AT] = time.time()


@transaction.atomic
def totp_confirm(request, *, device: Authenticator, token: str) -> list[str] | None:
    """Finish setting up an authenticator: the first correct code confirms it, verifies the session and
    makes fresh recovery codes (returned, to be shown once); None for a wrong code. Replacing an earlier
    authenticator (which the view allows only after re-authentication) ends the other sessions and tells
    the owner."""
    if not device.verify_token(token.strip()):
        return None
    replaced, _per_model = Authenticator.objects.filter(user=device.user, confirmed=True).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    _mark_verified(request, device)
    codes = _recovery_codes_make(request.user)
    if replaced:
        _sign_in_changed(request, action=Action.AUTHENTICATOR, notice=Notification.Kind.AUTHENTICATOR,
                         detail="replaced=yes")
    else:
        audit_record(actor=request.user, action=Action.AUTHENTICATOR, request=request, detail="replaced=no")
    return codes


def two_factor_verify(request, *, token: str) -> bool:
    """Check an authenticator code or a one-time recovery code (which is then used up)."""
    token = token.strip().replace(" ", "")
    for device in django_otp.devices_for_user(request.user, confirmed=True):
        if django_otp.verify_token(request.user, device.persistent_id, token):
            _mark_verified(request, device)
            return True
    return False


@transaction.atomic
def sessions_end(*, user, ended_by) -> None:
    """Invalidate every session the user has now, on every device: by an admin (e.g. after a phone was
    seized), or by the person themselves (sign out everywhere). Audited in the member's organisation."""
    SessionFence.objects.update_or_create(user=user, defaults={"not_before": timezone.now()})
    membership = Membership.objects.filter(user=user).select_related("organisation").first()
    audit_record(actor=ended_by, action=Action.SESSIONS_END, organisation=membership and membership.organisation,
                 detail=f"member={membership.pk}" if membership else f"user={user.pk}")


def session_fenced(*, user_id: int, login_at: float) -> bool:
    fence = SessionFence.objects.filter(user_id=user_id).values_list("not_before", flat=True).first()
    return fence is not None and login_at < fence.timestamp()

