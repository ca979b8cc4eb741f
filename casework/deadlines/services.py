"""Every write about deadlines: proposals decided, deadlines kept and closed, reminders scheduled and sent.

Each change to a deadline's date or status leaves a DeadlineChange row (who, when, old and new, why).
"""

import datetime
import functools
import logging
import secrets
import smtplib
import uuid

from celery import current_app
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, connection, transaction
from django.db.models import Min, OuterRef, Subquery
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from casework import access
from casework.audit.models import Action as AuditAction
from casework.audit.services import audit_record
from casework.cases.models import Case, CaseEvent
from casework.deadlines import rules, selectors
from casework.deadlines.models import (
    ESCALATE_DAYS_BEFORE,
    PROPOSAL_ESCALATION_AFTER,
    PROPOSAL_REMINDER_AFTER,
    REMINDER_OFFSETS,
    REMINDER_TIME,
    CalendarFeed,
    Deadline,
    DeadlineChange,
    Notification,
    Reminder,
)
from casework.lib.dates import require_plausible
from casework.lib.idempotency import replayed, replayed_or_refuse
from casework.lib.locks import lock_row
from casework.lib.tokens import token_digest
from casework.orgs.models import Membership

log = logging.getLogger(__name__)

Status = Deadline.Status
Action = DeadlineChange.Action
# What a case still has to meet: its open deadlines and the proposals nobody has decided on.
PENDING = (Status.OPEN, Status.PROPOSED)
# Claimed rows per transaction, and reminder ids per task message: publishing costs about a millisecond
# per message (see bench/), so a burst of thousands of reminders goes out in a few hundred messages.
DISPATCH_BATCH = 10_000
SEND_BATCH = 500
SEND_REMINDERS_TASK = "casework.deadlines.send_reminders"
# A claimed reminder still not sent after this (its message lost with a broker or worker) is claimed again.
# Far above the task time limit, so a running task is never doubled; a double would be harmless anyway.
STALE_AFTER = datetime.timedelta(minutes=30)
# One e-mail per person per burst of reminders: the next ones in this window stay in the app.
EMAIL_QUIET = datetime.timedelta(minutes=30)


def _compute(rule_id: str, trigger: datetime.date, variant: str) -> rules.Computation:
    try:
        return rules.compute(rule_id, trigger, variant=variant or None)
    except (rules.NotComputable, ValueError):
        raise ValidationError({"variant": _("This rule gives no date for an event on this day.")}) from None


def _lock_event(event: CaseEvent) -> CaseEvent:
    """The event, re-read under a row lock, then its case's: decisions on its proposals (and a correction of
    its date) take turns, so the second of two sees what the first decided and the date it decided on."""
    event = CaseEvent.objects.select_for_update(no_key=True, of=("self",)).select_related("case").get(pk=event.pk)
    lock_case(event.case_id)
    return event


def lock_case(case_id: int) -> None:
    """Every write of a case's deadlines takes the case row first (after the event it acts on, if any), then
    the deadlines: one order on every path, since each write ends by updating the case's next deadline, so
    two writers never hold one row each while waiting for the other's."""
    lock_row(Case, case_id)


def _proposed_rule(event: CaseEvent, rule_id: str) -> rules.Rule:
    for rule in selectors.proposed_rules(event):
        if rule.id == rule_id:
            return rule
    raise ValidationError(_("This deadline is not proposed for this event."))


def _new_deadline(case: Case, **fields) -> Deadline:
    """A deadline of the case, carrying its organisation and assignee (what the dashboard counts by)."""
    return Deadline(case=case, organisation_id=case.organisation_id, assigned_to_id=case.assigned_to_id, **fields)


def _apply(deadline: Deadline, computation: rules.Computation) -> None:
    deadline.rule_version = computation.rule_version
    deadline.nominal_date = computation.nominal_date
    deadline.computed_due_date = computation.due_date
    deadline.warnings = [warning.code for warning in computation.warnings]


# What each change of a deadline is in the audit trail. A proposal needs no event of its own: the rules make
# it while recording or correcting the event, which is audited.
AUDIT_ACTIONS = {
    Action.CONFIRMED: AuditAction.DEADLINE_CONFIRM,
    Action.DISMISSED: AuditAction.DEADLINE_DISMISS,
    Action.CREATED: AuditAction.DEADLINE_CREATE,
    Action.EDITED: AuditAction.DEADLINE_EDIT,
    Action.RECOMPUTED: AuditAction.DEADLINE_EDIT,
    Action.CLOSED: AuditAction.DEADLINE_COMPLETE,
}


