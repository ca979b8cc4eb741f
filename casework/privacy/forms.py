from django import forms
from django.utils.translation import gettext_lazy as _


class LegalHoldForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the personal data must be kept"), max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: a complaint to the UN Committee against Torture is being prepared."),
    )


class EraseConfirmForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("The client asked for their data to be erased. I understand that this cannot be undone."),
    )
