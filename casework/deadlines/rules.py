"""Legal deadline engine: turns a rule id and a trigger date into the legal last day.

Pure Python on purpose (no Django): the arithmetic is what protects clients from missed time limits,
so it must be testable exhaustively and usable from views, Celery tasks and scripts alike.
The rules are data (``ruleset.yaml`` next to this file, loaded once); this module only knows how
periods are counted, which version of a rule applies, and when to warn instead of staying silent.
"""

from __future__ import annotations

import calendar
import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from datetime import date, timedelta
from pathlib import Path
from types import MappingProxyType
from typing import Literal, TypeVar

import holidays
import yaml

RULESET_PATH = Path(__file__).with_name("ruleset.yaml")

EVENT_KINDS = frozenset({
    "arrival", "application_lodged", "interview", "decision_served", "appeal_lodged", "appeal_rejected",
    "hearing", "court_decision_final_form", "court_ruling_issued", "court_decision_in_force",
    "final_domestic_decision", "expulsion_ruling_received", "extradition_decision_notified",
    "removal_scheduled", "detained", "released", "removed", "interim_measure_requested",
    "interim_measure_decided", "status_granted", "dismissed", "wages_due", "payment_received",
    "claim_filed", "other",
})
CASE_TYPES = ("asylum", "deportation", "unpaid_wages")
# The research data is finer-grained than the app's three case types; map it onto them.
_APP_CASE_TYPES: Mapping[str, frozenset[str]] = {
    "asylum": frozenset({"asylum"}),
    "deportation": frozenset({"deportation"}),
    "extradition": frozenset({"deportation"}),
    "migration_admin": frozenset({"deportation"}),
    "unpaid_wages": frozenset({"unpaid_wages"}),
    "labour_dismissal": frozenset({"unpaid_wages"}),
    "any": frozenset(CASE_TYPES),
}
CALENDAR_DAY_UNITS = frozenset({"days", "calendar_days", "sutki"})
UNITS = CALENDAR_DAY_UNITS | {"working_days", "months", "years"}
CONFIDENCE = frozenset({"confirmed", "unconfirmed"})
UNVERIFIED_POINTS = frozenset({"start_day", "day_type", "month_end"})
MONTH_END_CONVENTIONS = frozenset({"last_day_of_month"})

RollForward = bool | Literal["unconfirmed"]
_T = TypeVar("_T")


class UnknownRule(KeyError):
    """No rule with this id exists in the ruleset."""


class NotComputable(ValueError):
    """The rule has no fixed period (e.g. Rule 39 requests), so no date can be computed."""


class NotInForce(NotComputable):
    """The rule has a period, but none that covers this trigger date (e.g. the 4-month ECHR limit in 2021)."""


class InvalidRuleset(ValueError):
    """ruleset.yaml is malformed; raised at load time so a bad edit never reaches a caseworker."""


@dataclass(frozen=True)
class Warning:  # noqa: A001 - the name is part of the public contract
    """Something the caseworker must see next to the date. ``code`` is stable and translated by the app."""

    code: str
    message: str


@dataclass(frozen=True)
class Version:
    """One period of a rule, valid for triggers from ``in_force_from`` until the next version starts."""

    in_force_from: date | None
    amount: int
    unit: str
    roll_forward: RollForward
    month_end: str
    law: str | None = None

    @property
    def label(self) -> str:
        return self.in_force_from.isoformat() if self.in_force_from else "base"


@dataclass(frozen=True)
class Variant:
    """A named alternative period of one rule (e.g. first vs repeated expulsion)."""

    name: str
    label: str
    confidence: str | None
    versions: tuple[Version, ...]

    def version_on(self, trigger: date) -> Version | None:
        """The version in force on the trigger date: the law at the time of the event governs the period."""
        applicable = [v for v in self.versions if v.in_force_from is None or v.in_force_from <= trigger]
        return applicable[-1] if applicable else None


@dataclass(frozen=True)
class StateWindow:
    """Dates bounding an international route for one state (e.g. Russia and the ECHR after 16 Sept 2022)."""

    facts_until: date | None = None
    facts_after: date | None = None
    events_before: date | None = None

    def admits(self, event_date: date, facts_date: date) -> bool:
        return not (
            (self.facts_until and facts_date > self.facts_until)
            or (self.facts_after and facts_date <= self.facts_after)
            or (self.events_before and event_date >= self.events_before)
        )


