from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from casework.lib.forms import ModelForm
from casework.orgs.models import Membership, Organisation
from casework.orgs.services import ORGANISATION_SETTINGS

User = get_user_model()


class MemberCreateForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150, validators=[UnicodeUsernameValidator()])
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False, max_length=254)
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices)

    def __init__(self, *args, four_eyes: bool, **kwargs):
        """With four-eyes on the invitation can only go to the member's own address; without, an admin who
        leaves it empty is shown a one-time link to hand over."""
        super().__init__(*args, **kwargs)
        email = self.fields["email"]
        email.required = four_eyes
        email.help_text = (_("The invitation to set a password goes to this address.") if four_eyes else
                           _("The invitation to set a password goes to this address. Without one, you get a "
                             "one-time link to hand over in person."))
        if four_eyes:
            self.fields["role"].help_text = _("A caseworker or coordinator can sign in once a coordinator of the "
                                              "organisation confirms the role.")

    def clean_username(self):
        username = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("This username is taken."))
        return username


class MemberRoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices)


class RoleDecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("confirm", _("Confirm")), ("refuse", _("Refuse"))])


class OrganisationSettingsForm(ModelForm):
    """Every setting of services.ORGANISATION_SETTINGS, made from its model field; a number's bounds come from
    the field's validators. Turning four-eyes off must be confirmed."""

    confirm_four_eyes_off = forms.BooleanField(
        label=_("Yes, turn four-eyes off: an admin alone may then give a caseworker or coordinator role"),
        required=False, label_suffix="",
    )

    class Meta:
        model = Organisation
        fields = ORGANISATION_SETTINGS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.four_eyes_was_on = self.instance.four_eyes
        if not self.four_eyes_was_on:
            del self.fields["confirm_four_eyes_off"]
        for name, field in self.fields.items():
            if isinstance(field, forms.IntegerField):
                _bound_by_validators(field, Organisation._meta.get_field(name).validators)
        self.fields["quick_exit_url"].widget.attrs["placeholder"] = settings.QUICK_EXIT_URL  # what blank means

    def clean(self):
        data = super().clean()
        if self.four_eyes_was_on and data.get("four_eyes") is False and not data.get("confirm_four_eyes_off"):
            self.add_error("confirm_four_eyes_off", _("Confirm that four-eyes should be turned off."))
        return data


def _bound_by_validators(field: forms.IntegerField, validators) -> None:
    """The input's min and max, and a help text saying them, from the model field's range validators."""
    low = next((v.limit_value for v in validators if isinstance(v, MinValueValidator)), None)
    high = next((v.limit_value for v in validators if isinstance(v, MaxValueValidator)), None)
    if low is not None and high is not None:
        field.widget.attrs.update(min=low, max=high)
        bounds = _("From %(low)d to %(high)d.") % {"low": low, "high": high}
        field.help_text = f"{field.help_text} {bounds}" if field.help_text else bounds
