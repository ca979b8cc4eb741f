"""Every read about deadlines, scoped through casework.access (a case given here was fetched through it)."""

import datetime
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, F, IntegerField, Min, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from casework import access
from casework.cases.models import Case, CaseEvent
from casework.deadlines import rules
from casework.deadlines.models import (
    ESCALATE_DAYS_BEFORE,
    PROPOSAL_ESCALATION_AFTER,
    CalendarFeed,
    Deadline,
    DeadlineChange,
    Notification,
)
from casework.deadlines.texts import rule_text
from casework.deadlines.urgent import UrgentTrack, urgent_track
from casework.lib.tokens import token_digest

# "Needs attention": what the first reminder covers, and what a caseworker's notification counts.
ATTENTION_DAYS = 14
DASHBOARD_DAYS = 30
# The dashboard's chart: open deadlines per caseworker per week, this many weeks ahead.
CHART_WEEKS = 8
# Lists of removals and proposals on the dashboard and "My deadlines" show at most this many, soonest
# first, and say how many more there are.
LISTED = 20
Status = Deadline.Status


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
    stored: Deadline | None  # its row: waiting (PROPOSED), or what was decided (open, closed or dismissed)

    @property
    def decision(self) -> Deadline | None:
        """The deadline made from it (open, closed) or its dismissal; None while it waits."""
        return None if self.stored is None or self.stored.status == Status.PROPOSED else self.stored

    @property
    def computation(self) -> rules.Computation:
        return self.options[0].computation

    @property
    def past_due(self) -> bool:
        """Its legal last day (in any of its situations) has gone by: confirming it needs an acknowledgement."""
        return any(option.computation.due_date < timezone.localdate() for option in self.options)

    @property
    def confirmable(self) -> bool:
        """Undecided or dismissed (a dismissal can be reversed), and computable for the event's date."""
        return bool(self.options) and (self.decision is None or self.decision.status == Status.DISMISSED)


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
    proposals += [Proposal(rules.get_rule(d.rule_id), [], d) for d in decisions.values() if d.status != Status.PROPOSED]
    return sorted(proposals, key=lambda p: p.decision.due_date if p.decision else p.computation.due_date)


# --- One case ----------------------------------------------------------------------------------------


@dataclass
class CaseDeadlines:
    open: list[Deadline]
    closed: list[Deadline]
    proposals: list[Deadline]  # waiting for a decision, soonest last day first
    urgent: UrgentTrack | None
    interim_requests: list = field(default_factory=list)

    @property
    def pending_count(self) -> int:
        """Open deadlines and proposals: what the case still has to meet."""
        return len(self.open) + len(self.proposals)

    @property
    def next_due(self) -> Deadline | None:
        """The soonest last day the case has to meet, confirmed or not."""
        return min(self.open + self.proposals, key=lambda d: (d.due_date, d.pk), default=None)


def case_deadlines(case: Case, *, now: datetime.datetime | None = None) -> CaseDeadlines:
    """Everything the case's deadline panel shows, in a fixed number of queries.

    `case` must come from access.case_for_personal_data. Its interim measures and deportation details are
    read through the case, so a page that prefetched them (cases.selectors.case_page) pays nothing more."""
    now = now or timezone.now()
    deadlines = list(case.deadlines.select_related("trigger_event").exclude(status=Status.DISMISSED))
    urgent, interim = None, []
    if case.case_type == Case.Type.DEPORTATION:
        removal_at = case.deportation.scheduled_removal_at
        if removal_at and removal_at > now:
            urgent = urgent_track(jurisdiction=case.jurisdiction, removal_at=removal_at, now=now)
            interim = list(case.interim_measures.all())
    return CaseDeadlines(
        open=[d for d in deadlines if d.status == Status.OPEN],
        closed=[d for d in deadlines if d.status not in (Status.OPEN, Status.PROPOSED)],
        proposals=[d for d in deadlines if d.status == Status.PROPOSED],
        urgent=urgent,
        interim_requests=interim,
    )


# A proposal, and a dismissed one, is shown and decided on its event's proposals page, not as a deadline.
_SHOWN = [s for s in Deadline.Status.values if s not in (Status.DISMISSED, Status.PROPOSED)]


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


@dataclass(frozen=True)
class Removal:
    """A scheduled removal as the dashboard and "My deadlines" list it, with its interim-measure route."""

    case: Case
    track: UrgentTrack
    interim: list  # the case's interim-measure requests, latest first

    @property
    def removal_at(self) -> datetime.datetime:
        return self.track.removal_at


def _personal(user) -> ExpressionWrapper:
    return ExpressionWrapper(access.personal_data_q(user), output_field=BooleanField())


def _upcoming_removals(cases: QuerySet[Case], now: datetime.datetime) -> QuerySet[Case]:
    return cases.filter(removal_at__gt=now).exclude(status=Case.Status.CLOSED)


