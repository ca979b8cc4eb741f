from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework.clients.models import Client
from casework.lib.forms import ModelForm, SubmissionTokenMixin


class ClientForm(SubmissionTokenMixin, ModelForm):
    class Meta:
        model = Client
        fields = [
            "family_name", "given_names", "other_spellings", "date_of_birth", "nationality", "languages",
            "phones", "addresses", "document_numbers",
        ]
        widgets = {
            "date_of_birth": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "other_spellings": forms.Textarea(attrs={"rows": 2}),
            "phones": forms.Textarea(attrs={"rows": 2}),
            "addresses": forms.Textarea(attrs={"rows": 3}),
            "document_numbers": forms.Textarea(attrs={"rows": 2}),
        }

    def clean_family_name(self):
        name = self.cleaned_data["family_name"].strip()
        if not any(ch.isalpha() for ch in name):
            raise forms.ValidationError(_("Enter the family name in letters."))
        return name

    def clean_date_of_birth(self):
        born = self.cleaned_data.get("date_of_birth")
        if born and born > timezone.localdate():
            raise forms.ValidationError(_("The date of birth cannot be in the future."))
        return born


class ClientEditForm(ClientForm):
    """The same fields without the creation token."""

    submission_token = None


class ClientSearchForm(forms.Form):
    q = forms.CharField(label=_("Name"), max_length=200, required=False)
