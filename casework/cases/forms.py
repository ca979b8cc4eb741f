from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from casework import access
from casework.cases.models import Case
from casework.forms import SubmissionTokenMixin
from casework.orgs.models import JURISDICTIONS, Organisation

User = get_user_model()


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        return user.get_full_name() or user.username


def assignee_field(organisation_id: int, **kwargs) -> MemberChoiceField:
    users = User.objects.filter(
        membership__in=access.assignable_members(organisation_id)
    ).order_by("last_name", "first_name", "username")
    return MemberChoiceField(queryset=users, label=_("Assigned to"), **kwargs)


class CaseCreateForm(SubmissionTokenMixin, forms.Form):
    case_type = forms.ChoiceField(label=_("Case type"), choices=Case.Type.choices)
    jurisdiction = forms.ChoiceField(label=_("Jurisdiction"), choices=JURISDICTIONS)
    is_sensitive = forms.BooleanField(
        label=_("Sensitive case"), required=False, help_text=_("Only the people named on the case may see it.")
    )

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assigned_to"] = assignee_field(organisation.pk)
        self.order_fields(["case_type", "jurisdiction", "assigned_to", "is_sensitive"])
        self.fields["jurisdiction"].initial = organisation.country


class CaseEditForm(forms.Form):
    jurisdiction = forms.ChoiceField(label=_("Jurisdiction"), choices=JURISDICTIONS)
    is_sensitive = forms.BooleanField(
        label=_("Sensitive case"), required=False, help_text=_("Only the people named on the case may see it.")
    )


class ReassignForm(forms.Form):
    def __init__(self, *args, organisation_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assigned_to"] = assignee_field(organisation_id)


class CaseFilterForm(forms.Form):
    case_type = forms.ChoiceField(label=_("Type"), choices=[("", _("All types")), *Case.Type.choices], required=False)
    status = forms.ChoiceField(label=_("Status"), choices=[("", _("All statuses")), *Case.Status.choices], required=False)
    mine = forms.BooleanField(label=_("Only my cases"), required=False)


class GrantForm(forms.Form):
    GRANTEE_KINDS = [("organisation", _("Partner organisation")), ("user", _("Named user"))]
    LEVELS = [(access.VIEW, _("Read")), (access.EDIT, _("Read and edit"))]

    grantee_kind = forms.ChoiceField(label=_("Share with"), choices=GRANTEE_KINDS, widget=forms.RadioSelect)
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=Organisation.objects.none(), required=False)
    username = forms.CharField(label=_("Username"), max_length=150, required=False)
    level = forms.ChoiceField(label=_("Access"), choices=LEVELS, initial=access.VIEW)

    def __init__(self, *args, partners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = partners

    def clean(self):
        data = super().clean()
        kind = data.get("grantee_kind")
        if kind == "organisation" and not data.get("organisation"):
            self.add_error("organisation", _("Choose an organisation."))
        if kind == "user":
            username = (data.get("username") or "").strip()
            data["user"] = User.objects.filter(username__iexact=username, is_active=True).first() if username else None
            if data["user"] is None:
                self.add_error("username", _("No active user has this username."))
        return data


class RevokeForm(forms.Form):
    grantee_kind = forms.ChoiceField(choices=GrantForm.GRANTEE_KINDS)
    grantee_id = forms.IntegerField(min_value=1)
