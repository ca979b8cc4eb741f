"""The per-user iCalendar feed. Each event is "Deadline" and the case reference: calendars are synced
to phones and shared with assistants, so nothing else about a case goes there."""

import datetime

from django.urls import reverse
from django.utils.translation import gettext as _
from icalendar import Calendar, Event


def feed_path(token: str) -> str:
    return reverse("calendar_feed", kwargs={"token": token})


def ics(deadlines) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Casework//Deadlines//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "Casework")
    stamp = datetime.datetime.now(datetime.UTC)
    for deadline in deadlines:
        event = Event()
        event.add("uid", f"deadline-{deadline.pk}@casework")
        event.add("dtstamp", stamp)
        event.add("summary", f"{_('Deadline')} {deadline.case.reference}")
        event.add("dtstart", deadline.due_date)
        event.add("dtend", deadline.due_date + datetime.timedelta(days=1))
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    return calendar.to_ical()
