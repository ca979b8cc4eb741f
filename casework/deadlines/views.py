from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from casework import access
from casework.audit.models import Action
from casework.audit.services import audit_record
from casework.deadlines import calendar, charts, selectors, services
from casework.deadlines.forms import (
    BUCKET_LABELS,
    DASHBOARD_LABELS,
    ConfirmForm,
    DashboardFilterForm,
    DeadlineCompleteForm,
    DeadlineEditForm,
    DismissForm,
    ManualDeadlineForm,
)
from casework.deadlines.rules import get_rule
from casework.deadlines.texts import VERIFY, rule_text, warning_messages
from casework.lib.forms import add_service_errors, submit


def _page(request, rows, count: int, per_page: int | None = None):
    """A page of rows whose number the selector has already counted (no second COUNT query)."""
    paginator = Paginator(rows, per_page or settings.CASES_PAGE_SIZE)
    paginator.count = count
    return paginator.get_page(request.GET.get("page"))


def _ids(proposal, form: str) -> str:
    """Field ids of one proposal's form: a page holds a confirm and a dismiss form for each proposal, and
    every label must point at its own field."""
    return f"{form}-{proposal.rule.id}-%s"


def _proposal_row(proposal, bound) -> dict:
    """What the proposals page shows of one proposal, with the form that was posted for it, if any."""
    posted = bound if bound is not None and bound["rule_id"].value() == proposal.rule.id else None
    computation = proposal.computation if proposal.options else None
    return {
        "proposal": proposal,
        "title": rule_text(proposal.rule.title),
        "warnings": warning_messages([w.code for w in computation.warnings], rule_id=proposal.rule.id,
                                     nominal=computation.nominal_date) if computation else [],
        "confirm_form": posted if isinstance(posted, ConfirmForm)
        else ConfirmForm(initial={"rule_id": proposal.rule.id}, options=proposal.options,
                         past_due=proposal.past_due, auto_id=_ids(proposal, "confirm")),
        "dismiss_form": posted if isinstance(posted, DismissForm)
        else DismissForm(initial={"rule_id": proposal.rule.id}, auto_id=_ids(proposal, "dismiss")),
    }


def deadline_proposals(request, reference, event_id):
    """Where a caseworker lands after recording an event: confirm, re-date or dismiss what it sets running."""
    case = (access.case_for_edit if request.method == "POST" else access.case_for_personal_data)(request.user, reference)
    event = selectors.event_for_case(case, event_id)
    bound = None
    if request.method == "POST":
        proposal = next((p for p in selectors.event_proposals(event) if p.rule.id == request.POST.get("rule_id")), None)
        if proposal is None:
            raise Http404
        dismiss = request.POST.get("action") == "dismiss"
        bound = DismissForm(request.POST, auto_id=_ids(proposal, "dismiss")) if dismiss else ConfirmForm(
            request.POST, options=proposal.options, past_due=proposal.past_due, auto_id=_ids(proposal, "confirm"))
        if bound.is_valid():
            try:
                if dismiss:
                    services.deadline_dismiss(event=event, dismissed_by=request.user, **bound.cleaned_data)
                else:
                    services.deadline_confirm(event=event, confirmed_by=request.user, **bound.cleaned_data)
            except ValidationError as error:
                if hasattr(error, "error_dict"):
                    add_service_errors(bound, error)
                else:  # decided meanwhile (e.g. by a colleague): the page as it is now, with why nothing changed
                    messages.error(request, " ".join(error.messages))
                    return redirect("deadline_proposals", reference=case.reference, event_id=event.pk)
            else:
                messages.success(request, _("Proposal dismissed.") if dismiss else _("Deadline confirmed."))
                return redirect("deadline_proposals", reference=case.reference, event_id=event.pk)
    rows = [_proposal_row(proposal, bound) for proposal in selectors.event_proposals(event)]
    audit_record(actor=request.user, action=Action.VIEW_CASE, case=case, request=request,
                 detail=f"page=proposals event={event.pk}")
    return render(request, "deadlines/proposals.html", {
        "case": case, "event": event, "rows": rows, "can_edit": access.EDIT in access.case_actions(request.user, case),
    })


def case_deadlines(request, reference):
    case = access.case_for_personal_data(request.user, reference)
    audit_record(actor=request.user, action=Action.VIEW_CASE, case=case, request=request, detail="page=deadlines")
    return render(request, "deadlines/case_deadlines.html", {"case": case})


def deadline_detail(request, reference, deadline_id):
    case = access.case_for_personal_data(request.user, reference)
    deadline = selectors.deadline_for_case(case, deadline_id)
    rule = None if deadline.is_manual else get_rule(deadline.rule_id)
    variant_label = ""
    if rule and deadline.variant:
        variant_label = rule_text(rule.variant(deadline.variant).label)
    audit_record(actor=request.user, action=Action.VIEW_CASE, case=case, request=request,
                 detail=f"page=deadline deadline={deadline.pk}")
    return render(request, "deadlines/detail.html", {
        "case": case,
        "deadline": deadline,
        "rule": rule,
        "variant_label": variant_label,
        "warnings": warning_messages(deadline.warnings, rule_id=deadline.rule_id, nominal=deadline.nominal_date),
        "verify": VERIFY,
        "history": selectors.deadline_history(deadline),
        "reminders": deadline.reminders.all(),
        "can_edit": access.EDIT in access.case_actions(request.user, case),
    })