@dataclass(frozen=True)
class Rule:
    """A legal time limit (or a piece of guidance about one) with its sources and every known version."""

    id: str
    title: str
    jurisdiction: tuple[str, ...]
    case_types: tuple[str, ...]
    trigger: str
    trigger_events: tuple[str, ...]
    confidence: str
    sources: tuple[str, ...]
    notes: str
    variants: tuple[Variant, ...] = ()
    unverified: frozenset[str] = frozenset()
    hard_deadline: bool = True
    triggers_until: date | None = None
    applies_to_states: Mapping[str, StateWindow] = field(default_factory=lambda: MappingProxyType({}), hash=False)
    superseded_by: tuple[str, ...] = ()
    forum: str | None = None
    channels: tuple[str, ...] = ()
    must_include: tuple[str, ...] = ()

    @property
    def computable(self) -> bool:
        return bool(self.variants)

    @property
    def international(self) -> bool:
        return _is_international(self.jurisdiction[0])

    @property
    def app_case_types(self) -> frozenset[str]:
        return frozenset().union(*(_APP_CASE_TYPES[t] for t in self.case_types))

    def variant(self, name: str | None = None) -> Variant:
        """The named variant, or the default (first) one."""
        if not self.variants:
            raise NotComputable(f"{self.id} has no fixed period")
        if name is None:
            return self.variants[0]
        for candidate in self.variants:
            if candidate.name == name:
                return candidate
        raise ValueError(f"{self.id} has no variant {name!r}; known: {[v.name for v in self.variants]}")

    def in_force_on(self, trigger: date) -> bool:
        if self.triggers_until and trigger > self.triggers_until:
            return False
        return self.variant().version_on(trigger) is not None


@dataclass(frozen=True)
class Computation:
    """The result shown to caseworkers: the legal last day plus everything needed to trust or question it."""

    rule_id: str
    rule_version: str
    variant: str | None
    trigger: date
    amount: int
    unit: str
    nominal_date: date
    due_date: date
    rolled: bool
    warnings: tuple[Warning, ...]


@dataclass(frozen=True)
class _Calendar:
    """Whether a country moves days off by yearly decree, and the last year the holiday library knows them."""

    decree_transfers: bool
    decree_data_until: int | None = None


@dataclass(frozen=True)
class _Ruleset:
    rules: Mapping[str, Rule]
    calendars: Mapping[str, _Calendar]


def get_rule(rule_id: str) -> Rule:
    try:
        return _ruleset().rules[rule_id]
    except KeyError:
        raise UnknownRule(rule_id) from None


def all_rules() -> list[Rule]:
    return list(_ruleset().rules.values())


def add_months(start: date, months: int) -> date:
    """Same date number ``months`` later, or the last day of a shorter month - never overflow into the next."""
    year, month_index = divmod(start.month - 1 + months, 12)
    year += start.year
    last_day = calendar.monthrange(year, month_index + 1)[1]
    return date(year, month_index + 1, min(start.day, last_day))


def compute(rule_id: str, trigger: date, *, variant: str | None = None) -> Computation:
    """Legal last day for ``rule_id`` when the triggering event happened on ``trigger`` (day 1 = next day)."""
    rule = get_rule(rule_id)
    chosen = rule.variant(variant)
    version = chosen.version_on(trigger)
    if version is None or (rule.triggers_until and trigger > rule.triggers_until):
        raise NotInForce(f"{rule_id} does not cover triggers on {trigger.isoformat()}")

    country = None if rule.international else rule.jurisdiction[0]
    classified: set[int] = set()  # years whose working-day status the result depends on

    def is_working(day: date) -> bool:
        assert country is not None, "ECHR/UN rules never consult a calendar (checked at load time)"
        classified.add(day.year)
        return _is_working_day(country, day)

    if version.unit in CALENDAR_DAY_UNITS:
        nominal = trigger + timedelta(days=version.amount)
    elif version.unit == "working_days":
        nominal = _nth_working_day_after(trigger, version.amount, is_working)
    else:
        nominal = add_months(trigger, version.amount * (12 if version.unit == "years" else 1))

    rolled_to = nominal if version.roll_forward is False else _next_working_day(nominal, is_working)
    due = rolled_to if version.roll_forward is True else nominal
    return Computation(
        rule_id=rule.id,
        rule_version=version.label,
        variant=chosen.name if len(rule.variants) > 1 else None,
        trigger=trigger,
        amount=version.amount,
        unit=version.unit,
        nominal_date=nominal,
        due_date=due,
        rolled=due != nominal,
        warnings=tuple(_warnings(rule, chosen, version, trigger, nominal, rolled_to, country, classified)),
    )


