"""Signing in through the pages, as a person does: the password, then the authenticator code when
the app asks for it."""

from django_otp.oath import TOTP

from casework.security.models import Authenticator

LOGIN = "/accounts/login/"


def enrol_authenticator(user) -> Authenticator:
    return Authenticator.objects.filter(user=user, confirmed=True).first() or Authenticator.objects.create(
        user=user, name="phone", confirmed=True
    )


def current_code(device: Authenticator) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def sign_in(client, username, password, **extra):
    response = client.post(LOGIN, {"username": username, "password": password, **extra}, follow=True)
    landed = response.redirect_chain[-1][0] if response.redirect_chain else ""
    if landed.startswith("/accounts/two-factor/") and not landed.startswith("/accounts/two-factor/setup/"):
        device = Authenticator.objects.get(user__username=username, confirmed=True)
        response = client.post(landed, {"token": current_code(device)}, follow=True)
    return response