def _removal_rows(cases: QuerySet[Case], user, now: datetime.datetime) -> list[Removal]:
    """Soonest first, at most LISTED, each with its route (Rule 39 or UN) and requests: two queries."""
    rows = (
        _upcoming_removals(cases, now)
        .annotate(shows_personal_data=_personal(user))
        .select_related("assigned_to").prefetch_related("interim_measures")
        .only("reference", "jurisdiction", "is_sensitive", "removal_at", "assigned_to__username",
              "assigned_to__first_name", "assigned_to__last_name")
        .order_by("removal_at", "pk")[:LISTED]
    )
    return [
        Removal(case, urgent_track(jurisdiction=case.jurisdiction, removal_at=case.removal_at, now=now),
                list(case.interim_measures.all()))
        for case in rows
    ]


# The columns a row of the deadline and proposal lists shows (rows.py), and its case's assignee: reading the
# deadline, its case and the user whole (some 60 columns) took ~1.5 ms more for 50 rows.
ROW_FIELDS = ("case__reference", "rule_id", "title", "due_date", "warnings")
ASSIGNEE_FIELDS = ("case__assigned_to__username", "case__assigned_to__first_name", "case__assigned_to__last_name")


def _listed(rows: QuerySet[Deadline], user, *fields: str) -> QuerySet[Deadline]:
    """What a row of the lists shows (and `fields`), with whose it is and whether the user may see the case's
    personal data."""
    personal = Case.objects.filter(access.personal_data_q(user), pk=OuterRef("case_id"))
    return (rows.annotate(shows_personal_data=Exists(personal)).select_related("case__assigned_to")
            .only(*ROW_FIELDS, *ASSIGNEE_FIELDS, *fields))


def _proposal_rows(proposals: QuerySet[Deadline], user) -> QuerySet[Deadline]:
    """Soonest last day first (the oldest wait breaking ties), with what a row shows. The LISTED are picked
    from the proposals alone, then joined: joining all of an organisation's (450 at 25,000 cases) to sort
    them cost ~9 ms (bench/RESULTS.md)."""
    order = ("due_date", "created_at", "pk")
    first = proposals.order_by(*order).values("pk")[:LISTED]
    return _listed(Deadline.objects.filter(pk__in=first), user, "created_at", "trigger_event_id").order_by(*order)


# What the dashboard counts per caseworker: the buckets up to 30 days, proposals, removals, the chart's weeks.
DASHBOARD_COLUMNS = [b.key for b in BUCKETS[:-1]] + ["proposals", "removals"] + [f"w{w}" for w in range(CHART_WEEKS)]


def _week_counts(today: datetime.date) -> dict:
    """Aggregates w0 … w7: deadlines due in each of the next CHART_WEEKS weeks, the first starting today."""
    return {
        f"w{week}": Count("due_date", output_field=IntegerField(), filter=Q(
            due_date__gte=today + datetime.timedelta(days=7 * week),
            due_date__lt=today + datetime.timedelta(days=7 * (week + 1)),
        ))
        for week in range(CHART_WEEKS)
    }


@dataclass
class Dashboard:
    per_caseworker: list[dict]
    totals: dict
    rows: QuerySet[Deadline]
    count: int  # of rows, from the counts already made (the buckets cover the 30 days without overlap)
    proposals: QuerySet[Deadline]
    removals: list[Removal]
    weeks: list[datetime.date]  # the first day of each week of the chart

    @property
    def chart_max(self) -> int:
        return max((n for row in self.per_caseworker for n in row["weeks"]), default=0)


