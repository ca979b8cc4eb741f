"""Signing in through the pages as a person does, with codes read off a simulated authenticator app."""

import datetime
import re
import time

from django.utils import timezone
from django_otp.oath import TOTP

from casework.security.models import Authenticator, RecoveryCodes
from tests.pages import body

LOGIN = "/accounts/login/"
SETUP = "/accounts/two-factor/setup/"
VERIFY = "/accounts/two-factor/"
_CODES = re.compile(r'<ul class="codes">(.*?)</ul>', re.DOTALL)
_CODE = re.compile(r"<code>([^<]+)</code>")


def authenticator_code(device: Authenticator, *, steps_ahead: int = 0) -> str:
    """The code the app shows now, or `steps_ahead` 30-second periods later (a code is accepted once:
    a second sign-in within the same period waits for the next one)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def wrong_code(device: Authenticator) -> str:
    """A 6-digit code no window of the authenticator accepts now."""
    accepted = {authenticator_code(device, steps_ahead=n) for n in (-2, -1, 0, 1, 2)}
    return next(code for code in (f"{n:06d}" for n in range(123456, 999999, 7919)) if code not in accepted)


def pause_after_failures(user) -> None:
    """A person retyping a mistyped code takes a few seconds: django-otp refuses any code for a
    moment after a failure (1 s, doubling with each failure), which a test would otherwise hit."""
    earlier = timezone.now() - datetime.timedelta(days=1)
    for model in (Authenticator, RecoveryCodes):
        model.objects.filter(user=user, throttling_failure_timestamp__isnull=False).update(
            throttling_failure_timestamp=earlier
        )


def password_step(client, username, password, **extra):
    """Username and password only; returns the response at the end of the redirects."""
    return client.post(LOGIN, {"username": username, "password": password, **extra}, follow=True)


def landed(response) -> str:
    return response.redirect_chain[-1][0] if response.redirect_chain else response.wsgi_request.get_full_path()


def main_content(response) -> str:
    """The page without its header (whose language switcher echoes the current address)."""
    return body(response).partition('<main id="main">')[2]


def recovery_codes_shown(response) -> list[str]:
    block = _CODES.search(body(response))
    return _CODE.findall(block.group(1)) if block else []