def _record(deadline: Deadline, action: str, *, by, reason: str = "", old_due=None, old_status="", **fields) -> None:
    """The deadline's own history, and its event in the audit trail, in the caller's transaction."""
    DeadlineChange.objects.create(
        deadline=deadline, action=action, changed_by=by, reason=reason,
        old_due_date=old_due, new_due_date=deadline.due_date, old_status=old_status, new_status=deadline.status,
        **fields,
    )
    if action in AUDIT_ACTIONS:
        audit_record(actor=by, action=AUDIT_ACTIONS[action], case=deadline.case,
                     detail=f"deadline={deadline.pk} status={deadline.status}")


def next_due_refresh(case_id: int) -> None:
    """Keep Case.next_due_date (what lists show and sort by) in step with the case's deadlines, in the
    transaction that changed them: one UPDATE, whatever the number of deadlines."""
    earliest = (Deadline.objects.filter(case_id=OuterRef("pk"), status__in=PENDING).order_by()
                .values("case_id").annotate(first=Min("due_date")).values("first"))
    Case.objects.filter(pk=case_id).update(next_due_date=Subquery(earliest))


def _require_reason(reason: str, message: str) -> None:
    if not reason.strip():
        raise ValidationError({"reason": message})


def _require_open(deadline: Deadline) -> None:
    if deadline.status != Status.OPEN:
        raise ValidationError(_("This deadline is closed already."))


# --- Proposals ------------------------------------------------------------------------------------


# A proposal of another event than the one just recorded or corrected whose last day passed this long ago
# is not stored (nothing can be rescued by it, and years of them would bury the live ones); it can still be
# decided on its event's page. The event the caseworker is entering has all its proposals stored.
OLD_PROPOSAL_DAYS = 30


@transaction.atomic
def proposals_sync(*, case: Case, proposed_by, event: CaseEvent | None = None) -> list[Deadline]:
    """Store what the case's events set running as proposals (status PROPOSED) until someone decides, so
    they are counted, listed and reminded like deadlines; returns the proposals made now.

    Called whenever the timeline changes (`event` recorded or its date corrected; an earlier event can open
    routes for the others): a proposal still waiting takes the date its event now gives, one no longer
    proposed is dropped; decisions (confirmed, closed or dismissed) are left as they are. The case row is
    locked so two changes of one timeline take turns."""
    lock_case(case.pk)
    if Case.objects.filter(pk=case.pk, status=Case.Status.CLOSED).exists():
        return []  # a closed case sets nothing running (closing dismissed what was waiting)
    oldest = timezone.localdate() - datetime.timedelta(days=OLD_PROPOSAL_DAYS)
    events = list(case.events.all())
    earliest = min((e.occurred_on for e in events), default=None)
    stored = {(d.trigger_event_id, d.rule_id): d
              for d in Deadline.objects.select_for_update().filter(case=case, trigger_event__isnull=False)}
    made = []
    for other in events:
        wanted = {}
        for rule in selectors.proposed_rules(other, earliest_event_date=earliest):
            if options := selectors.rule_options(rule, other.occurred_on):
                wanted[rule.id] = options[0].computation
        for (event_id, rule_id), deadline in list(stored.items()):
            if event_id == other.pk and deadline.status == Status.PROPOSED and rule_id not in wanted:
                deadline.delete()  # its event's date was corrected: the rule no longer applies to it
        for rule_id, computation in wanted.items():
            deadline = stored.get((other.pk, rule_id))
            if deadline is None:
                if other != event and computation.due_date < oldest:
                    continue
                deadline = _new_deadline(case, trigger_event=other, rule_id=rule_id, created_by=proposed_by,
                                         status=Status.PROPOSED)
                _apply(deadline, computation)
                deadline.due_date = computation.due_date
                deadline.save()
                _record(deadline, Action.PROPOSED, by=proposed_by)
                reminders_schedule(deadline=deadline)
                made.append(deadline)
            elif deadline.status == Status.PROPOSED and deadline.due_date != computation.due_date:
                old_due = deadline.due_date
                _apply(deadline, computation)
                deadline.due_date = computation.due_date
                deadline.save(update_fields=["rule_version", "nominal_date", "computed_due_date", "warnings",
                                             "due_date"])
                _record(deadline, Action.RECOMPUTED, by=proposed_by, old_due=old_due, old_status=deadline.status)
                reminders_schedule(deadline=deadline)
    next_due_refresh(case.pk)
    return made


