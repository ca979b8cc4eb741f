from django import template
from django.utils import timezone

from casework import access
from casework.deadlines import rows, selectors, timing
from casework.deadlines.texts import VERIFY

register = template.Library()


@register.simple_tag
def deadline_panel(case):
    """`{% deadline_panel case as panel %}`: what the case has to meet (selectors.case_deadlines), read
    once for a page that shows it in its summary and in its deadlines section."""
    return selectors.case_deadlines(case)


@register.inclusion_tag("deadlines/_case_deadlines.html")
def case_deadlines(case, user, full=False, panel=None):
    """The case's proposals awaiting a decision, open deadlines and the urgent track of a scheduled removal
    (`full`: closed deadlines too). `case` must come from access.case_for_personal_data; the number of
    queries does not grow with the deadlines."""
    return {
        "case": case,
        "full": full,
        "panel": panel or selectors.case_deadlines(case),
        "can_edit": access.EDIT in access.case_actions(user, case),
        "verify": VERIFY,
    }


@register.simple_tag
def unread_notification_count(user) -> int:
    """For the navigation: `{% unread_notification_count user as unread %}`."""
    return selectors.unread_notification_count(user)


@register.simple_tag
def deadline_rows(deadlines, show_assignee=False):
    """`<tbody>{% deadline_rows rows show_assignee %}</tbody>`: the list's rows, built by rows.py."""
    return rows.deadline_rows(deadlines, show_assignee=bool(show_assignee))


@register.simple_tag
def proposal_rows(proposals, show_assignee=False):
    """`<tbody>{% proposal_rows proposals show_assignee %}</tbody>`."""
    return rows.proposal_rows(proposals, show_assignee=bool(show_assignee))


@register.simple_tag
def removal_rows(removals, show_assignee=False):
    """`<tbody>{% removal_rows removals show_assignee %}</tbody>`."""
    return rows.removal_rows(removals, show_assignee=bool(show_assignee))


@register.filter
def due_text(due) -> str:
    """`{{ deadline.due_date|due_text }}`: Due today, Due tomorrow, in 10 days, 2 days overdue."""
    return timing.due_text(due, timezone.localdate()) if due else ""


@register.filter
def due_level(due) -> str:
    """`class="due {{ date|due_level }}"`: overdue, urgent (within 3 days), soon (within 7) or nothing."""
    return timing.due_level(due, timezone.localdate()) if due else ""


@register.filter
def countdown(moment) -> str:
    """`{{ removal_at|countdown }}`: in 46 hours, in 5 days, passed."""
    return timing.countdown_text(moment, timezone.now()) if moment else ""


@register.filter
def waited(since) -> str:
    """`{{ proposal.created_at|waited }}`: waiting 10 days."""
    return timing.waited_text(since, timezone.now()) if since else ""

