"""Correcting the date of an event recomputes the deadlines it set running, and the change stays on record."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from casework.cases.services import event_correct_date
from casework.deadlines import services
from tests.deadlines.conftest import D

pytestmark = pytest.mark.django_db


@pytest.fixture
def expulsion(make_case, record, alice):
    """An expulsion ruling received in Russia, its ten-day complaint confirmed."""
    event = record(make_case(jurisdiction="RU", case_type="deportation"), "expulsion_ruling_received", D("2025-06-02"))
    deadline = services.deadline_confirm(event=event, rule_id="ru-koap-30-3-expulsion-appeal", confirmed_by=alice,
                                         late_acknowledged=True)
    return event, deadline


def test_the_deadline_follows_the_corrected_date_and_the_change_is_recorded(expulsion, bob, login):
    event, deadline = expulsion
    event_correct_date(event=event, occurred_on=D("2025-05-26"), changed_by=bob, reason="Copy was served a week earlier")
    deadline.refresh_from_db()
    assert (deadline.nominal_date, deadline.due_date) == (D("2025-06-05"), D("2025-06-05"))
    change = deadline.changes.first()
    assert (change.action, change.changed_by, change.reason) == ("recomputed", bob, "Copy was served a week earlier")
    assert (change.old_due_date, change.new_due_date) == (D("2025-06-16"), D("2025-06-05"))
    assert (change.old_trigger_date, change.new_trigger_date) == (D("2025-06-02"), D("2025-05-26"))
    body = login(bob).get(reverse("deadline_detail", args=[event.case.reference, deadline.pk])).content.decode()
    assert "Copy was served a week earlier" in body and "June 16, 2025" in body and "June 5, 2025" in body


def test_the_old_law_applies_to_an_earlier_event(expulsion, alice):
    """Before 29 Oct 2024 the period was 10 sutki with no roll-forward: the version follows the new date."""
    event, deadline = expulsion
    event_correct_date(event=event, occurred_on=D("2024-10-20"), changed_by=alice, reason="Wrong year typed")
    deadline.refresh_from_db()
    assert (deadline.rule_version, deadline.due_date) == ("base", D("2024-10-30"))


def test_a_date_changed_by_hand_is_recomputed_too_and_the_hand_change_stays_in_history(expulsion, alice):
    event, deadline = expulsion
    services.deadline_edit(deadline=deadline, due_date=D("2025-06-20"), changed_by=alice, reason="Restored by court")
    event_correct_date(event=event, occurred_on=D("2025-06-03"), changed_by=alice, reason="Typo")
    deadline.refresh_from_db()
    assert deadline.due_date == deadline.computed_due_date == D("2025-06-16")
    assert list(deadline.changes.values_list("action", flat=True)) == ["recomputed", "edited", "confirmed", "proposed"]


def test_closed_deadlines_keep_their_dates(expulsion, alice):
    event, deadline = expulsion
    services.deadline_complete(deadline=deadline, status="met", completed_by=alice, completed_on=D("2025-06-10"))
    event_correct_date(event=event, occurred_on=D("2025-05-20"), changed_by=alice, reason="Typo")
    deadline.refresh_from_db()
    assert deadline.due_date == D("2025-06-16")


def test_a_correction_the_rule_does_not_cover_is_refused_until_the_deadline_is_closed(make_case, record, alice):
    event = record(make_case(jurisdiction="AM", case_type="asylum"), "final_domestic_decision", D("2022-03-01"))
    deadline = services.deadline_confirm(event=event, rule_id="echr-art35-4-months", confirmed_by=alice,
                                         late_acknowledged=True)
    with pytest.raises(ValidationError) as refused:
        event_correct_date(event=event, occurred_on=D("2022-01-20"), changed_by=alice, reason="Decision was January")
    assert "Close it first" in str(refused.value)
    event.refresh_from_db()
    deadline.refresh_from_db()
    assert (event.occurred_on, deadline.due_date) == (D("2022-03-01"), D("2022-07-01"))


def test_reminders_move_with_the_date(make_case, record, alice, today):
    event = record(make_case(jurisdiction="RU", case_type="deportation"), "expulsion_ruling_received", today)
    deadline = services.deadline_confirm(event=event, rule_id="ru-koap-30-3-expulsion-appeal", confirmed_by=alice)
    before = deadline.reminders.get(kind="overdue").due_at
    event_correct_date(event=event, occurred_on=today - datetime.timedelta(days=1), changed_by=alice, reason="Typo")
    deadline.refresh_from_db()
    overdue = deadline.reminders.get(kind="overdue")
    assert timezone.localtime(overdue.due_at).date() == deadline.due_date + datetime.timedelta(days=1) and overdue.due_at <= before
