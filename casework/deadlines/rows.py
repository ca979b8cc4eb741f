"""The rows of the deadline, proposal and removal lists on the dashboard and "My deadlines", as HTML.

Built in Python rather than by template loops, as charts.py builds the dashboard's tables: per row the
template engine resolved some twenty variables, filters and `{% url %}` tags; the dashboard's three lists
(50 deadlines, 20 proposals, 20 removals) took 11-13 ms to render that way, 5-6 ms this way (bench/RESULTS.md).
The HTML is the one the templates wrote; every text is escaped (a manual deadline's title is typed by a
person), only ints and fixed class names are not.
"""

from django.template.defaultfilters import date as date_filter
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from casework.deadlines import timing


def _name(user) -> str:
    return escape(user.get_full_name() or user.username) if user else ""


class _Days(dict):
    """A date's <time> element and how near it is (class, words), made once per date of a list: the rows
    of a list share a few dates, and formatting a date in the user's language is the costliest part of one."""

    def __init__(self):
        super().__init__()
        self.today = timezone.localdate()

    def __missing__(self, day):
        shown = (f'<time datetime="{day:%Y-%m-%d}">{escape(date_filter(day, "DATE_FORMAT"))}</time>',
                 timing.due_level(day, self.today), escape(timing.due_text(day, self.today)))
        self[day] = shown
        return shown


class _Moments(dict):
    """A moment as "4 December 2026, 08:00" in the user's time zone (the template's `date` filter converted
    it too); the day's words made once per day of a list."""

    def __missing__(self, day):
        self[day] = escape(date_filter(day, "j E Y"))
        return self[day]

    def shown(self, moment) -> str:
        local = timezone.localtime(moment)
        return f"{self[local.date()]}, {local:%H:%M}"


def _cell(label: str, content: str) -> str:
    return f'<td data-label="{label}">{content}</td>'


def _span(css: str, text: str) -> str:
    # Texts are translated outside f-strings, where makemessages finds them.
    return f'<span class="{css}">{escape(text)}</span>'


def _hidden_case(reference: str, label: str) -> str:
    """A sensitive case that does not name the reader: by its reference only."""
    tag = _span("tag", _("sensitive"))
    return _cell(label, f'{_span("ref", reference)} {tag}')


def _case_link(reference: str) -> str:
    return f'<a class="ref" href="{escape(reverse("case_detail", args=[reference]))}">{escape(reference)}</a>'


def deadline_rows(deadlines, *, show_assignee: bool = False) -> SafeString:
    """Open deadlines: due date, how far in words (coloured by urgency), case, what, and whose."""
    days = _Days()
    label_due, label_when, label_case, label_what, label_caseworker = (
        escape(text) for text in (_("Due"), _("When"), _("Case"), _("What"), _("Caseworker")))
    hidden = _span("help", _("Only the people named on the case see what is due."))
    verify = " " + _span("tag", _("verify"))
    parts = []
    for deadline in deadlines:
        case, (day, level, words) = deadline.case, days[deadline.due_date]
        parts.append("<tr>" + _cell(label_due, day) + _cell(label_when, f'<span class="due {level}">{words}</span>'))
        if getattr(deadline, "shows_personal_data", True) is False:
            parts.append(_hidden_case(case.reference, label_case) + _cell(label_what, hidden))
        else:
            detail = escape(reverse("deadline_detail", args=[case.reference, deadline.pk]))
            parts.append(_cell(label_case, _case_link(case.reference)) + _cell(
                label_what, f'<a href="{detail}">{escape(deadline.label)}</a>{verify if deadline.warnings else ""}'))
        if show_assignee:
            parts.append(_cell(label_caseworker, _name(case.assigned_to)))
        parts.append("</tr>")
    return SafeString("".join(parts))


def proposal_rows(proposals, *, show_assignee: bool = False) -> SafeString:
    """Proposals waiting for a decision: legal last day (coloured by urgency), case, what, how long waited."""
    days, now = _Days(), timezone.now()
    label_due, label_case, label_what, label_waiting, label_caseworker = (
        escape(text) for text in (_("Legal last day"), _("Case"), _("What"), _("Waiting"), _("Caseworker")))
    hidden = _span("help", _("Only the people named on the case see what is due."))
    to_confirm = " " + _span("tag proposal", _("to confirm"))
    parts = []
    for proposal in proposals:
        case, (day, level, words) = proposal.case, days[proposal.due_date]
        parts.append("<tr>" + _cell(label_due, f'{day} <span class="due {level}">{words}</span>'))
        if proposal.shows_personal_data:
            decide = escape(reverse("deadline_proposals", args=[case.reference, proposal.trigger_event_id]))
            what = f'<a href="{decide}#rule-{escape(proposal.rule_id)}">{escape(proposal.label)}</a>{to_confirm}'
            parts.append(_cell(label_case, _case_link(case.reference)) + _cell(label_what, what))
        else:
            parts.append(_hidden_case(case.reference, label_case) + _cell(label_what, hidden))
        parts.append(_cell(label_waiting, escape(timing.waited_text(proposal.created_at, now))))
        if show_assignee:
            parts.append(_cell(label_caseworker, _name(case.assigned_to)))
        parts.append("</tr>")
    return SafeString("".join(parts))


def _route(removal, now, moments: _Moments) -> str:
    """The interim-measure route of a removal (Rule 39 with its send-by moment, or a UN body) and the
    latest request made, or that none is recorded yet."""
    track = removal.track
    if track.send_by is None:
        route = escape(_("UN treaty body: ask as early as possible"))
    elif track.too_late:
        route = _span("due overdue", _(
            "European Court (Rule 39): less than one Registry working day is left — send now and telephone"))
    else:
        send_by = escape(_("European Court (Rule 39): send by"))
        route = (f'{send_by} <strong>{moments.shown(track.send_by)}</strong> '
                 f'({escape(timing.countdown_text(track.send_by, now))})')
    if removal.interim:
        latest = removal.interim[0]
        request = f"{escape(latest.get_body_display())}: <strong>{escape(latest.get_status_display())}</strong>"
    else:
        request = _span("due urgent", _("No request recorded yet"))
    return f"{route}<br>{request}"


def removal_rows(removals, *, show_assignee: bool = False) -> SafeString:
    """Scheduled removals: countdown and moment, case, interim-measure route and request, and whose."""
    now, moments = timezone.now(), _Moments()
    label_removal, label_case, label_route, label_caseworker = (
        escape(text) for text in (_("Removal"), _("Case"), _("Interim measures"), _("Caseworker")))
    hidden = _span("help", _("Only the people named on the case see its details."))
    parts = []
    for removal in removals:
        case, moment = removal.case, removal.removal_at
        parts.append("<tr>" + _cell(label_removal, (
            f'<strong class="countdown">{escape(timing.countdown_text(moment, now))}</strong><br>'
            f'<time datetime="{timezone.localtime(moment).isoformat()}">{moments.shown(moment)}</time>')))
        if case.shows_personal_data:
            route = _route(removal, now, moments)
            parts.append(_cell(label_case, _case_link(case.reference)) + _cell(label_route, route))
        else:
            parts.append(_hidden_case(case.reference, label_case) + _cell(label_route, hidden))
        if show_assignee:
            parts.append(_cell(label_caseworker, _name(case.assigned_to)))
        parts.append("</tr>")
    return SafeString("".join(parts))
