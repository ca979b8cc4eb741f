"""Every read about deadlines, scoped through casework.access (a case given here was fetched through it)."""

import datetime
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import Case as CaseWhen
from django.db.models import Count, Exists, IntegerField, Min, OuterRef, Q, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone

from casework import access
from casework.cases.models import Case, CaseEvent
from casework.deadlines import rules
from casework.deadlines.models import CalendarFeed, Deadline, DeadlineChange, Notification
from casework.deadlines.texts import rule_text
from casework.deadlines.urgent import UrgentTrack, urgent_track
from casework.lib.tokens import token_digest

# "Needs attention": what the first reminder covers, and what a caseworker's notification counts.
ATTENTION_DAYS = 14
DASHBOARD_DAYS = 30


@dataclass(frozen=True)
class Bucket:
    key: str
    first_day: int | None  # days from today, None = unbounded
    last_day: int | None


# The dashboard's columns, in order. Days are counted from today.
BUCKETS = (
    Bucket("overdue", None, -1),
    Bucket("today", 0, 0),
    Bucket("week", 1, 7),
    Bucket("month", 8, DASHBOARD_DAYS),
    Bucket("later", DASHBOARD_DAYS + 1, None),
)


def _bucket_q(bucket: Bucket, today: datetime.date) -> Q:
    q = Q()
    if bucket.first_day is not None:
        q &= Q(due_date__gte=today + datetime.timedelta(days=bucket.first_day))
    if bucket.last_day is not None:
        q &= Q(due_date__lte=today + datetime.timedelta(days=bucket.last_day))
    return q


def with_bucket(deadlines: QuerySet[Deadline], today: datetime.date) -> QuerySet[Deadline]:
    """Annotate `bucket` (a Bucket key) so lists can label each row without counting days in templates."""
    return deadlines.annotate(
        bucket=CaseWhen(*(When(_bucket_q(b, today), then=Value(b.key)) for b in BUCKETS[:-1]), default=Value("later"))
    )


def bucket_counts(today: datetime.date, buckets=BUCKETS) -> dict:
    """Aggregates named after the buckets, for `.aggregate()` or `.values(...).annotate()`. Counting the
    (never empty) due date rather than the id lets the dashboard read the open-deadlines index alone."""
    return {b.key: Count("due_date", filter=_bucket_q(b, today), output_field=IntegerField()) for b in buckets}


# --- Proposals -----------------------------------------------------------------------------------


def event_for_case(case: Case, event_id: int) -> CaseEvent:
    event = CaseEvent.objects.filter(case=case, pk=event_id).first()
    if event is None:
        raise Http404
    return event


def proposed_rules(event: CaseEvent, *, earliest_event_date: datetime.date | None = None) -> list[rules.Rule]:
    """Rules the event sets running for the case's country and type.

    Whether an international route is open can depend on the date of the facts complained of, which the
    timeline does not pin down: they may be the event itself or go back to the case's first event. Both
    readings are asked and their union proposed; the caseworker dismisses what does not apply. (Missing
    a route is worse than dismissing one.)"""
    case = event.case
    if earliest_event_date is None:
        earliest_event_date = case.events.aggregate(first=Min("occurred_on"))["first"] or event.occurred_on
    found: dict[str, rules.Rule] = {}
    for facts_date in {event.occurred_on, min(earliest_event_date, event.occurred_on)}:
        try:
            matches = rules.proposals(jurisdiction=case.jurisdiction, case_type=case.case_type,
                                      event_kind=event.kind, event_date=event.occurred_on, facts_date=facts_date)
        except ValueError:  # a country the ruleset has no calendar for: nothing is proposed
            return []
        found.update((rule.id, rule) for rule in matches)
    return list(found.values())


@dataclass(frozen=True)
class Option:
    """One way to read a proposed rule (its variant) and the dates it gives."""

    variant: str
    label: str
    computation: rules.Computation


@dataclass(frozen=True)
class Proposal:
    rule: rules.Rule
    options: list[Option]
    decision: Deadline | None  # the deadline made from it (open, closed or dismissed), if any

    @property
    def computation(self) -> rules.Computation:
        return self.options[0].computation

    @property
    def confirmable(self) -> bool:
        """Undecided or dismissed (a dismissal can be reversed), and computable for the event's date."""
        return bool(self.options) and (self.decision is None or self.decision.status == Deadline.Status.DISMISSED)


