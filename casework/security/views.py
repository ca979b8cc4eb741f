import base64

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from casework import access
from casework.security import services
from casework.security.forms import PasswordChangeForm, ReauthenticateForm, TokenForm
from casework.security.sessions import mark_reauthenticated, reauthenticated_recently


def _next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure())
    return target if safe else "/"


@never_cache  # the key (and then the recovery codes) must not stay in a shared browser's cache
@sensitive_post_parameters("password", "code")
def two_factor_setup(request):
    """Set up an authenticator: scan the key into an app, confirm with a code, keep the recovery codes.

    On first sign-in the password has just been given. Replacing an authenticator already set up is
    what a borrowed session would do to keep the account, so it first asks for the password and a current
    second factor (the old authenticator, or a recovery code when it is lost)."""
    if services.totp_device(request.user):
        if not request.user.is_verified():
            return redirect("two_factor_verify")
        if not reauthenticated_recently(request):
            form = ReauthenticateForm(request.POST if request.method == "POST" else None, request=request)
            if form.is_valid():
                mark_reauthenticated(request)
                return redirect("two_factor_setup")
            return render(request, "security/reauthenticate.html", {
                "form": form, "title": _("Set up a new authenticator app"),
                "intro": _("The authenticator app you use now stops working once the new one is confirmed, "
                           "and every other session of your account ends."),
                "button": _("Continue"),
            })
    device = services.totp_enrolment_device(request.user)
    form = TokenForm(request.POST or None)
    if form.is_valid():
        if (codes := services.totp_confirm(request, device=device, token=form.cleaned_data["token"])) is not None:
            mark_reauthenticated(request, done=False)
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
@sensitive_post_parameters("password", "code")
def recovery_codes_regenerate(request):
    form = ReauthenticateForm(request.POST if request.method == "POST" else None, request=request)
    if form.is_valid():
        codes = services.recovery_codes_replace(request)
        return render(request, "security/recovery_codes.html", {"codes": codes, "next": "/"})
    return render(request, "security/reauthenticate.html", {
        "form": form, "title": _("Make new recovery codes"),
        "intro": _("Your current recovery codes stop working, and every other session of your account ends."),
        "button": _("Make new recovery codes"),
    })


@sensitive_post_parameters("password", "code", "new_password1", "new_password2")
def password_change(request):
    form = PasswordChangeForm(request.POST if request.method == "POST" else None, request=request)
    if form.is_valid():
        services.password_change(request, new_password=form.cleaned_data["new_password1"])
        messages.success(request, _("Your password was changed. Every other session of your account was ended."))
        return redirect("account")
    return render(request, "registration/password_change_form.html", {"form": form})


def account(request):
    return render(request, "security/account.html")


@require_POST
def sign_out_everywhere(request):
    services.sessions_end(user=request.user, ended_by=request.user)
    logout(request)
    messages.info(request, _("You were signed out on every device."))
    return redirect("login")


@login_not_required  # a session that has already ended (idle, fenced) still lands on the neutral page
@require_POST  # a link or a prefetch must not sign anyone out
def quick_exit(request):
    """"Quick exit": end the session on the server and open an ordinary public page (the organisation's
    choice, else QUICK_EXIT_URL), asking the browser to drop what it kept of this site. The sign-out is
    recorded like any other (audit.signals); nothing else is."""
    m = access.membership(request.user)
    target = (m.organisation.quick_exit_url if m else "") or settings.QUICK_EXIT_URL
    logout(request)
    response = HttpResponseRedirect(target)
    response["Clear-Site-Data"] = '"cache", "cookies", "storage"'
    return response