@transaction.atomic
def deadline_confirm(
    *,
    event: CaseEvent,
    rule_id: str,
    confirmed_by,
    variant: str = "",
    due_date: datetime.date | None = None,
    reason: str = "",
    late_acknowledged: bool = False,
    today: datetime.date | None = None,
) -> Deadline:
    """Make a proposal a deadline. A date other than the computed one needs a reason; a last day already
    past needs `late_acknowledged` (the person says they know), which stays on record. Confirming twice
    returns the same deadline; a dismissed proposal can still be confirmed."""
    require_plausible(due_date=due_date)
    event = _lock_event(event)
    _proposed_rule(event, rule_id)
    computation = _compute(rule_id, event.occurred_on, variant)
    due = due_date or computation.due_date
    if due != computation.due_date:
        _require_reason(reason, _("Say why the date differs from the computed one."))
    deadline = Deadline.objects.select_for_update().filter(trigger_event=event, rule_id=rule_id).first()
    if deadline is not None and deadline.status not in (Status.DISMISSED, Status.PROPOSED):
        return deadline
    if due < (today or timezone.localdate()) and not late_acknowledged:
        raise ValidationError({"late_acknowledged": _(
            "The last day of this deadline has passed. Tick the box to confirm that you know, then confirm again."
        )})
    old_status = deadline.status if deadline else ""
    if deadline is None:
        deadline = _new_deadline(event.case, trigger_event=event, rule_id=rule_id, created_by=confirmed_by)
    deadline.variant = variant
    _apply(deadline, computation)
    deadline.due_date = due
    deadline.status = Status.OPEN
    deadline.completed_on = deadline.completed_by = deadline.completed_at = None
    deadline.save()
    _record(deadline, Action.CONFIRMED, by=confirmed_by, old_status=old_status, old_due=computation.due_date,
            reason=reason, late_acknowledged=late_acknowledged and due < (today or timezone.localdate()))
    reminders_schedule(deadline=deadline)
    next_due_refresh(deadline.case_id)
    return deadline


@transaction.atomic
def deadline_dismiss(*, event: CaseEvent, rule_id: str, dismissed_by, reason: str) -> Deadline:
    """Decline a proposal (the rule does not apply), with a reason, so it is not proposed again. Dismissing
    twice returns the same dismissal."""
    event = _lock_event(event)
    _proposed_rule(event, rule_id)
    _require_reason(reason, _("Say why this deadline does not apply."))
    existing = Deadline.objects.select_for_update().filter(trigger_event=event, rule_id=rule_id).first()
    if existing is not None and existing.status == Status.DISMISSED:
        return existing
    if existing is not None and existing.status != Status.PROPOSED:
        raise ValidationError(_("This deadline is confirmed already: close it on its own page."))
    deadline = existing
    if deadline is None:  # proposed by the rules but not stored (rules changed since the event was recorded)
        computation = _compute(rule_id, event.occurred_on, "")
        deadline = _new_deadline(event.case, trigger_event=event, rule_id=rule_id, created_by=dismissed_by,
                                 due_date=computation.due_date)
        _apply(deadline, computation)
    _dismiss(deadline, by=dismissed_by, reason=reason)
    return deadline


def _dismiss(deadline: Deadline, *, by, reason: str) -> None:
    old_status = deadline.status if deadline.pk else ""
    deadline.status, deadline.completed_by, deadline.completed_at = Status.DISMISSED, by, timezone.now()
    deadline.save()
    _record(deadline, Action.DISMISSED, by=by, reason=reason, old_status=old_status)
    reminders_schedule(deadline=deadline)
    next_due_refresh(deadline.case_id)


def proposals_dismiss_for_closed_case(*, case: Case, dismissed_by) -> None:
    """A closed case sets nothing running any more: its waiting proposals are dismissed, on record."""
    for deadline in Deadline.objects.select_for_update().filter(case=case, status=Status.PROPOSED):
        _dismiss(deadline, by=dismissed_by, reason=_("The case was closed."))


# --- Deadlines -----------------------------------------------------------------------------------------


