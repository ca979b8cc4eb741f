import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework.deadlines.models import Deadline
from casework.deadlines.selectors import BUCKETS
from casework.lib.dates import BoundedDateField
from casework.lib.forms import SubmissionTokenMixin

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
REASON = forms.Textarea(attrs={"rows": 2})


class ConfirmForm(forms.Form):
    """Confirm a proposal as computed, or with another date and the reason for it."""

    rule_id = forms.CharField(widget=forms.HiddenInput)
    variant = forms.ChoiceField(label=_("Which situation"), required=False)
    due_date = BoundedDateField(
        label=_("Due date"), required=False, widget=DATE,
        help_text=_("Leave empty to keep the computed date."),
    )
    reason = forms.CharField(label=_("Reason for another date"), max_length=2000, required=False, widget=REASON)
    late_acknowledged = forms.BooleanField(
        label=_("I know the last day has passed and confirm this deadline all the same"), required=False,
    )

    def __init__(self, *args, options=(), past_due=False, **kwargs):
        super().__init__(*args, **kwargs)
        past_due = past_due or self._posted_date_has_passed()
        if past_due:  # asked first, where the computed last day has gone by (the service checks either way)
            self.order_fields(["rule_id", "late_acknowledged"])
        else:
            self.fields["late_acknowledged"].widget = forms.HiddenInput()
        if len(options) > 1:
            self.fields["variant"].choices = [(o.variant, f"{o.label} — {o.computation.due_date:%Y-%m-%d}") for o in options]
            self.fields["variant"].required = True
        else:
            del self.fields["variant"]


    def _posted_date_has_passed(self) -> bool:
        """A date typed instead of the computed one may be past too: the box is asked for it as well."""
        try:
            return self.is_bound and datetime.date.fromisoformat(self.data.get("due_date", "")) < timezone.localdate()
        except (TypeError, ValueError):
            return False


class DismissForm(forms.Form):
    rule_id = forms.CharField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Why it does not apply"), max_length=2000, widget=REASON)


class ManualDeadlineForm(SubmissionTokenMixin, forms.Form):
    title = forms.CharField(label=_("What is due"), max_length=200)
    due_date = BoundedDateField(label=_("Due date"), widget=DATE)


class DeadlineEditForm(forms.Form):
    due_date = BoundedDateField(label=_("New due date"), widget=DATE)
    reason = forms.CharField(label=_("Reason for the change"), max_length=2000, widget=REASON)


class DeadlineCompleteForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Outcome"), widget=forms.RadioSelect,
        choices=[(s, Deadline.Status(s).label) for s in (Deadline.Status.MET, Deadline.Status.MISSED, Deadline.Status.WAIVED)],
    )
    completed_on = BoundedDateField(label=_("On"), required=False, widget=DATE, help_text=_("Today if left empty."))
    note = forms.CharField(label=_("Note"), max_length=2000, required=False, widget=REASON,
                           help_text=_("Required when the deadline is waived."))


BUCKET_LABELS = {
    "overdue": _("Overdue"),
    "today": _("Due today"),
    "week": _("In 1–7 days"),
    "month": _("In 8–30 days"),
    "later": _("Later"),
}
# The dashboard's two other columns.
DASHBOARD_LABELS = {"proposals": _("Awaiting confirmation"), "removals": _("Removals")}


class DashboardFilterForm(forms.Form):
    assignee = forms.TypedChoiceField(label=_("Caseworker"), coerce=int, required=False, empty_value=None)
    bucket = forms.ChoiceField(
        label=_("When"), required=False,
        choices=[("", _("Up to 30 days"))] + [(b.key, BUCKET_LABELS[b.key]) for b in BUCKETS[:-1]],
    )

    def __init__(self, *args, caseworkers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].choices = [("", _("Everyone"))] + list(caseworkers)