def rule_options(rule: rules.Rule, trigger: datetime.date) -> list[Option]:
    options = []
    for variant in rule.variants:
        try:
            computation = rules.compute(rule.id, trigger, variant=variant.name)
        except rules.NotInForce:
            continue
        options.append(Option(variant.name if len(rule.variants) > 1 else "", rule_text(variant.label), computation))
    return options


def event_proposals(event: CaseEvent) -> list[Proposal]:
    """The event's proposals with what was decided on each, soonest first; deadlines confirmed for rules
    no longer proposed (the event's date was corrected since) are listed too."""
    decisions = {d.rule_id: d for d in event.deadlines.select_related("completed_by")}
    proposals = [
        Proposal(rule, options, decisions.pop(rule.id, None))
        for rule in proposed_rules(event)
        if (options := rule_options(rule, event.occurred_on))
    ]
    proposals += [Proposal(rules.get_rule(d.rule_id), [], d) for d in decisions.values()]
    return sorted(proposals, key=lambda p: p.decision.due_date if p.decision else p.computation.due_date)


# --- One case ----------------------------------------------------------------------------------------


@dataclass
class CaseDeadlines:
    open: list[Deadline]
    closed: list[Deadline]
    pending: list[tuple[CaseEvent, int]]  # events with proposals nobody has decided on yet, and how many
    urgent: UrgentTrack | None
    interim_requests: list = field(default_factory=list)


