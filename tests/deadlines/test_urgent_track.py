"""A scheduled removal shows by when a request to stop it must reach the Court, and what it must contain."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from casework.cases import services as case_services
from casework.deadlines.urgent import STRASBOURG, registry_send_by

pytestmark = pytest.mark.django_db


def paris(text: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(text).replace(tzinfo=STRASBOURG)


@pytest.mark.parametrize(
    ("removal", "send_by"),
    [
        ("2026-03-11 10:00", "2026-03-10 10:00"),  # Wednesday morning: eight Registry hours back is Tuesday 10:00
        ("2026-03-10 17:00", "2026-03-10 08:00"),  # Tuesday after closing: the whole Tuesday is the working day
        ("2026-03-09 06:00", "2026-03-06 08:00"),  # Monday dawn: the weekend does not count, Friday opening
        ("2026-03-14 12:00", "2026-03-13 08:00"),  # Saturday
        ("2026-03-31 09:00", "2026-03-30 09:00"),  # across the change to summer time (29 March)
    ],
)
def test_the_court_needs_one_working_day_of_its_registry(removal, send_by):
    assert registry_send_by(paris(removal)) == paris(send_by)


def test_send_by_is_computed_in_strasbourg_time_whatever_the_removal_zone():
    moscow = datetime.datetime(2026, 3, 11, 12, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=3)))
    assert registry_send_by(moscow) == paris("2026-03-10 10:00")


def schedule_removal(case, when):
    case_services.details_update(case=case, changed_by=case.assigned_to, scheduled_removal_at=when)


def case_page_panel(client, case):
    return client.get(reverse("case_deadlines", args=[case.reference])).content.decode()


def test_rule39_panel_for_a_member_state(make_case, login, alice):
    case = make_case(jurisdiction="AM", case_type="deportation")
    removal = timezone.now() + datetime.timedelta(days=6)
    schedule_removal(case, removal)
    body = case_page_panel(login(alice), case)
    assert "Rule 39 request (stop removal/extradition)" in body
    assert "The request must reach the Court by" in body and "Strasbourg time" in body
    assert registry_send_by(removal).astimezone(STRASBOURG).strftime("%H:%M") in body
    assert "In bold on first page: &#x27;Rule 39 - Urgent&#x27;" in body
    assert "NOT e-mail" in body


def test_too_late_for_a_working_day_says_send_now(make_case, login, alice):
    case = make_case(jurisdiction="GE", case_type="deportation")
    schedule_removal(case, timezone.now() + datetime.timedelta(hours=2))
    body = case_page_panel(login(alice), case)
    assert "Send the request now all the same" in body


@pytest.mark.parametrize("jurisdiction", ["KZ", "RU"])
def test_where_strasbourg_is_closed_the_un_route_is_shown(jurisdiction, make_case, login, alice):
    case = make_case(jurisdiction=jurisdiction, case_type="deportation")
    schedule_removal(case, timezone.now() + datetime.timedelta(days=3))
    body = case_page_panel(login(alice), case)
    assert "UN treaty-body interim measures" in body and "Rule 39 request" not in body
    assert "Verify before relying on this date." in body  # the UN rule is unconfirmed


def test_no_panel_without_a_future_removal(make_case, login, alice):
    case = make_case(jurisdiction="AM", case_type="deportation")
    assert "Rule 39" not in case_page_panel(login(alice), case)
    schedule_removal(case, timezone.now() - datetime.timedelta(days=1))
    assert "Rule 39" not in case_page_panel(login(alice), case)
