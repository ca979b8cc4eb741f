import base64

import segno
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from casework.security import services
from casework.security.forms import TokenForm


def _next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure())
    return target if safe else "/"


@never_cache  # the key (and then the recovery codes) must not stay in a shared browser's cache
def two_factor_setup(request):
    """First sign-in: scan the key into an authenticator app, confirm with a code, keep recovery codes."""
    if services.totp_device(request.user) and not request.user.is_verified():
        return redirect("two_factor_verify")
    device = services.totp_enrolment_device(request.user)
    form = TokenForm(request.POST or None)
    if form.is_valid():
        if services.totp_confirm(request, device=device, token=form.cleaned_data["token"]):
            codes = services.recovery_codes_generate(request.user)
            return render(request, "security/recovery_codes.html", {"codes": codes, "next": _next(request)})
        form.add_error("token", _("This code is not correct. Check the time on your phone and try again."))
    qr = segno.make(device.config_url, error="m").svg_inline(scale=4, dark="#14233a")
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return render(request, "security/setup.html", {"form": form, "qr": qr, "secret": secret, "next": _next(request)})


def two_factor_verify(request):
    """The second step of every sign-in, and the step-up before the most sensitive details."""
    form = TokenForm(request.POST or None)
    if form.is_valid():
        if services.two_factor_verify(request, token=form.cleaned_data["token"]):
            return redirect(_next(request))
        form.add_error("token", _("This code is not correct."))
    return render(request, "security/verify.html", {"form": form, "next": _next(request)})


@never_cache
@require_POST
def recovery_codes_regenerate(request):
    codes = services.recovery_codes_generate(request.user)
    return render(request, "security/recovery_codes.html", {"codes": codes, "next": "/"})


def account(request):
    return render(request, "security/account.html")


@require_POST
def sign_out_everywhere(request):
    services.sessions_end(user=request.user)
    logout(request)
    messages.info(request, _("You were signed out on every device."))
    return redirect("login")
