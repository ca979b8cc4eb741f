"""What the session remembers about a sign-in: when it began, when it was last used, and when the
second factor was last checked."""

import time

from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

LOGIN_AT = "casework_login_at"
LAST_SEEN = "casework_last_seen"
VERIFIED_AT = "casework_otp_verified_at"
# When this session last gave the password and a current second factor to set up a new authenticator.
REAUTHENTICATED_AT = "casework_reauthenticated_at"
STEP_UP_SECONDS = 10 * 60


def verified_recently(request, seconds: int = STEP_UP_SECONDS) -> bool:
    """Whether the second factor was checked within `seconds` (step-up for the most sensitive fields)."""
    return time.time() - request.session.get(VERIFIED_AT, 0) < seconds


def reauthenticated_recently(request) -> bool:
    return time.time() - request.session.get(REAUTHENTICATED_AT, 0) < STEP_UP_SECONDS


def mark_reauthenticated(request, *, done: bool = True) -> None:
    if done:
        request.session[REAUTHENTICATED_AT] = time.time()
    else:
        request.session.pop(REAUTHENTICATED_AT, None)


def step_up(request):
    """Ask for the code again, then come back to this page."""
    return redirect(f"{reverse('two_factor_verify')}?{urlencode({'next': request.get_full_path()})}")