@transaction.atomic
def deadline_create_manual(
    *, case: Case, title: str, due_date: datetime.date, created_by, submission_token: uuid.UUID | None = None
) -> Deadline:
    """A deadline no rule computes (a court's own time limit, an appointment). Double submits create one."""
    if existing := replayed(case.deadlines.all(), submission_token):
        return existing
    if not title.strip():
        raise ValidationError({"title": _("Say what is due.")})
    require_plausible(due_date=due_date)
    try:
        with transaction.atomic():
            deadline = _new_deadline(case, title=title.strip(), due_date=due_date, created_by=created_by,
                                     submission_token=submission_token)
            deadline.save()
    except IntegrityError:  # the same form submitted at the same moment in another request
        return replayed_or_refuse(case.deadlines.all(), submission_token)
    _record(deadline, Action.CREATED, by=created_by)
    reminders_schedule(deadline=deadline)
    next_due_refresh(case.pk)
    return deadline


@transaction.atomic
def deadline_edit(*, deadline: Deadline, due_date: datetime.date, changed_by, reason: str) -> Deadline:
    """Move an open deadline's date (an extension granted, a date served later than recorded), with a reason."""
    require_plausible(due_date=due_date)
    lock_case(deadline.case_id)
    deadline = Deadline.objects.select_for_update().get(pk=deadline.pk)
    _require_open(deadline)
    _require_reason(reason, _("Say why the date changes."))
    if due_date == deadline.due_date:
        raise ValidationError({"due_date": _("This is the date already set.")})
    old_due, deadline.due_date = deadline.due_date, due_date
    deadline.save(update_fields=["due_date"])
    _record(deadline, Action.EDITED, by=changed_by, reason=reason, old_due=old_due, old_status=deadline.status)
    reminders_schedule(deadline=deadline)
    next_due_refresh(deadline.case_id)
    return deadline


CLOSING_STATUSES = (Status.MET, Status.MISSED, Status.WAIVED)


@transaction.atomic
def deadline_complete(
    *, deadline: Deadline, status: str, completed_by, completed_on: datetime.date | None = None, note: str = ""
) -> Deadline:
    """Close a deadline as met, missed or waived; who did it and when stay on record. Waiving needs a reason."""
    lock_case(deadline.case_id)
    deadline = Deadline.objects.select_for_update().get(pk=deadline.pk)
    _require_open(deadline)
    if status not in CLOSING_STATUSES:
        raise ValidationError({"status": _("Choose met, missed or waived.")})
    if status == Status.WAIVED:
        _require_reason(note, _("Say why the deadline is waived."))
    completed_on = completed_on or timezone.localdate()
    require_plausible(completed_on=completed_on)
    if completed_on > timezone.localdate():
        raise ValidationError({"completed_on": _("The date cannot be in the future.")})
    deadline.status, deadline.completed_on = status, completed_on
    deadline.completed_by, deadline.completed_at = completed_by, timezone.now()
    deadline.save(update_fields=["status", "completed_on", "completed_by", "completed_at"])
    _record(deadline, Action.CLOSED, by=completed_by, reason=note, old_due=deadline.due_date, old_status=Status.OPEN)
    reminders_schedule(deadline=deadline)
    next_due_refresh(deadline.case_id)
    return deadline


def deadlines_recompute_for_event(
    *, event: CaseEvent, previous_date: datetime.date, changed_by, reason: str
) -> list[Deadline]:
    """Recompute the open deadlines an event triggered after its date was corrected, and record it.

    The new computed date replaces the old one, also where it had been changed by hand (the history keeps
    that change). A rule that does not cover the new date stops the correction: the deadline must be closed
    first, so that nobody loses a date without deciding to. Runs inside the caller's transaction."""
    deadlines = list(event.deadlines.select_for_update().filter(status=Status.OPEN))
    for deadline in deadlines:
        try:
            computation = rules.compute(deadline.rule_id, event.occurred_on, variant=deadline.variant or None)
        except rules.NotComputable:
            raise ValidationError({"occurred_on": _(
                "The deadline “%(rule)s” does not apply to an event on this date. Close it first, then correct "
                "the date."
            ) % {"rule": deadline.label}}) from None
        old_due = deadline.due_date
        _apply(deadline, computation)
        deadline.due_date = computation.due_date
        deadline.save(update_fields=["rule_version", "nominal_date", "computed_due_date", "warnings", "due_date"])
        _record(deadline, Action.RECOMPUTED, by=changed_by, reason=reason, old_due=old_due, old_status=deadline.status,
                old_trigger_date=previous_date, new_trigger_date=event.occurred_on)
        reminders_schedule(deadline=deadline)
    proposals_sync(case=event.case, proposed_by=changed_by, event=event)
    return deadlines