def proposals(
    *, jurisdiction: str, case_type: str, event_kind: str, event_date: date, facts_date: date | None = None
) -> list[Rule]:
    """Rules that an event of ``event_kind`` on a case of this country and type sets running.

    International routes depend on the state: the European Court only for its member states (Russia only
    for facts up to its expulsion), the UN treaty bodies where the Court is not available.
    ``facts_date`` is the date of the facts complained of (defaults to the event date).
    """
    if case_type not in CASE_TYPES:
        raise ValueError(f"unknown case type {case_type!r}")
    if event_kind not in EVENT_KINDS:
        raise ValueError(f"unknown event kind {event_kind!r}")
    if jurisdiction not in _ruleset().calendars:
        raise ValueError(f"unknown jurisdiction {jurisdiction!r}")
    facts = facts_date or event_date
    matches = [
        rule
        for rule in all_rules()
        if rule.computable
        and event_kind in rule.trigger_events
        and case_type in rule.app_case_types
        and rule.in_force_on(event_date)
        and _covers_state(rule, jurisdiction, event_date, facts)
    ]
    proposed = {rule.id for rule in matches}
    return [rule for rule in matches if proposed.isdisjoint(rule.superseded_by)]


def _covers_state(rule: Rule, state: str, event_date: date, facts_date: date) -> bool:
    if state in rule.jurisdiction:
        return True
    window = rule.applies_to_states.get(state)
    return window is not None and window.admits(event_date, facts_date)


def _nth_working_day_after(trigger: date, count: int, is_working: Callable[[date], bool]) -> date:
    day, found = trigger, 0
    while found < count:
        day += timedelta(days=1)
        found += is_working(day)
    return day


def _next_working_day(day: date, is_working: Callable[[date], bool]) -> date:
    while not is_working(day):
        day += timedelta(days=1)
    return day


@functools.cache
def _holidays(country: str, year: int) -> holidays.HolidayBase:
    # Neighbouring years too: a decree may move a day off across the new year.
    return holidays.country_holidays(country, years=range(year - 1, year + 2))


def _is_working_day(country: str, day: date) -> bool:
    # is_working_day(), not weekday() < 5: it knows Saturdays made working days by decree.
    return _holidays(country, day.year).is_working_day(day)


_FIXED_MESSAGES = {
    "unconfirmed_rule": "This rule is not confirmed against a primary legal text: verify before relying on it.",
    "start_day_unconfirmed": "The source does not confirm that day 1 is the day after the trigger; this is assumed.",
    "day_type_unconfirmed": "It is not confirmed whether the period counts calendar or working days; "
    "calendar days (the earlier date) are used.",
    "not_a_hard_deadline": "This date is not an absolute filing deadline (a guideline or the end of a ban); "
    "read the rule notes.",
}


def _warnings(
    rule: Rule, chosen: Variant, version: Version, trigger: date, nominal: date, rolled_to: date,
    country: str | None, classified: set[int],
) -> list[Warning]:
    """Every doubt about the date, in a fixed order; a doubtful date is never shown without its reason."""
    missing_years = _years_without_decree_data(country, classified)
    codes = [
        code for code, applies in (
            ("unconfirmed_rule", "unconfirmed" in (rule.confidence, chosen.confidence)),
            ("roll_forward_unconfirmed", version.roll_forward == "unconfirmed" and rolled_to != nominal),
            ("month_end_convention", "month_end" in rule.unverified and nominal.day != trigger.day
             and version.unit in {"months", "years"}),
            ("start_day_unconfirmed", "start_day" in rule.unverified),
            ("day_type_unconfirmed", "day_type" in rule.unverified and version.unit in {"days", "calendar_days"}),
            ("no_holiday_data", bool(missing_years)),
            ("not_a_hard_deadline", not rule.hard_deadline),
        ) if applies
    ]
    messages = {
        "roll_forward_unconfirmed": f"The last day {nominal} is a non-working day. It is not confirmed that the "
        f"deadline moves to the next working day ({rolled_to}), so the earlier date is shown.",
        "month_end_convention": f"The corresponding date does not exist in that month; the last day of the month "
        f"({nominal}) is used as the conservative reading.",
        "no_holiday_data": f"No data on days off moved by decree in {country} for "
        f"{', '.join(map(str, missing_years))}; the working days used may be wrong.",
    }
    return [Warning(code, messages.get(code) or _FIXED_MESSAGES[code]) for code in codes]


def _years_without_decree_data(country: str | None, years: set[int]) -> list[int]:
    cal = _ruleset().calendars.get(country or "")
    if cal is None or not cal.decree_transfers:
        return []
    return sorted(year for year in years if year > cal.decree_data_until)


def _is_international(jurisdiction: str) -> bool:
    return jurisdiction == "ECHR" or jurisdiction.startswith("UN-")


# ---------------------------------------------------------------- loading and validation

