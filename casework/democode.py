"""Print the current authenticator code of a demo login, so the local demo needs no phone.

    python -m casework.democode alice

Everyone signs in with a password and a code from an authenticator app, set up on the first sign-in.
On the local run (`make run`, DEBUG on) this prints the code a demo login's app would show: the app of
an enrolled login, or, before the first sign-in is finished, the key the set-up page is showing (made
now if the login has not reached that page yet: the page then shows the same key). Type it where the
page asks for a code.

Refuses, with exit status 2, when DEBUG is off, and for anyone who is not one of the demo logins in
fixtures/demo.yaml still holding the demo password: it is a stand-in for a phone on a laptop, never a
way round the second factor of a real account.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

REFUSED = 2


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django
    from django.core.exceptions import ImproperlyConfigured

    try:
        django.setup()
    except ImproperlyConfigured as exc:
        # With DEBUG off the settings insist on production secrets and Redis before anything else.
        print(f"democode: refused: the settings did not load ({exc}). It is for the local demo run only "
              "(`make run`, DEBUG=1 in .env).", file=sys.stderr)
        return REFUSED
    return run(argv)


def run(argv: list[str] | None = None, *, out=None, err=None) -> int:
    """The command, in a process whose Django is set up already (as in the tests)."""
    out, err = out or sys.stdout, err or sys.stderr
    parser = argparse.ArgumentParser(prog="python -m casework.democode",
                                     description="Print a demo login's current authenticator code (local run only).")
    parser.add_argument("username", help="a demo login, e.g. alice")
    username = parser.parse_args(argv).username

    import yaml
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import check_password

    def refuse(message: str) -> int:
        print(f"democode: refused: {message}", file=err)
        return REFUSED

    if not settings.DEBUG:
        return refuse("DEBUG is off. It prints sign-in codes on the local demo run only (`make run`).")
    demo = yaml.safe_load((settings.BASE_DIR / "fixtures" / "demo.yaml").read_text(encoding="utf-8"))
    logins = [member["username"] for member in demo["members"]]
    if username not in logins:
        return refuse(f"{username!r} is not a demo login (those are {', '.join(logins)}).")
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        print(f"democode: there is no {username!r} in this database yet: `make run` loads the demo logins.", file=err)
        return 1
    # hashers.check_password, not user.check_password: no rehash-and-save as a side effect.
    if not check_password(demo["password"], user.password):
        return refuse(f"{username!r} no longer has the demo password, so it is not treated as a demo login.")

    from casework.security import services

    device = services.totp_device(user)
    enrolling = device is None
    if enrolling:
        device = services.totp_enrolment_device(user)  # the set-up page shows this same key
    return _print_code(device, username=username, enrolling=enrolling, out=out, err=err)


def _print_code(device, *, username: str, enrolling: bool, out, err) -> int:
    from django_otp.oath import TOTP

    now = time.time()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = now
    current = totp.t()
    remaining = device.step - int(now - device.t0) % device.step  # seconds left in this step
    # A code signs in once: the page takes the steps current ± tolerance that come after the last one used.
    step = max(current, device.last_t + 1)
    if step > current + device.tolerance:
        wait = (step - device.tolerance - current - 1) * device.step + remaining
        print(f"democode: {username}'s codes for now have all been used; run it again in {wait} s.", file=err)
        return 1
    totp.drift += step - current
    code = f"{totp.token():0{device.digits}d}"
    valid_for = remaining + (step - current) * device.step
    print(code, file=out)
    note = f"{username}'s authenticator code, valid for another {valid_for} s"
    if step > current:
        note += " (this period's code was used already: this is the next one, accepted now)"
    print(note + ".", file=out)
    if enrolling:
        print(f"{username} has not finished setting up an authenticator: sign in with the password and type this "
              "code on the set-up page (it shows the same key, should you rather scan it into an app).", file=out)
    allowed, data = device.verify_is_allowed()
    if not allowed and data and data.get("locked_until"):
        from django.utils import timezone

        pause = max(1, int((data["locked_until"] - timezone.now()).total_seconds()) + 1)
        print(f"Wrong codes were typed just now: the page refuses every code for another {pause} s.", file=out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
