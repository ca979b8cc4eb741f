"""Correcting an event's date needs a reason; the corrected date obeys the same rules as a new one and
the deadlines that follow from the event are recomputed."""

import datetime

from django.utils import timezone

from casework.cases.models import CaseEvent
from casework.cases.services import event_record
from tests.pages import body, errors_shown


def serve_decision(case, user):
    return event_record(case=case, kind="decision_served", occurred_on=datetime.date(2026, 9, 10), recorded_by=user)


def correct(client, event, **data):
    return client.post(f"/cases/{event.case.reference}/events/{event.pk}/correct/", data)


def test_a_correction_without_a_reason_is_refused(login, alice, asylum_case):
    event = serve_decision(asylum_case, alice)
    client = login(alice)
    for reason in ("", "   "):
        response = correct(client, event, occurred_on="2026-09-11", reason=reason)
        assert response.status_code == 200 and "This field is required." in errors_shown(response)
    event.refresh_from_db()
    assert event.occurred_on == datetime.date(2026, 9, 10)


def test_a_corrected_date_in_the_future_is_refused(login, alice, asylum_case):
    event = serve_decision(asylum_case, alice)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = correct(login(alice), event, occurred_on=tomorrow.isoformat(), reason="Typo")
    assert response.status_code == 200 and "The date cannot be in the future." in errors_shown(response)
    event.refresh_from_db()
    assert event.occurred_on == datetime.date(2026, 9, 10)


def test_an_event_of_another_case_cannot_be_corrected_through_this_one(login, alice, asylum_case, wages_case):
    theirs = serve_decision(wages_case, alice)
    response = login(alice).post(f"/cases/{asylum_case.reference}/events/{theirs.pk}/correct/",
                                 {"occurred_on": "2026-09-01", "reason": "Typo"})
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.occurred_on == datetime.date(2026, 9, 10)


def test_a_correction_with_a_reason_moves_the_event(login, alice, asylum_case):
    """Needs casework.deadlines.services.deadlines_recompute_for_event (the deadlines work)."""
    event = serve_decision(asylum_case, alice)
    client = login(alice)
    response = correct(client, event, occurred_on="2026-09-08", reason="The stamp on the envelope says the 8th")
    assert response.status_code == 302 and response["Location"] == f"/cases/{asylum_case.reference}/#timeline"
    assert CaseEvent.objects.get(pk=event.pk).occurred_on == datetime.date(2026, 9, 8)
    assert '<time datetime="2026-09-08">' in body(client.get(f"/cases/{asylum_case.reference}/"))
