"""Properties that must hold for every rule and every date, not just the worked examples."""

from datetime import date, timedelta

import holidays
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from casework.deadlines.rules import NotComputable, UnknownRule, add_months, compute, get_rule

from .shared import has_period, shared_rules

FIRST, LAST = date(2015, 1, 1), date(2030, 12, 31)
COMPUTABLE = sorted(i for i, e in shared_rules().items() if has_period(e))
NOT_COMPUTABLE = sorted(set(shared_rules()) - set(COMPUTABLE))
fast = settings(max_examples=200, deadline=None)


def trigger_range(rule_id: str) -> tuple[date, date]:
    """The slice of 2015-2030 in which the rule covers triggers."""
    rule = get_rule(rule_id)
    starts = [v.versions[0].in_force_from for v in rule.variants if v.versions[0].in_force_from]
    return max([FIRST, *starts]), min(LAST, rule.triggers_until or LAST)


def rule_and_trigger(rule_ids: list[str]) -> st.SearchStrategy[tuple[str, str, date]]:
    """(rule id, variant name, trigger) with the trigger inside the rule's period of application."""
    return st.sampled_from(rule_ids).flatmap(
        lambda rule_id: st.tuples(
            st.just(rule_id),
            st.sampled_from([v.name for v in get_rule(rule_id).variants]),
            st.dates(*trigger_range(rule_id)),
        )
    )


def is_working(country: str, day: date) -> bool:
    return holidays.country_holidays(country, years=day.year).is_working_day(day)


@fast
@given(rule_and_trigger(COMPUTABLE))
def test_due_date_is_after_the_trigger_and_deterministic(case):
    rule_id, variant, trigger = case
    first = compute(rule_id, trigger, variant=variant)
    assert first.due_date >= first.nominal_date > trigger
    assert compute(rule_id, trigger, variant=variant) == first


@fast
@given(rule_and_trigger(COMPUTABLE))
def test_rolled_deadlines_land_on_working_days_and_others_never_move(case):
    rule_id, variant, trigger = case
    result = compute(rule_id, trigger, variant=variant)
    version = get_rule(rule_id).variant(variant).version_on(trigger)
    if version.roll_forward is True:
        assert is_working(get_rule(rule_id).jurisdiction[0], result.due_date)
    else:
        assert result.due_date == result.nominal_date and not result.rolled


@fast
@given(rule_and_trigger(["echr-art35-4-months", "echr-art35-6-months-transitional",
                         "un-hrc-op1-delay-guideline", "un-cerd-art14-6-months"]))
def test_international_deadlines_never_roll(case):
    rule_id, variant, trigger = case
    result = compute(rule_id, trigger, variant=variant)
    assert result.due_date == result.nominal_date


@fast
@given(st.dates(FIRST, LAST), st.integers(min_value=0, max_value=240))
def test_month_periods_never_overflow(start, months):
    end = add_months(start, months)
    assert (end.year * 12 + end.month) - (start.year * 12 + start.month) == months
    assert end.day == start.day or (end.day < start.day and (end + timedelta(days=1)).day == 1)


@fast
@given(rule_and_trigger([i for i in COMPUTABLE if get_rule(i).variant().versions[-1].unit in {"months", "years"}]))
def test_month_and_year_rules_end_in_the_target_month(case):
    rule_id, variant, trigger = case
    result = compute(rule_id, trigger, variant=variant)
    months = result.amount * (12 if result.unit == "years" else 1)
    nominal = result.nominal_date
    assert (nominal.year * 12 + nominal.month) - (trigger.year * 12 + trigger.month) == months
    assert nominal.day <= trigger.day


@pytest.mark.parametrize("rule_id", COMPUTABLE)
def test_every_rule_with_a_period_is_computable(rule_id):
    start, _ = trigger_range(rule_id)
    assert compute(rule_id, start).due_date > start


@pytest.mark.parametrize("rule_id", NOT_COMPUTABLE)
def test_every_rule_without_a_period_raises_not_computable(rule_id):
    with pytest.raises(NotComputable):
        compute(rule_id, date(2025, 1, 1))


@given(st.text(min_size=1, max_size=40).filter(lambda s: s not in shared_rules()))
@settings(max_examples=50, deadline=None)
def test_unknown_ids_raise_unknown_rule(rule_id):
    with pytest.raises(UnknownRule):
        compute(rule_id, date(2025, 1, 1))
