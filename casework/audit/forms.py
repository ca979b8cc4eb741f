from django import forms
from django.utils.translation import gettext_lazy as _

from casework.audit.models import Action
from casework.cases.forms import MemberChoiceField
from casework.lib.references import TYPED_REFERENCE


class AuditFilterForm(forms.Form):
    case = forms.CharField(label=_("Case reference"), max_length=11, required=False)
    action = forms.ChoiceField(label=_("Action"), choices=[("", _("All actions")), *Action.choices], required=False)

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["actor"] = MemberChoiceField(queryset=members, label=_("Who"), required=False, empty_label=_("Anyone"))
        self.order_fields(["actor", "case", "action"])

    def clean_case(self):
        """Accept a reference as read aloud or copied: any case, with or without dashes."""
        reference = self.cleaned_data["case"].strip().upper()
        if not reference:
            return ""
        if not TYPED_REFERENCE.match(reference):
            raise forms.ValidationError(_("Enter a case reference such as K7Q-4FD-93X."))
        plain = reference.replace("-", "")
        return f"{plain[:3]}-{plain[3:6]}-{plain[6:]}"
