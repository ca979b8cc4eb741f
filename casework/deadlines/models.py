"""Deadlines a case must meet, their history, the reminders they schedule and what users are told.

A deadline computed by the engine (casework/deadlines/rules.py) keeps the rule id, version and
warnings it was computed with, so what a caseworker relied on stays visible after the rules change.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from casework.choices import ChoiceLabels
from casework.crypto import EncryptedCharField, EncryptedTextField
from casework.deadlines.texts import rule_title


class Deadline(ChoiceLabels, models.Model):
    class Status(models.TextChoices):
        # Computed by the rules from an event and waiting for the caseworker to confirm or dismiss it. It is
        # work like an open deadline (counted, listed, reminded) until someone decides.
        PROPOSED = "proposed", _("Awaiting confirmation")
        OPEN = "open", _("Open")
        MET = "met", _("Met")
        MISSED = "missed", _("Missed")
        WAIVED = "waived", _("Waived")
        # A proposal the caseworker declined: kept so it is not proposed again and the decision is on record.
        DISMISSED = "dismissed", _("Dismissed")

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="deadlines")
    # The case's organisation and assignee, copied (and kept by casework.cases.services.case_reassign) so
    # the dashboard counts per caseworker from one index instead of joining every case (bench/RESULTS.md).
    organisation = models.ForeignKey("orgs.Organisation", on_delete=models.PROTECT, related_name="+")
    assigned_to = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
                                    db_index=False)
    rule_id = models.CharField(max_length=80, blank=True)
    rule_version = models.CharField(max_length=20, blank=True)
    variant = models.CharField(max_length=40, blank=True)
    # RESTRICT: an event cannot be deleted from under its deadlines, but a case deletion takes both.
    trigger_event = models.ForeignKey(
        "cases.CaseEvent", null=True, blank=True, on_delete=models.RESTRICT, related_name="deadlines"
    )
    title = EncryptedCharField(_("what is due"), max_length=200, blank=True)
    nominal_date = models.DateField(_("nominal last day"), null=True, blank=True)
    computed_due_date = models.DateField(_("legal last day as computed"), null=True, blank=True)
    due_date = models.DateField(_("due date"))
    warnings = models.JSONField(default=list, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    completed_on = models.DateField(_("done on"), null=True, blank=True)
    completed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    completed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    submission_token = models.UUIDField(null=True, unique=True, editable=False)

    class Meta:
        verbose_name = _("deadline")
        verbose_name_plural = _("deadlines")
        ordering = ["due_date", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["trigger_event", "rule_id"], condition=Q(trigger_event__isnull=False),
                name="deadline_one_per_event_rule",
            ),
            models.CheckConstraint(
                condition=Q(rule_id="", trigger_event__isnull=True) | (~Q(rule_id="") & Q(trigger_event__isnull=False)),
                name="deadline_rule_needs_event",
            ),
        ]
        indexes = [
            # assignee included: the dashboard counts per caseworker from this index alone (bench/RESULTS.md).
            models.Index(fields=["organisation", "due_date"], include=["case", "assigned_to"],
                         condition=Q(status="open"), name="deadline_org_open_by_who_idx"),
            # The few proposals awaiting a decision: the dashboard's column and the escalation counts.
            models.Index(fields=["organisation", "created_at"], include=["case", "due_date", "assigned_to"],
                         condition=Q(status="proposed"), name="deadline_org_proposed_who_idx"),
        ]

    def __str__(self):
        return f"{self.case_id} {self.rule_id or 'manual'} {self.due_date}"

    @property
    def is_manual(self) -> bool:
        return not self.rule_id

    @property
    def label(self) -> str:
        """What is due: the rule's title in the user's language, or the title typed for a manual deadline."""
        return self.title if self.is_manual else rule_title(self.rule_id)

    @property
    def is_proposal(self) -> bool:
        return self.status == self.Status.PROPOSED

    @property
    def is_edited(self) -> bool:
        """The date worked to is not the one the engine computed (changed by hand, with a reason)."""
        return self.computed_due_date is not None and self.due_date != self.computed_due_date


class DeadlineChange(models.Model):
    """One line of a deadline's history: who changed what, when and why."""

    class Action(models.TextChoices):
        PROPOSED = "proposed", _("Proposed by the rules")
        CONFIRMED = "confirmed", _("Confirmed")
        CREATED = "created", _("Added by hand")
        EDITED = "edited", _("Date changed")
        RECOMPUTED = "recomputed", _("Recomputed after the event date was corrected")
        CLOSED = "closed", _("Status changed")
        DISMISSED = "dismissed", _("Dismissed")

    deadline = models.ForeignKey(Deadline, on_delete=models.CASCADE, related_name="changes")
    action = models.CharField(max_length=12, choices=Action.choices)
    old_due_date = models.DateField(null=True)
    new_due_date = models.DateField(null=True)
    old_trigger_date = models.DateField(null=True)
    new_trigger_date = models.DateField(null=True)
    old_status = models.CharField(max_length=10, choices=Deadline.Status.choices, blank=True)
    new_status = models.CharField(max_length=10, choices=Deadline.Status.choices, blank=True)
    reason = EncryptedTextField(max_length=2000, blank=True)
    # Confirmed although its last day had passed: the person said they knew (deadline_confirm).
    late_acknowledged = models.BooleanField(default=False)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-changed_at", "-pk"]


