"""How near a date or a moment is, in words a caseworker reads at a glance, right to the day (or hour).

Labels count calendar days in the organisation's time (`timezone.localdate`), so "Due tomorrow" is the next
date, not "within 24 hours". Levels drive colour only; the words carry the meaning on their own.
"""

import datetime

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

# A last day this close (today included) or past is shown as urgent everywhere.
URGENT_DAYS = 3
SOON_DAYS = 7
# Up to this far ahead a removal counts down in hours; beyond it, in days.
HOURS_UNTIL_DAYS = 72


def days_left(due: datetime.date, today: datetime.date) -> int:
    return (due - today).days


def due_text(due: datetime.date, today: datetime.date) -> str:
    """"Due today", "Due tomorrow", "in 10 days", "2 days overdue"."""
    days = days_left(due, today)
    if days == 0:
        return _("Due today")
    if days == 1:
        return _("Due tomorrow")
    if days < 0:
        return ngettext("%(count)d day overdue", "%(count)d days overdue", -days) % {"count": -days}
    return ngettext("in %(count)d day", "in %(count)d days", days) % {"count": days}


def due_level(due: datetime.date, today: datetime.date) -> str:
    """"overdue", "urgent" (today to URGENT_DAYS ahead), "soon" (to SOON_DAYS) or "" (later)."""
    days = days_left(due, today)
    if days < 0:
        return "overdue"
    if days <= URGENT_DAYS:
        return "urgent"
    return "soon" if days <= SOON_DAYS else ""


def countdown_text(moment: datetime.datetime, now: datetime.datetime) -> str:
    """"in 46 hours", "in less than an hour", "in 5 days", "passed"."""
    seconds = (moment - now).total_seconds()
    if seconds <= 0:
        return _("passed")
    hours = int(seconds // 3600)
    if hours < 1:
        return _("in less than an hour")
    if hours < HOURS_UNTIL_DAYS:
        return ngettext("in %(count)d hour", "in %(count)d hours", hours) % {"count": hours}
    days = hours // 24
    return ngettext("in %(count)d day", "in %(count)d days", days) % {"count": days}


def waited_text(since: datetime.datetime, now: datetime.datetime) -> str:
    """How long a proposal has waited: "waiting 5 hours", "waiting 10 days"."""
    hours = max(0, int((now - since).total_seconds() // 3600))
    if hours < 1:
        return _("waiting less than an hour")
    if hours < 48:
        return ngettext("waiting %(count)d hour", "waiting %(count)d hours", hours) % {"count": hours}
    days = hours // 24
    return ngettext("waiting %(count)d day", "waiting %(count)d days", days) % {"count": days}