@functools.cache
def _ruleset() -> _Ruleset:
    with RULESET_PATH.open(encoding="utf-8") as fh:
        raw = yaml.safe_load(fh)
    calendars = {cc: _build(_Calendar, spec, f"calendar {cc}") for cc, spec in raw["calendars"].items()}
    for cc, cal in calendars.items():
        _check(not cal.decree_transfers or isinstance(cal.decree_data_until, int), f"calendar {cc}: decree_data_until")
    rules: dict[str, Rule] = {}
    for spec in raw["rules"]:
        rule = _parse_rule(spec, calendars)
        _check(rule.id not in rules, f"duplicate rule id {rule.id}")
        rules[rule.id] = rule
    for rule in rules.values():
        _check(set(rule.superseded_by) <= rules.keys(), f"{rule.id}: superseded_by names an unknown rule")
    return _Ruleset(MappingProxyType(rules), MappingProxyType(calendars))


def _parse_rule(spec: dict, calendars: Mapping[str, _Calendar]) -> Rule:
    spec = dict(spec)
    rule_id = spec.get("id", "?")
    versions = spec.pop("versions", None)
    if versions and "variants" in spec:
        raise InvalidRuleset(f"{rule_id}: both versions and variants")
    default = {"name": "default", "label": spec.get("title", ""), "versions": versions}
    variants = spec.pop("variants", None) or ([default] if versions else [])
    spec["variants"] = tuple(_parse_variant(rule_id, v) for v in variants)
    spec["unverified"] = frozenset(spec.get("unverified", ()))
    spec["applies_to_states"] = MappingProxyType(
        {cc: _build(StateWindow, w or {}, rule_id) for cc, w in (spec.get("applies_to_states") or {}).items()}
    )
    rule = _build(Rule, {k: tuple(v) if isinstance(v, list) else v for k, v in spec.items()}, rule_id)
    national = [j for j in rule.jurisdiction if not _is_international(j)]
    for ok, problem in (
        (rule.confidence in CONFIDENCE, f"confidence {rule.confidence!r}"),
        (set(rule.case_types) <= _APP_CASE_TYPES.keys(), f"case_types {rule.case_types}"),
        (set(rule.trigger_events) <= EVENT_KINDS, f"trigger_events {rule.trigger_events}"),
        (rule.unverified <= UNVERIFIED_POINTS, f"unverified {set(rule.unverified)}"),
        (rule.computable or not rule.trigger_events, "trigger_events on a rule without a period"),
        (not national or len(national) == len(rule.jurisdiction), "mixes national and international jurisdictions"),
        (set(national) | rule.applies_to_states.keys() <= calendars.keys(), "country without a calendar entry"),
        (not (rule.computable and len(national) > 1), "a computable rule needs exactly one national calendar"),
        (not rule.international or all(
            v.unit != "working_days" and v.roll_forward is False for var in rule.variants for v in var.versions
        ), "ECHR/UN periods never roll forward and count no working days"),
    ):
        _check(ok, f"{rule_id}: {problem}")
    return rule


def _parse_variant(rule_id: str, spec: dict) -> Variant:
    versions = tuple(_parse_version(rule_id, v) for v in spec.get("versions") or ())
    variant = _build(Variant, {**spec, "versions": versions, "confidence": spec.get("confidence")}, rule_id)
    starts = [v.in_force_from for v in versions]
    dated = [d for d in starts if d is not None]
    _check(bool(versions), f"{rule_id}/{variant.name}: no versions")
    _check(None not in starts[1:] and dated == sorted(set(dated)), f"{rule_id}: versions out of in_force_from order")
    _check(variant.confidence in CONFIDENCE | {None}, f"{rule_id}/{variant.name}: confidence {variant.confidence!r}")
    return variant


def _parse_version(rule_id: str, spec: dict) -> Version:
    version = _build(Version, spec, rule_id)
    for ok, problem in (
        (version.unit in UNITS, f"unknown unit {version.unit!r}"),
        (isinstance(version.amount, int) and version.amount > 0, f"amount {version.amount!r}"),
        (version.roll_forward in (True, False, "unconfirmed"), f"roll_forward {version.roll_forward!r}"),
        (version.month_end in MONTH_END_CONVENTIONS, f"month_end {version.month_end!r}"),
        (version.in_force_from is None or isinstance(version.in_force_from, date), "in_force_from is not a date"),
    ):
        _check(ok, f"{rule_id}: {problem}")
    return version


def _build(cls: type[_T], spec: Mapping, where: str) -> _T:
    """Instantiate a dataclass from YAML, rejecting unknown or missing keys (typos must not pass silently)."""
    names = {f.name for f in fields(cls)}
    _check(spec.keys() <= names, f"{where}: unknown keys {sorted(spec.keys() - names)}")
    try:
        return cls(**spec)
    except TypeError as exc:
        raise InvalidRuleset(f"{where}: {exc}") from None


def _check(condition: bool, message: str) -> None:
    if not condition:
        raise InvalidRuleset(message)
