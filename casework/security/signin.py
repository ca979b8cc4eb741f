"""The sign-in form and the username the lockout (django-axes) counts failures under.

Whatever is typed into the sign-in page, the answer is the page with the usual "wrong username or
password", never a server error: a username longer than any account's is refused before authenticate()
(Django's AuthenticationForm sets its max_length after the field is built, so no length check runs, and
axes then tried to store 100,000 characters in a 255-character column). A member of a suspended
organisation who gives the right password is told so rather than signed in."""

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from casework import access

# What the lockout's table holds.
LOCKOUT_USERNAME_LENGTH = AccessAttempt._meta.get_field("username").max_length


ORGANISATION_SUSPENDED = _(
    "Your organisation is suspended on this Casework service: its members cannot sign in for now. Its data is "
    "kept as it is. Ask whoever runs the service."
)


class SignInForm(AuthenticationForm):
    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if access.organisation_suspended(user):
            raise ValidationError(ORGANISATION_SUSPENDED, code="suspended")

    def clean(self):
        username = self.cleaned_data.get("username")
        if username is not None and len(username) > self.username_field.max_length:
            # No account has such a name: the same answer as for a wrong password, and nothing recorded.
            raise self.get_invalid_login_error()
        return super().clean()


def lockout_username(request, credentials=None) -> str | None:
    """AXES_USERNAME_CALLABLE: the username as axes would read it (the credentials given to authenticate(),
    else the posted form), cut to what its table can store and without NUL characters, which PostgreSQL
    refuses. The same value is used to record failures and to check for a lockout."""
    if credentials:
        source = credentials
    else:
        source = getattr(request, "data", request.POST) if request is not None else {}
    username = source.get(settings.AXES_USERNAME_FORM_FIELD)
    if not isinstance(username, str):
        return username
    return username.replace("\0", "0x00")[:LOCKOUT_USERNAME_LENGTH]