# --- Reminders --------------------------------------------------------------------------------------


def _reminder_moment(due_date: datetime.date, days_before: int) -> datetime.datetime:
    day = due_date - datetime.timedelta(days=days_before)
    return timezone.make_aware(datetime.datetime.combine(day, REMINDER_TIME))


def proposal_reminder_moments(deadline: Deadline) -> dict[str, datetime.datetime]:
    """When a waiting proposal reminds: its caseworker a day after it was made; the coordinators after three
    days, or from the start of the third day before its last day if that comes first (at once when it has
    come already: the dispatcher sends what is due on its next tick)."""
    made = deadline.created_at
    close = timezone.make_aware(datetime.datetime.combine(
        deadline.due_date - datetime.timedelta(days=ESCALATE_DAYS_BEFORE), datetime.time.min))
    return {
        Reminder.Kind.PROPOSAL: made + PROPOSAL_REMINDER_AFTER,
        Reminder.Kind.ESCALATION: max(made, min(made + PROPOSAL_ESCALATION_AFTER, close)),
    }


def _deadline_moments(deadline: Deadline) -> dict[str, datetime.datetime]:
    """An open deadline's reminders: 14, 7, 3, 1 and 0 days before, and overdue the day after."""
    return {kind: _reminder_moment(deadline.due_date, days) for kind, days in REMINDER_OFFSETS.items()}


@transaction.atomic
def reminders_schedule(*, deadline: Deadline, now: datetime.datetime | None = None) -> None:
    """Arm the reminders of a deadline for what it is now: a proposal's (a day, then to the coordinators),
    an open deadline's (before its date, and overdue); cancel the other state's, and all of a closed one's.
    An open deadline's moment already past is skipped (a 14-day notice for a 10-day limit would be noise),
    except the overdue one, which escalates whenever it comes; a proposal's past moment is sent at once.

    Works from the deadline's row as stored, under its lock (its writers hold that lock already), so two
    schedulings of one deadline take turns instead of both inserting its reminders."""
    deadline = Deadline.objects.select_for_update().get(pk=deadline.pk)
    if deadline.status not in PENDING:
        deadline.reminders.filter(status=Reminder.Status.PENDING).update(status=Reminder.Status.CANCELLED)
        return
    require_plausible(due_date=deadline.due_date)
    now = now or timezone.now()
    proposed = deadline.status == Status.PROPOSED
    moments = proposal_reminder_moments(deadline) if proposed else _deadline_moments(deadline)
    existing = {reminder.kind: reminder for reminder in deadline.reminders.all()}
    new, changed = [], []
    for kind, due_at in moments.items():
        wanted = proposed or due_at > now or kind == Reminder.Kind.OVERDUE
        reminder = existing.pop(kind, None)
        if reminder is None:
            if wanted:
                new.append(Reminder(deadline=deadline, kind=kind, due_at=due_at))
        elif reminder.due_at != due_at or reminder.status == Reminder.Status.CANCELLED:
            # A claim for the old moment is dropped: its worker finds the reminder unclaimed and skips it.
            reminder.due_at, reminder.queued_at = due_at, None
            reminder.status = Reminder.Status.PENDING if wanted else Reminder.Status.CANCELLED
            changed.append(reminder)
    for reminder in existing.values():  # the other state's (a proposal confirmed, a deadline re-proposed)
        if reminder.status == Reminder.Status.PENDING:
            reminder.status, reminder.queued_at = Reminder.Status.CANCELLED, None
            changed.append(reminder)
    Reminder.objects.bulk_create(new)
    Reminder.objects.bulk_update(changed, ["due_at", "status", "queued_at"])


