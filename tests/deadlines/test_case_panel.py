"""`{% case_deadlines case user %}`: what the case page shows of its deadlines, at a fixed cost."""

import datetime

import pytest
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from casework.cases import services as case_services
from casework.cases.selectors import case_page
from casework.deadlines import services

pytestmark = pytest.mark.django_db


def render(case, user):
    return Template("{% load deadlines %}{% case_deadlines case user %}").render(Context({"case": case, "user": user}))


def test_open_deadlines_soonest_first_with_verify_flags(make_case, record, manual, alice, today):
    case = make_case(jurisdiction="RU", case_type="deportation")
    event = record(case, "expulsion_ruling_received", today)
    services.deadline_confirm(event=event, rule_id="ru-koap-30-3-expulsion-appeal", confirmed_by=alice)
    manual(case, today + datetime.timedelta(days=40), title="Renew the detention appeal")
    html = render(case_page(case), alice)
    assert html.index("Complaint against a ruling") < html.index("Renew the detention appeal")
    assert "Verify before relying on this date." in html  # the KoAP rule's day type is unconfirmed
    assert "Add a deadline" in html


def test_queries_do_not_grow_with_deadlines_or_events(make_case, record, manual, alice, today):
    case = make_case(jurisdiction="AM", case_type="deportation")
    case_services.details_update(case=case, changed_by=case.assigned_to, scheduled_removal_at=timezone.now() + datetime.timedelta(days=3))
    record(case, "final_domestic_decision", today)
    manual(case, today)
    render(case_page(case), alice)
    with CaptureQueriesContext(connection) as few:
        render(case_page(case), alice)
    for i in range(6):
        record(case, "final_domestic_decision", today - datetime.timedelta(days=i + 1))
        manual(case, today + datetime.timedelta(days=i))
    with CaptureQueriesContext(connection) as many:
        html = render(case_page(case), alice)
    assert html.count("Renew") == 0 and html.count("Lodge the appeal") == 7
    assert len(many) == len(few)
