from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth.forms import SetPasswordForm
from django.utils.translation import gettext_lazy as _

from casework.security import services


class CodeInput(forms.TextInput):
    """A one-time code field that comes back empty after a refusal: the code typed is spent or wrong, and the
    next one is on the phone."""

    def format_value(self, value):
        return None


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Code"), max_length=12,
        widget=CodeInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
        help_text=_("The 6-digit code from your authenticator app, or one of your recovery codes."),
    )


class ReauthenticateForm(forms.Form):
    """The password and a current second factor: what an open session alone does not prove. Wrong
    passwords count towards the account's lockout (django-axes, through authenticate()); wrong codes are
    throttled like at sign-in."""

    password = forms.CharField(
        label=_("Your password"), max_length=4096, strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
    )
    code = forms.CharField(
        label=_("Code"), max_length=12,
        widget=CodeInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
        help_text=_("From your authenticator app. Lost it? One of your recovery codes."),
    )

    def __init__(self, *args, request, **kwargs):
        self.request = request
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        user = self.request.user
        if "password" in data and authenticate(self.request, username=user.get_username(), password=data["password"]) != user:
            self.add_error("password", _("This password is not correct."))
        elif "code" in data and not services.second_factor_matches(user, data["code"]):
            self.add_error("code", _("This code is not correct. Check the time on your phone and try again."))
        return data


class PasswordChangeForm(ReauthenticateForm, SetPasswordForm):
    """A new password, given with the current one and a current second factor."""

    field_order = ["password", "code", "new_password1", "new_password2"]

    def __init__(self, *args, request, **kwargs):
        super().__init__(request.user, *args, request=request, **kwargs)
