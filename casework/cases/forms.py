from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from casework import access
from casework.cases import selectors
from casework.cases.models import (
    OUTCOMES_BY_TYPE,
    AsylumDecision,
    AsylumDetail,
    Case,
    CaseEvent,
    DeportationDetail,
    DomesticChallenge,
    Employer,
    InterimMeasure,
    WageClaim,
    WageDetail,
)
from casework.lib.dates import BoundedDateField
from casework.lib.forms import ModelForm, SubmissionTokenMixin
from casework.orgs.models import JURISDICTIONS, Organisation

User = get_user_model()
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class _MemberChoices(forms.models.ModelChoiceIterator):
    """The options in one plain query: Django reads them with iterator(), which on PostgreSQL inside a
    transaction opens a server-side cursor (DECLARE, FETCH, CLOSE) for a few dozen people."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for user in self.queryset:
            yield self.choice(user)


class MemberChoiceField(forms.ModelChoiceField):
    iterator = _MemberChoices

    def label_from_instance(self, user):
        return user.get_full_name() or user.username


def assignee_field(organisation_id: int, **kwargs) -> MemberChoiceField:
    users = User.objects.filter(
        membership__in=access.assignable_members(organisation_id)
    ).only("first_name", "last_name", "username").order_by("last_name", "first_name", "username")
    return MemberChoiceField(queryset=users, label=_("Assigned to"), **kwargs)


class CaseCreateForm(SubmissionTokenMixin, forms.Form):
    case_type = forms.ChoiceField(label=_("Case type"), choices=Case.Type.choices)
    removal_kind = forms.ChoiceField(
        label=_("Kind of removal"), required=False,
        choices=[("", _("— not a removal case —")), *DeportationDetail.RemovalKind.choices],
        help_text=_("For deportation or extradition cases."),
    )
    jurisdiction = forms.ChoiceField(label=_("Jurisdiction"), choices=JURISDICTIONS)
    is_sensitive = forms.BooleanField(
        label=_("Sensitive case"), required=False, help_text=_("Only the people named on the case may see it.")
    )

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assigned_to"] = assignee_field(organisation.pk)
        self.order_fields(["case_type", "removal_kind", "jurisdiction", "assigned_to", "is_sensitive"])
        self.fields["jurisdiction"].initial = organisation.country

    def clean(self):
        data = super().clean()
        if data.get("case_type") == Case.Type.DEPORTATION and not data.get("removal_kind"):
            self.add_error("removal_kind", _("Choose the kind of removal."))
        return data


class CaseEditForm(forms.Form):
    case_type = forms.ChoiceField(
        label=_("Case type"), choices=Case.Type.choices,
        help_text=_("Cannot be changed after the case is opened."),
    )
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
    jurisdiction = forms.ChoiceField(label=_("Jurisdiction"), choices=[("", _("All jurisdictions")), *JURISDICTIONS], required=False)
    mine = forms.BooleanField(label=_("Only my cases"), required=False)
    shared = forms.BooleanField(label=_("Only shared with us"), required=False)
    urgent = forms.BooleanField(label=_("Only urgent"), required=False)
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=[
        ("", _("Usual order (my cases: most urgent first; others: newest first)")),
        (selectors.URGENT, _("Most urgent first")),
        (selectors.NEXT_DEADLINE, _("Next deadline")),
        (selectors.NEWEST, _("Newest first")),
        (selectors.OLDEST, _("Oldest first")),
        (selectors.NAME, _("Client name")),
    ])

    def __init__(self, *args, organisation_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assigned_to"] = assignee_field(organisation_id, required=False, empty_label=_("Anyone"))
        self.order_fields(["case_type", "status", "jurisdiction", "assigned_to", "mine", "shared", "urgent", "sort"])


class CaseSearchForm(forms.Form):
    q = forms.CharField(label=_("Reference or client name"), max_length=200)


class EventForm(SubmissionTokenMixin, ModelForm):
    class Meta:
        model = CaseEvent
        fields = ["kind", "occurred_on", "note"]
        widgets = {"occurred_on": DATE, "note": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"occurred_on": _("For a removal or hearing, the date it is scheduled for.")}


class EventCorrectForm(forms.Form):
    occurred_on = BoundedDateField(label=_("Correct date"), widget=DATE)
    reason = forms.CharField(label=_("Reason for the correction"), max_length=500)


class NoteForm(SubmissionTokenMixin, forms.Form):
    text = forms.CharField(label=_("Note"), max_length=20000, widget=forms.Textarea(attrs={"rows": 4}))


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    upload = forms.FileField(label=_("File"), help_text=_("PDF, JPEG, PNG, DOCX, ODT or TXT, up to 10 MB."))


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=Case.Status.choices)
    outcome = forms.ChoiceField(label=_("Outcome"), required=False)
    reason = forms.CharField(label=_("Reason"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=_("Required when reopening a closed case."))

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [c for c in Case.Status.choices if c[0] != case.status]
        self.fields["outcome"].choices = [("", "—")] + [c for c in Case.Outcome.choices if c[0] in OUTCOMES_BY_TYPE[case.case_type]]


class AsylumDetailForm(ModelForm):
    class Meta:
        model = AsylumDetail
        exclude = ["case"]
        widgets = {"arrival_date": DATE, "status_renewal_date": DATE, "resettled_on": DATE}


class DeportationDetailForm(ModelForm):
    class Meta:
        model = DeportationDetail
        exclude = ["case"]
        widgets = {
            "detained_from": DATE, "detained_until": DATE, "reentry_ban_until": DATE,
            "scheduled_removal_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "charges": forms.Textarea(attrs={"rows": 3}), "detention_place": forms.Textarea(attrs={"rows": 2}),
        }


class WageDetailForm(ModelForm):
    new_employer_name = forms.CharField(label=_("New employer: company name"), max_length=300, required=False,
                                        help_text=_("Fill in only if the employer is not in the list."))
    new_employer_director = forms.CharField(label=_("New employer: director"), max_length=300, required=False)
    new_employer_address = forms.CharField(label=_("New employer: address"), max_length=1000, required=False)
    new_employer_registration_number = forms.CharField(label=_("New employer: registration number"), max_length=50, required=False)

    class Meta:
        model = WageDetail
        exclude = ["case"]
        widgets = {"work_from": DATE, "work_to": DATE, "intermediary": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, organisation_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employer"].queryset = Employer.objects.filter(organisation_id=organisation_id)
        for name in ("amount_owed", "amount_recovered"):
            self.fields[name].min_value = 0
            self.fields[name].widget.attrs["min"] = "0"


class AsylumDecisionForm(ModelForm):
    refusal_grounds = forms.MultipleChoiceField(
        label=_("Grounds of refusal"), choices=AsylumDecision.Ground.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = AsylumDecision
        exclude = ["case"]
        widgets = {"decided_on": DATE, "served_on": DATE}


class DomesticChallengeForm(ModelForm):
    class Meta:
        model = DomesticChallenge
        exclude = ["case"]
        widgets = {"lodged_on": DATE, "decided_on": DATE}


class InterimMeasureForm(ModelForm):
    class Meta:
        model = InterimMeasure
        exclude = ["case"]
        widgets = {"requested_on": DATE, "decided_on": DATE}


class WageClaimForm(ModelForm):
    class Meta:
        model = WageClaim
        exclude = ["case"]
        widgets = {"filed_on": DATE, "decided_on": DATE}


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
            data["user"] = access.user_for_named_grant(username)
            if data["user"] is None:
                self.add_error("username", _("No active user has this username."))
        return data


class RevokeForm(forms.Form):
    grantee_kind = forms.ChoiceField(choices=GrantForm.GRANTEE_KINDS)
    grantee_id = forms.IntegerField(min_value=1)


DETAIL_FORMS = {
    Case.Type.ASYLUM: AsylumDetailForm,
    Case.Type.DEPORTATION: DeportationDetailForm,
    Case.Type.UNPAID_WAGES: WageDetailForm,
}
RECORD_FORMS = {
    AsylumDecision: AsylumDecisionForm,
    DomesticChallenge: DomesticChallengeForm,
    InterimMeasure: InterimMeasureForm,
    WageClaim: WageClaimForm,
}