def case_deadlines(case: Case, *, now: datetime.datetime | None = None) -> CaseDeadlines:
    """Everything the case's deadline panel shows, in a fixed number of queries.

    `case` must come from access.case_for_personal_data. Its events, interim measures and deportation details are
    read through the case, so a page that prefetched them (cases.selectors.case_page) pays nothing more."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    deadlines = list(with_bucket(case.deadlines.select_related("trigger_event"), today))
    decided = {(d.trigger_event_id, d.rule_id) for d in deadlines}
    events = list(case.events.all())
    earliest = min((e.occurred_on for e in events), default=None)
    pending = []
    for event in events:
        open_proposals = [
            rule for rule in proposed_rules(event, earliest_event_date=earliest)
            if (event.pk, rule.id) not in decided
            and any(o.computation.due_date >= today for o in rule_options(rule, event.occurred_on))
        ]
        if open_proposals:
            pending.append((event, len(open_proposals)))
    urgent, interim = None, []
    if case.case_type == Case.Type.DEPORTATION:
        removal_at = case.deportation.scheduled_removal_at
        if removal_at and removal_at > now:
            urgent = urgent_track(jurisdiction=case.jurisdiction, removal_at=removal_at, now=now)
            interim = list(case.interim_measures.all())
    return CaseDeadlines(
        open=[d for d in deadlines if d.status == Deadline.Status.OPEN],
        closed=[d for d in deadlines if d.status not in (Deadline.Status.OPEN, Deadline.Status.DISMISSED)],
        pending=pending,
        urgent=urgent,
        interim_requests=interim,
    )


# A dismissed proposal is a decision on the proposals page, not a deadline of its own.
_SHOWN = [s for s in Deadline.Status.values if s != Deadline.Status.DISMISSED]


def deadline_for_case(case: Case, deadline_id: int) -> Deadline:
    deadline = (
        Deadline.objects.filter(case=case, pk=deadline_id, status__in=_SHOWN)
        .select_related("trigger_event", "completed_by", "created_by")
        .first()
    )
    if deadline is None:
        raise Http404
    return deadline


def deadline_history(deadline: Deadline) -> QuerySet[DeadlineChange]:
    return deadline.changes.select_related("changed_by")


# --- Across cases ------------------------------------------------------------------------------------


@dataclass
class Dashboard:
    per_caseworker: list[dict]
    totals: dict
    rows: QuerySet[Deadline]
    count: int  # of rows, from the counts already made (the buckets cover the 30 days without overlap)


def dashboard(user, *, today: datetime.date, assignee_id: int | None = None, bucket: str = "") -> Dashboard:
    """A coordinator's view of the organisation's open deadlines up to 30 days ahead.

    On a sensitive case that does not name the coordinator, a deadline is counted and listed by the case
    reference only (`shows_personal_data` is False): the coordinator knows one is due and whom to ask."""
    scope = access.organisation_deadlines(user).filter(
        status=Deadline.Status.OPEN, due_date__lte=today + datetime.timedelta(days=DASHBOARD_DAYS),
    )
    shown = BUCKETS[:-1]
    # Counted per assignee id from the two indexes, then named: joining the users row by row first cost
    # as much as the counting (bench/RESULTS.md).
    counts = list(scope.values("case__assigned_to").annotate(**bucket_counts(today, shown)).order_by())
    names = get_user_model().objects.only("first_name", "last_name", "username").in_bulk(
        [row["case__assigned_to"] for row in counts]
    )
    per_caseworker = sorted(
        ({**row, "case__assigned_to__first_name": names[row["case__assigned_to"]].first_name,
          "case__assigned_to__last_name": names[row["case__assigned_to"]].last_name,
          "case__assigned_to__username": names[row["case__assigned_to"]].username} for row in counts),
        key=lambda row: (row["case__assigned_to__last_name"], row["case__assigned_to__first_name"],
                         row["case__assigned_to__username"]),
    )
    totals = {b.key: sum(row[b.key] for row in per_caseworker) for b in shown}
    rows, listed = scope, [b for b in shown if not bucket or b.key == bucket]
    if assignee_id:
        rows = rows.filter(case__assigned_to_id=assignee_id)
    if bucket:
        rows = rows.filter(_bucket_q(listed[0], today))
    count = sum(row[b.key] for row in per_caseworker for b in listed
                if not assignee_id or row["case__assigned_to"] == assignee_id)
    personal = Case.objects.filter(access.personal_data_q(user), pk=OuterRef("case_id"))
    rows = (
        with_bucket(rows, today)
        .annotate(shows_personal_data=Exists(personal))
        .select_related("case__assigned_to")
        .order_by("due_date", "pk")
    )
    return Dashboard(per_caseworker, totals, rows, count)


def my_deadlines(user, *, today: datetime.date) -> tuple[dict, QuerySet[Deadline]]:
    """A caseworker's open deadlines on the cases assigned to them, soonest first, with bucket counts."""
    access.require(user, "case.edit_assigned")
    mine = Deadline.objects.filter(status=Deadline.Status.OPEN, case__in=access.cases_assigned_to(user))
    counts = mine.aggregate(**bucket_counts(today))
    return counts, with_bucket(mine, today).select_related("case").order_by("due_date", "pk")


def attention_count(user, *, today: datetime.date) -> int:
    """Open deadlines of the user's cases that are overdue or due within ATTENTION_DAYS."""
    return Deadline.objects.filter(
        status=Deadline.Status.OPEN, case__assigned_to=user,
        due_date__lte=today + datetime.timedelta(days=ATTENTION_DAYS),
    ).count()


def overdue_count(organisation_id: int, *, today: datetime.date) -> int:
    return Deadline.objects.filter(
        organisation_id=organisation_id, status=Deadline.Status.OPEN, due_date__lt=today
    ).count()


# --- Notifications and the calendar feed ----------------------------------------------------------------


def notifications_for(user) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user)[:50]


def unread_notification_count(user) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def calendar_feed_of(user) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(user=user).first()


def calendar_deadlines(token: str) -> QuerySet[Deadline] | None:
    """The open deadlines of the feed's owner on cases assigned to them; None for a token that is not
    (or no longer) issued, or whose owner has left."""
    feed = CalendarFeed.objects.select_related("user").filter(token_hash=token_digest(token)).first()
    if feed is None or access.membership(feed.user) is None:
        return None
    return (
        Deadline.objects.filter(
            status=Deadline.Status.OPEN, case__in=access.cases_assigned_to(feed.user)
        )
        .select_related("case")
        .only("pk", "due_date", "case__reference")
        .order_by("due_date", "pk")
    )
