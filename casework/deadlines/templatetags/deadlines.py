from django import template

from casework import access
from casework.deadlines import selectors
from casework.deadlines.forms import BUCKET_LABELS
from casework.deadlines.texts import VERIFY

register = template.Library()


@register.inclusion_tag("deadlines/_case_deadlines.html")
def case_deadlines(case, user, full=False):
    """The case's open deadlines, proposals awaiting a decision and the urgent track of a scheduled removal
    (`full`: closed deadlines too). `case` must come from access.case_for_view; the number of queries
    does not grow with the deadlines."""
    return {
        "case": case,
        "full": full,
        "panel": selectors.case_deadlines(case),
        "can_edit": access.EDIT in access.case_actions(user, case),
        "verify": VERIFY,
    }


@register.simple_tag
def unread_notification_count(user) -> int:
    """For the navigation: `{% unread_notification_count user as unread %}`."""
    return selectors.unread_notification_count(user)


@register.filter
def bucket_label(key: str) -> str:
    """`{{ deadline.bucket|bucket_label }}`: Overdue, Due today, Next 7 days…"""
    return BUCKET_LABELS.get(key, "")