def dashboard(user, *, today: datetime.date, now: datetime.datetime | None = None,
              assignee_id: int | None = None, bucket: str = "") -> Dashboard:
    """A coordinator's view of what the organisation has to meet: per caseworker, open deadlines up to 30
    days ahead, proposals waiting for a decision and scheduled removals, and the next 8 weeks' load.

    On a sensitive case that does not name the coordinator, a row is counted and listed by the case
    reference only (`shows_personal_data` is False): the coordinator knows one is due and whom to ask."""
    now = now or timezone.now()
    everything = access.organisation_deadlines(user)
    open_deadlines = everything.filter(status=Status.OPEN)
    scope = open_deadlines.filter(due_date__lte=today + datetime.timedelta(days=DASHBOARD_DAYS))
    shown = BUCKETS[:-1]
    proposals = everything.filter(status=Status.PROPOSED)
    removals = _upcoming_removals(access.organisation_cases(user), now)
    # The columns and the chart's weeks in one pass over the open-deadlines index, which carries the
    # assignee (joining the organisation's cases for it cost ~13 ms a pass at 25,000 cases, bench/RESULTS.md).
    counted = open_deadlines.filter(
        due_date__lte=today + datetime.timedelta(days=max(DASHBOARD_DAYS, 7 * CHART_WEEKS - 1)))
    # Counted per assignee id on the indexes, one query each whatever the organisation's size, then named:
    # joining the users row by row first cost as much as the counting (bench/RESULTS.md). Counting a column
    # the partial indexes carry lets PostgreSQL read them alone. (One UNION ALL of the three saved no time:
    # what the round trips cost went into compiling it.)
    counts: dict[int, dict] = {}
    for rows in (
        counted.values(assignee=F("assigned_to")).annotate(**bucket_counts(today, shown), **_week_counts(today)),
        proposals.values(assignee=F("assigned_to")).annotate(proposals=Count("due_date")),
        removals.values(assignee=F("assigned_to")).annotate(removals=Count("removal_at")),
    ):
        for row in rows.order_by():
            counts.setdefault(row.pop("assignee"), dict.fromkeys(DASHBOARD_COLUMNS, 0)).update(row)
    names = get_user_model().objects.only("first_name", "last_name", "username").in_bulk(list(counts))
    per_caseworker = sorted(
        ({**row, "user": names[pk], "weeks": [row[f"w{week}"] for week in range(CHART_WEEKS)]}
         for pk, row in counts.items() if pk in names),
        key=lambda row: (row["user"].last_name, row["user"].first_name, row["user"].username),
    )
    totals = {key: sum(row[key] for row in per_caseworker) for key in DASHBOARD_COLUMNS}
    totals["weeks"] = [totals[f"w{week}"] for week in range(CHART_WEEKS)]
    rows, listed = scope, [b for b in shown if not bucket or b.key == bucket]
    if assignee_id:
        rows = rows.filter(assigned_to_id=assignee_id)
        proposals = proposals.filter(assigned_to_id=assignee_id)
        removals = removals.filter(assigned_to_id=assignee_id)
    if bucket:
        rows = rows.filter(_bucket_q(listed[0], today))
    count = sum(row[b.key] for row in per_caseworker for b in listed if not assignee_id or row["user"].pk == assignee_id)
    return Dashboard(
        per_caseworker, totals, _listed(rows, user).order_by("due_date", "pk"), count,
        proposals=_proposal_rows(proposals, user),
        removals=_removal_rows(removals, user, now),
        weeks=[today + datetime.timedelta(days=7 * week) for week in range(CHART_WEEKS)],
    )


@dataclass
class MyDeadlines:
    counts: dict  # bucket key -> open deadlines, and "proposals", "removals"
    rows: QuerySet[Deadline]
    proposals: QuerySet[Deadline]
    removals: list[Removal]


def my_deadlines(user, *, today: datetime.date, now: datetime.datetime | None = None) -> MyDeadlines:
    """A caseworker's work on the cases assigned to them: scheduled removals, proposals waiting for their
    decision and open deadlines, soonest first, with counts."""
    access.require(user, "case.edit_assigned")
    now = now or timezone.now()
    cases = access.cases_assigned_to(user)
    mine = Deadline.objects.filter(status=Status.OPEN, case__in=cases)
    proposals = Deadline.objects.filter(status=Status.PROPOSED, case__in=cases)
    counts = mine.aggregate(**bucket_counts(today))
    counts["proposals"] = proposals.count()
    removals = _removal_rows(cases, user, now)
    counts["removals"] = len(removals)
    rows = mine.select_related("case").only(*ROW_FIELDS).order_by("due_date", "pk")
    return MyDeadlines(counts, rows, _proposal_rows(proposals, user), removals)


def attention_count(user, *, today: datetime.date) -> int:
    """What needs the caseworker's attention on their cases: open deadlines overdue or due within
    ATTENTION_DAYS, and every proposal waiting for their decision."""
    return Deadline.objects.filter(
        Q(status=Status.OPEN, due_date__lte=today + datetime.timedelta(days=ATTENTION_DAYS))
        | Q(status=Status.PROPOSED), case__assigned_to=user,
    ).count()


def waiting_proposal_count(user) -> int:
    """Proposals on the user's cases waiting for a decision."""
    return Deadline.objects.filter(status=Status.PROPOSED, case__assigned_to=user).count()


def escalated_proposal_count(organisation_id: int, *, now: datetime.datetime) -> int:
    """The organisation's proposals that have waited PROPOSAL_ESCALATION_AFTER, or whose last day is
    ESCALATE_DAYS_BEFORE days away or less: what the coordinators are told about."""
    today = timezone.localdate(now)
    return Deadline.objects.filter(
        Q(created_at__lte=now - PROPOSAL_ESCALATION_AFTER)
        | Q(due_date__lte=today + datetime.timedelta(days=ESCALATE_DAYS_BEFORE)),
        organisation_id=organisation_id, status=Status.PROPOSED,
    ).count()


def overdue_count(organisation_id: int, *, today: datetime.date) -> int:
    """The organisation's deadlines, confirmed or still proposed, whose last day has passed."""
    return Deadline.objects.filter(
        organisation_id=organisation_id, status__in=(Status.OPEN, Status.PROPOSED), due_date__lt=today
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
