"""The timeline: typed events with a date and a note. Dates cannot precede the client's birth nor lie in
the future, unless the event is scheduled by nature (removal, hearing, interview)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from casework.cases.models import CaseEvent, EventKind
from casework.cases.services import event_record
from tests.pages import body, errors_shown, text
from tests.workflows.conftest import BORN, token

TODAY = timezone.localdate


def record(client, case, **data):
    return client.post(f"/cases/{case.reference}/events/new/", {"submission_token": token(), **data})


def where_recording_leads(case, event) -> str:
    """The deadline proposals for the event where that page exists, else the case's timeline."""
    try:
        return reverse("deadline_proposals", kwargs={"reference": case.reference, "event_id": event.pk})
    except NoReverseMatch:
        return f"/cases/{case.reference}/#timeline"


def timeline(client, case) -> str:
    page = body(client.get(f"/cases/{case.reference}/"))
    return text(page[page.index('id="timeline"'):page.index('id="notes"')])


def test_every_kind_of_event_can_be_recorded(login, alice, deportation_case):
    client = login(alice)
    when = TODAY() - datetime.timedelta(days=10)
    for kind in EventKind:
        response = record(client, deportation_case, kind=kind.value, occurred_on=when.isoformat())
        assert response.status_code == 302, (kind, errors_shown(response))
    assert sorted(CaseEvent.objects.filter(case=deportation_case).values_list("kind", flat=True)) == sorted(EventKind.values)
    shown = timeline(client, deportation_case)
    for kind in EventKind:
        assert str(kind.label) in shown


def test_recording_leads_on_and_the_event_is_on_the_case_page(login, alice, asylum_case):
    client = login(alice)
    response = record(client, asylum_case, kind="decision_served", occurred_on="2026-09-10",
                      note="Отказ вручен под роспись")
    event = CaseEvent.objects.get(case=asylum_case)
    assert response.status_code == 302 and response["Location"] == where_recording_leads(asylum_case, event)
    assert client.get(response["Location"]).status_code == 200
    shown = timeline(client, asylum_case)
    assert "Decision served" in shown and "Отказ вручен под роспись" in shown
    assert '<time datetime="2026-09-10">' in body(client.get(f"/cases/{asylum_case.reference}/"))
    assert f"recorded by {alice.get_full_name() or alice.username}" in shown


def test_a_date_before_the_clients_birth_is_refused(login, alice, asylum_case):
    response = record(login(alice), asylum_case, kind="arrival", occurred_on=(BORN - datetime.timedelta(days=1)).isoformat())
    assert response.status_code == 200
    assert "The date cannot be before the client's date of birth." in errors_shown(response)
    assert not CaseEvent.objects.exists()


def test_the_day_of_birth_itself_is_fine(login, alice, asylum_case):
    assert record(login(alice), asylum_case, kind="arrival", occurred_on=BORN.isoformat()).status_code == 302


@pytest.mark.parametrize("kind", ["decision_served", "appeal_lodged", "detained", "payment_received", "other"])
def test_a_future_date_is_refused_for_what_has_happened(login, alice, deportation_case, kind):
    tomorrow = TODAY() + datetime.timedelta(days=1)
    response = record(login(alice), deportation_case, kind=kind, occurred_on=tomorrow.isoformat())
    assert response.status_code == 200
    assert "The date cannot be in the future." in errors_shown(response)
    assert not CaseEvent.objects.exists()


@pytest.mark.parametrize("kind", ["removal_scheduled", "hearing", "interview"])
def test_a_scheduled_event_may_lie_in_the_future(login, alice, deportation_case, kind):
    later = TODAY() + datetime.timedelta(days=30)
    assert record(login(alice), deportation_case, kind=kind, occurred_on=later.isoformat()).status_code == 302
    assert CaseEvent.objects.get().occurred_on == later


def test_today_is_not_the_future(login, alice, asylum_case):
    assert record(login(alice), asylum_case, kind="decision_served", occurred_on=TODAY().isoformat()).status_code == 302


def test_an_unknown_kind_is_refused(login, alice, asylum_case):
    response = record(login(alice), asylum_case, kind="abducted", occurred_on="2026-01-01")
    assert response.status_code == 200 and "Select a valid choice" in errors_shown(response)
    assert not CaseEvent.objects.exists()


def test_the_service_refuses_an_unknown_kind(alice, asylum_case):
    with pytest.raises(ValidationError) as error:
        event_record(case=asylum_case, kind="abducted", occurred_on=datetime.date(2026, 1, 1), recorded_by=alice)
    assert "kind" in error.value.message_dict
    assert not CaseEvent.objects.exists()


def test_a_double_submit_records_one_event(login, alice, asylum_case):
    client = login(alice)
    data = {"kind": "appeal_lodged", "occurred_on": "2026-01-05", "submission_token": token()}
    first = client.post(f"/cases/{asylum_case.reference}/events/new/", data)
    second = client.post(f"/cases/{asylum_case.reference}/events/new/", data)
    assert first.status_code == second.status_code == 302
    assert CaseEvent.objects.filter(case=asylum_case).count() == 1


def test_only_those_who_may_edit_the_case_record_events(login, carol, charlie, asylum_case):
    for user in (carol, charlie):
        response = record(login(user), asylum_case, kind="arrival", occurred_on="2026-01-01")
        assert response.status_code == 404
    assert not CaseEvent.objects.exists()
