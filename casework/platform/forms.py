from django import forms
from django.conf import settings
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.utils.translation import gettext_lazy as _

from casework.lib.forms import SubmissionTokenMixin
from casework.orgs.models import JURISDICTIONS


class OrganisationOpenForm(SubmissionTokenMixin, forms.Form):
    """A new organisation and its first admin (the service checks both again, and that nothing is taken)."""

    name = forms.CharField(label=_("Name of the organisation"), max_length=200)
    slug = forms.SlugField(
        label=_("Short name"), max_length=60,
        help_text=_("Lower-case Latin letters, digits and hyphens, e.g. volga-help. It cannot be changed later."),
    )
    country = forms.ChoiceField(label=_("Country"), choices=[("", "—"), *JURISDICTIONS])
    admin_username = forms.CharField(
        label=_("Username of its first admin"), max_length=150, validators=[UnicodeUsernameValidator()]
    )
    admin_email = forms.EmailField(
        label=_("E-mail address of its first admin"),
        help_text=_("The invitation to set a password goes there, and only there."),
    )
    language = forms.ChoiceField(label=_("Language of the invitation"), choices=settings.LANGUAGES)


class SuspendForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Yes, sign out every member of this organisation now and keep them out until it is reactivated"),
        label_suffix="",
        error_messages={"required": _("Tick the box to confirm the suspension.")},
    )