# One statement per batch: lock a batch of due, unclaimed (or stale) reminders in dispatch order, skipping
# rows another dispatcher holds, and stamp them claimed. Keyset on (due_at, id), the partial index's order,
# so each batch starts where the last ended instead of walking past the rows already claimed; due_at comes
# back as integer microseconds since the epoch (parsing 10,000 timestamps per batch in Python cost more than
# the update). The batch is an ARRAY, so PostgreSQL updates it by primary key (with `id IN (…)` it chose to
# hash-join a sequential scan of the whole table, ~300 ms a batch at 2.9 million reminders).
_CLAIM_SQL = """
    UPDATE {table} SET queued_at = %(now)s
    WHERE id = ANY(ARRAY(
        SELECT id FROM {table}
        WHERE status = %(pending)s AND due_at <= %(now)s AND (queued_at IS NULL OR queued_at < %(stale)s)
          AND (due_at, id) > (TIMESTAMPTZ 'epoch' + %(after_us)s * INTERVAL '1 microsecond', %(after_id)s)
        ORDER BY due_at, id LIMIT %(limit)s FOR UPDATE SKIP LOCKED))
    RETURNING (EXTRACT(EPOCH FROM due_at) * 1000000)::bigint, id
"""
_FIRST = (-62_135_596_800 * 1_000_000, 0)  # 0001-01-01 UTC, before any reminder


