"""The urgent track of a scheduled removal: by when a request to stop it must reach the Court.

Rule 39 has no fixed period; what counts is the Registry's working time. It deals with requests
Monday to Friday, 08:00-16:00 Strasbourg time (later or at the weekend: the next working day), and may be
unable to deal with a request received less than one working day before the removal. The "send by"
moment is therefore the latest arrival that still leaves one full working day (eight Registry hours)
before the removal. The Court's own holidays are not known here, so the panel says so.
"""

import datetime
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from casework.deadlines import rules
from casework.deadlines.texts import rule_text

STRASBOURG = ZoneInfo("Europe/Paris")
REGISTRY_OPENS = datetime.time(8)
REGISTRY_CLOSES = datetime.time(16)
ONE_WORKING_DAY = datetime.timedelta(hours=8)
RULE_39 = "echr-rule39-interim-measures"
UN_INTERIM = "un-interim-measures"


def registry_send_by(removal_at: datetime.datetime) -> datetime.datetime:
    """Latest arrival at the Registry that leaves it one working day before ``removal_at`` (Strasbourg time)."""
    moment = removal_at.astimezone(STRASBOURG)
    remaining = ONE_WORKING_DAY
    while True:
        opens = datetime.datetime.combine(moment.date(), REGISTRY_OPENS, tzinfo=STRASBOURG)
        closes = datetime.datetime.combine(moment.date(), REGISTRY_CLOSES, tzinfo=STRASBOURG)
        if moment.weekday() < 5 and moment > opens:
            end = min(moment, closes)
            if end - opens >= remaining:
                return end - remaining
            remaining -= end - opens
        moment = datetime.datetime.combine(moment.date() - datetime.timedelta(days=1), REGISTRY_CLOSES, tzinfo=STRASBOURG)


@dataclass(frozen=True)
class UrgentTrack:
    """What the case page shows while a removal is scheduled: the route, its timing and its checklist.
    The texts are translated when read: the lists of removals show only the route and its timing, and
    translating every checklist of 20 removals cost more than the rest of their rows (bench/RESULTS.md)."""

    removal_at: datetime.datetime
    rule: rules.Rule
    send_by: datetime.datetime | None  # None: the UN bodies set no time, only "as early as possible"
    too_late: bool

    @property
    def rule_id(self) -> str:
        return self.rule.id

    @property
    def title(self) -> str:
        return rule_text(self.rule.title)

    @property
    def must_include(self) -> list[str]:
        return [rule_text(item) for item in self.rule.must_include]

    @property
    def channels(self) -> list[str]:
        return [rule_text(item) for item in self.rule.channels]

    @property
    def confirmed(self) -> bool:
        return self.rule.confidence == "confirmed"


def urgent_track(*, jurisdiction: str, removal_at: datetime.datetime, now: datetime.datetime) -> UrgentTrack:
    """The European Court where it is open to the state for a removal now; a UN treaty body elsewhere."""
    rule39 = rules.get_rule(RULE_39)
    window = rule39.applies_to_states.get(jurisdiction)
    echr = window is not None and window.admits(now.date(), removal_at.date())
    rule = rule39 if echr else rules.get_rule(UN_INTERIM)
    send_by = registry_send_by(removal_at) if echr else None
    return UrgentTrack(removal_at=removal_at, rule=rule, send_by=send_by,
                       too_late=send_by is not None and now > send_by)