def deadline_create(request, reference):
    case = access.case_for_edit(request.user, reference)
    form = ManualDeadlineForm(request.POST or None)
    if (deadline := submit(form, lambda data: services.deadline_create_manual(case=case, created_by=request.user, **data))):
        messages.success(request, _("Deadline added."))
        return redirect("deadline_detail", reference=case.reference, deadline_id=deadline.pk)
    return render(request, "deadlines/form.html", {"case": case, "form": form, "title": _("Add a deadline")})


def deadline_edit(request, reference, deadline_id):
    case = access.case_for_edit(request.user, reference)
    deadline = selectors.deadline_for_case(case, deadline_id)
    form = DeadlineEditForm(request.POST or None, initial={"due_date": deadline.due_date})
    if submit(form, lambda data: services.deadline_edit(deadline=deadline, changed_by=request.user, **data)):
        messages.success(request, _("Due date changed."))
        return redirect("deadline_detail", reference=case.reference, deadline_id=deadline.pk)
    return render(request, "deadlines/form.html", {
        "case": case, "deadline": deadline, "form": form, "title": _("Change the due date"),
    })


def deadline_complete(request, reference, deadline_id):
    case = access.case_for_edit(request.user, reference)
    deadline = selectors.deadline_for_case(case, deadline_id)
    form = DeadlineCompleteForm(request.POST or None)
    if submit(form, lambda data: services.deadline_complete(deadline=deadline, completed_by=request.user, **data)):
        messages.success(request, _("Deadline closed."))
        return redirect("deadline_detail", reference=case.reference, deadline_id=deadline.pk)
    return render(request, "deadlines/form.html", {
        "case": case, "deadline": deadline, "form": form, "title": _("Close the deadline"),
    })


def deadline_dashboard(request):
    """Coordinators: per caseworker, what the organisation has to meet (open deadlines up to 30 days
    ahead, proposals waiting, scheduled removals) and the load of the next 8 weeks."""
    m = access.require(request.user, "case.view_all")
    caseworkers = [
        (membership.user_id, membership.user.get_full_name() or membership.user.username)
        for membership in access.assignable_members(m.organisation_id).select_related("user")
        .only("user__first_name", "user__last_name", "user__username")
        .order_by("user__last_name", "user__first_name", "user__username")
    ]
    form = DashboardFilterForm(request.GET or None, caseworkers=caseworkers)
    filters = form.cleaned_data if form.is_valid() else {}
    board = selectors.dashboard(request.user, today=timezone.localdate(),
                                assignee_id=filters.get("assignee"), bucket=filters.get("bucket", ""))
    columns = [(b.key, BUCKET_LABELS[b.key]) for b in selectors.BUCKETS[:-1]]
    return render(request, "deadlines/dashboard.html", {
        # A page lists as many deadlines as the lists above it hold: the summary counts every one, each count
        # linking to its rows, and 50 rows a page cost ~6 ms of the 60 the page may take (bench/RESULTS.md).
        "form": form, "board": board, "page": _page(request, board.rows, board.count, per_page=selectors.LISTED),
        "columns": columns,
        "labels": DASHBOARD_LABELS,
        "summary_rows": charts.summary_rows(board, columns, DASHBOARD_LABELS),
        "summary_totals": charts.summary_totals(board, columns, DASHBOARD_LABELS),
        "chart": charts.weekly_load(board),
    })


def my_deadlines(request):
    mine = selectors.my_deadlines(request.user, today=timezone.localdate())
    return render(request, "deadlines/mine.html", {
        "mine": mine,
        "buckets": [(b.key, BUCKET_LABELS[b.key], mine.counts[b.key]) for b in selectors.BUCKETS],
        "page": _page(request, mine.rows, sum(mine.counts[b.key] for b in selectors.BUCKETS)),
    })


def notification_list(request):
    if request.method == "POST":
        services.notifications_mark_read(user=request.user)
        return redirect("notification_list")
    return render(request, "deadlines/notifications.html", {"notifications": selectors.notifications_for(request.user)})


def calendar_settings(request):
    """Issue, replace or turn off the user's calendar address. A new address is shown once, here."""
    access.require(request.user, "case.edit_assigned")
    token = None
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            services.calendar_feed_revoke(user=request.user)
            messages.success(request, _("Calendar address turned off."))
            return redirect("calendar_settings")
        token = services.calendar_feed_issue(user=request.user)
    return render(request, "deadlines/calendar.html", {
        "feed": selectors.calendar_feed_of(request.user),
        "feed_url": request.build_absolute_uri(calendar.feed_path(token)) if token else None,
    })


@login_not_required
@require_GET
def calendar_feed(request, token):
    """The .ics a calendar application polls; the token in the address is the only credential."""
    deadlines = selectors.calendar_deadlines(token)
    if deadlines is None:
        raise Http404
    response = HttpResponse(calendar.ics(deadlines), content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    return response