class Reminder(ChoiceLabels, models.Model):
    class Kind(models.TextChoices):
        DAYS_14 = "14d", _("14 days before")
        DAYS_7 = "7d", _("7 days before")
        DAYS_3 = "3d", _("3 days before")
        DAYS_1 = "1d", _("the day before")
        DAYS_0 = "0d", _("on the day")
        OVERDUE = "overdue", _("overdue")
        # For a proposal nobody has confirmed or dismissed: the caseworker after a day, the coordinators later.
        PROPOSAL = "proposal", _("awaiting confirmation for a day")
        ESCALATION = "escalate", _("awaiting confirmation, to the coordinators")

    class Status(models.TextChoices):
        PENDING = "pending", _("scheduled")
        SENT = "sent", _("sent")
        CANCELLED = "cancelled", _("cancelled")

    # No index of its own: the unique (deadline, kind) index serves lookups by deadline, and every index
    # less is one write less for each row the dispatcher claims.
    deadline = models.ForeignKey(Deadline, on_delete=models.CASCADE, related_name="reminders", db_index=False)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    due_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    # Set when the dispatcher hands a pending reminder to a worker. Not indexed, and the status stays
    # pending, so the claim is a heap-only (HOT) update that touches no index: the dispatcher's cost per
    # reminder (bench/RESULTS.md). The table keeps free room on each page for it (fillfactor, migration).
    queued_at = models.DateTimeField(null=True)
    sent_at = models.DateTimeField(null=True)

    class Meta:
        ordering = ["due_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["deadline", "kind"], name="reminder_one_per_kind")]
        indexes = [
            # The dispatcher reads only this slice, in this order, whatever the number of deadlines.
            models.Index(fields=["due_at", "id"], condition=Q(status="pending"), name="reminder_pending_due_idx"),
        ]

    @property
    def is_claimed(self) -> bool:
        return self.status == self.Status.PENDING and self.queued_at is not None


# Days before the due date for each reminder kind; overdue fires the day after.
REMINDER_OFFSETS: dict[str, int] = {
    Reminder.Kind.DAYS_14: 14, Reminder.Kind.DAYS_7: 7, Reminder.Kind.DAYS_3: 3,
    Reminder.Kind.DAYS_1: 1, Reminder.Kind.DAYS_0: 0, Reminder.Kind.OVERDUE: -1,
}
REMINDER_TIME = datetime.time(9, 0)
# A proposal reminds its caseworker after a day, and the coordinators after three days, or at once when its
# legal last day is ESCALATE_DAYS_BEFORE days away or less.
PROPOSAL_REMINDER_AFTER = datetime.timedelta(hours=24)
PROPOSAL_ESCALATION_AFTER = datetime.timedelta(hours=72)
ESCALATE_DAYS_BEFORE = 3


class Notification(models.Model):
    """An in-app message. It holds a count and a kind, never a name, case, court or country."""

    class Kind(models.TextChoices):
        ATTENTION = "attention", _("Your deadlines")
        OVERDUE = "overdue", _("Overdue in your organisation")
        PROPOSALS = "proposals", _("Deadlines to confirm")
        ESCALATED = "escalated", _("Deadlines waiting for confirmation in your organisation")
        # Someone gained, or waits to gain, a role that sees client data (told to the coordinators).
        ROLE_PENDING = "role_wait", _("Roles waiting for your confirmation")
        ROLE_GAINED = "role_new", _("New access to client data")
        # A change to how the account signs in, told to its owner in case it was not them.
        RECOVERY_CODES = "recovery", _("New recovery codes")
        AUTHENTICATOR = "device", _("New authenticator app")
        PASSWORD = "password", _("Password changed")

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    count = models.PositiveIntegerField()
    emailed = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient"], condition=Q(read_at__isnull=True), name="notification_unread_idx")]

    @property
    def is_security_notice(self) -> bool:
        return self.kind in SECURITY_NOTICES

    @property
    def url(self) -> str:
        if self.is_security_notice:
            return reverse("account")
        if self.kind in (self.Kind.ROLE_PENDING, self.Kind.ROLE_GAINED):
            return reverse("role_requests")
        return reverse("deadline_dashboard" if self.kind in (self.Kind.OVERDUE, self.Kind.ESCALATED) else "my_deadlines")

    @property
    def text(self) -> str:
        if self.is_security_notice:
            warning = _("If this was not you, sign out everywhere and tell your organisation's admin at once.")
            return f"{SECURITY_NOTICES[self.kind]} {warning}"
        if self.kind == self.Kind.ROLE_PENDING:
            return ngettext(
                "%(count)d request for access to client data is waiting for your confirmation.",
                "%(count)d requests for access to client data are waiting for your confirmation.", self.count,
            ) % {"count": self.count}
        if self.kind == self.Kind.ROLE_GAINED:
            return ngettext(
                "%(count)d member of your organisation was given access to client data.",
                "%(count)d members of your organisation were given access to client data.", self.count,
            ) % {"count": self.count}
        if self.kind == self.Kind.OVERDUE:
            return ngettext(
                "%(count)d deadline in your organisation is overdue.",
                "%(count)d deadlines in your organisation are overdue.", self.count,
            ) % {"count": self.count}
        if self.kind == self.Kind.PROPOSALS:
            return ngettext(
                "%(count)d proposed deadline on your cases is waiting for you to confirm or dismiss it.",
                "%(count)d proposed deadlines on your cases are waiting for you to confirm or dismiss them.",
                self.count,
            ) % {"count": self.count}
        if self.kind == self.Kind.ESCALATED:
            return ngettext(
                "%(count)d proposed deadline in your organisation has waited too long for confirmation.",
                "%(count)d proposed deadlines in your organisation have waited too long for confirmation.",
                self.count,
            ) % {"count": self.count}
        return ngettext(
            "%(count)d of your deadlines needs attention.", "%(count)d of your deadlines need attention.", self.count
        ) % {"count": self.count}


SECURITY_NOTICES = {
    Notification.Kind.RECOVERY_CODES: _("New recovery codes were made for your account; the old ones no longer work."),
    Notification.Kind.AUTHENTICATOR: _("A new authenticator app was set up for your account; the old one no longer works."),
    Notification.Kind.PASSWORD: _("The password of your account was changed."),
}


class CalendarFeed(models.Model):
    """A user's secret calendar address. Only a hash is stored: a leaked database does not open the feeds."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