def _claim(after: tuple[int, int], *, now: datetime.datetime, batch_size: int) -> list[tuple[int, int]]:
    """One batch: [(due_at in µs since the epoch, id)]."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(_CLAIM_SQL.format(table=Reminder._meta.db_table), {
            "now": now, "stale": now - STALE_AFTER, "pending": Reminder.Status.PENDING,
            "after_us": after[0], "after_id": after[1], "limit": batch_size,
        })
        claimed = cursor.fetchall()
        if claimed:
            transaction.on_commit(functools.partial(_enqueue, sorted(pk for _due, pk in claimed)))
    return claimed


def _enqueue(reminder_ids: list[int]) -> None:
    """Hand claimed ids to the worker by the task's registered name (casework.deadlines.tasks registers it;
    naming it here keeps the tasks module, which calls these services, out of their imports)."""
    send_reminders = current_app.tasks[SEND_REMINDERS_TASK]
    for start in range(0, len(reminder_ids), SEND_BATCH):
        batch = reminder_ids[start:start + SEND_BATCH]
        # argsrepr given: Celery would otherwise build a repr of 500 ids for every message's headers.
        send_reminders.apply_async((batch,), argsrepr=f"({len(batch)} reminder ids)")


def reminders_dispatch(*, now: datetime.datetime | None = None, batch_size: int = DISPATCH_BATCH) -> int:
    """Claim every due reminder and enqueue its sending once the claim is committed; returns how many.

    Set-based: a batch is one UPDATE over the partial index of pending reminders, so the cost follows the
    reminders due, not the deadlines open. A claim only stamps queued_at (a heap-only update); a claim
    older than STALE_AFTER whose reminder is still unsent (message lost) is claimed again. SKIP LOCKED lets
    two overlapping runs share the work instead of waiting for or doubling each other."""
    if connection.vendor != "postgresql":
        raise ImproperlyConfigured("The reminder dispatcher needs PostgreSQL; the SQLite quick run has no worker.")
    now = now or timezone.now()
    claimed, after = 0, _FIRST
    while batch := _claim(after, now=now, batch_size=batch_size):
        claimed += len(batch)
        if len(batch) < batch_size:
            break
        after = max(batch)
    return claimed


def _recipients(deadline: Deadline, kind: str) -> dict:
    """user -> notification kind: the caseworker on the case; the coordinators too for an overdue deadline
    and for a proposal that has waited too long (escalated)."""
    recipients = {}
    assignee = deadline.case.assigned_to
    proposal = kind in (Reminder.Kind.PROPOSAL, Reminder.Kind.ESCALATION)
    if access.membership(assignee) is not None:
        recipients[assignee] = Notification.Kind.PROPOSALS if proposal else Notification.Kind.ATTENTION
    if kind in (Reminder.Kind.OVERDUE, Reminder.Kind.ESCALATION):
        told = Notification.Kind.OVERDUE if kind == Reminder.Kind.OVERDUE else Notification.Kind.ESCALATED
        for membership in access.overdue_recipients(deadline.organisation_id).select_related("user"):
            recipients[membership.user] = told
    return recipients


def _count(kind: str, user, deadline: Deadline, now: datetime.datetime) -> int:
    """What a notification of `kind` counts, as of now (never what the deadline is about)."""
    today = timezone.localdate(now)
    if kind == Notification.Kind.ATTENTION:
        return selectors.attention_count(user, today=today)
    if kind == Notification.Kind.PROPOSALS:
        return selectors.waiting_proposal_count(user)
    if kind == Notification.Kind.ESCALATED:
        return selectors.escalated_proposal_count(deadline.organisation_id, now=now)
    return selectors.overdue_count(deadline.organisation_id, today=today)


def _email(notification: Notification, language: str) -> EmailMessage:
    """Subject and body say how many and where to look, nothing else: mailboxes are read by others."""
    with translation.override(language):
        text = notification.text
        body = _("%(text)s\n\nSign in to see them: %(link)s\n") % {
            "text": text, "link": settings.SITE_URL.rstrip("/") + notification.url,
        }
        return EmailMessage(subject=f"Casework: {text}", body=body, to=[notification.recipient.email])


def reminder_send(*, reminder_id: int, now: datetime.datetime | None = None) -> bool:
    """Deliver one claimed reminder: an in-app notification per recipient, and an e-mail where the
    organisation allows them. Safe to run twice: the row lock and the claimed → sent transition make a
    second run find nothing to do. Returns whether this run sent it."""
    now = now or timezone.now()
    with transaction.atomic():
        reminder = Reminder.objects.select_for_update().filter(
            pk=reminder_id, status=Reminder.Status.PENDING, queued_at__isnull=False
        ).first()
        if reminder is None:
            return False
        deadline = Deadline.objects.select_related("case__assigned_to", "organisation").get(pk=reminder.deadline_id)
        notifications = [
            Notification(recipient=user, kind=kind, created_at=now, count=_count(kind, user, deadline, now))
            for user, kind in _recipients(deadline, reminder.kind).items()
        ]
        notifications_deliver(notifications, organisation=deadline.organisation, now=now)
        reminder.status, reminder.sent_at = Reminder.Status.SENT, now
        reminder.save(update_fields=["status", "sent_at"])
    return True


def notifications_deliver(notifications: list[Notification], *, organisation, now: datetime.datetime) -> None:
    """Store in-app notifications for members of `organisation` and, where it sends reminder e-mails, e-mail
    each recipient who has an address and was not e-mailed in the last EMAIL_QUIET (a count and a link,
    nothing else).

    A suspended organisation's members are told nothing, in the app or by e-mail. An e-mail would send them
    to a sign-in that refuses them and tell whoever reads their mailbox (a suspension may follow a seized
    phone) that the work goes on; a stored notice would be a stale count by the time they can read it, and
    would reach its coordinators only (access.membership already leaves a suspended caseworker out). Nothing
    is lost: after reactivation the deadline pages and 'To confirm' count what is due or waiting as it is."""
    if organisation.suspended_at is not None:
        return
    if organisation.reminder_emails:
        _send_emails([n for n in notifications if n.recipient.email and not _emailed_lately(n.recipient, now)])
    Notification.objects.bulk_create(notifications)


def _emailed_lately(user, now: datetime.datetime) -> bool:
    return Notification.objects.filter(recipient=user, emailed=True, created_at__gte=now - EMAIL_QUIET).exists()


def _send_emails(notifications: list[Notification]) -> None:
    """Sent before the reminder is marked sent, so a crash in between repeats an e-mail rather than lose it.
    A failing mail server does not hold back the in-app notifications; it is logged (without content)."""
    if not notifications:
        return
    # In the language each person last chose in the app, else the site's.
    chosen = dict(Membership.objects.filter(user__in=[n.recipient for n in notifications])
                  .exclude(language="").values_list("user_id", "language"))
    try:
        get_connection().send_messages([_email(n, chosen.get(n.recipient_id, settings.LANGUAGE_CODE))
                                        for n in notifications])
    except (OSError, smtplib.SMTPException):
        log.exception("Reminder e-mail could not be sent to %d recipients", len(notifications))
        return
    for notification in notifications:
        notification.emailed = True


def notifications_mark_read(*, user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())


# --- Calendar feed ---------------------------------------------------------------------------------


def calendar_feed_issue(*, user) -> str:
    """A new secret feed address for the user; any earlier one stops working. The token is returned once
    and only its hash is kept."""
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        CalendarFeed.objects.update_or_create(user=user, defaults={"token_hash": token_digest(token),
                                                                  "created_at": timezone.now()})
        audit_record(actor=user, action=AuditAction.CALENDAR_FEED, detail="feed=issued")
    return token


@transaction.atomic
def calendar_feed_revoke(*, user) -> None:
    if CalendarFeed.objects.filter(user=user).delete()[0]:
        audit_record(actor=user, action=AuditAction.CALENDAR_FEED, detail="feed=revoked")
