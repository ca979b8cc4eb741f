"""Each user can subscribe a calendar to their deadlines at a secret address that they can replace or turn off."""

import datetime

import pytest
from django.urls import reverse
from icalendar import Calendar

from casework.deadlines import services
from casework.deadlines.models import CalendarFeed
from tests.factories import ClientFactory

pytestmark = pytest.mark.django_db


def issue(client):
    response = client.post(reverse("calendar_settings"), {"action": "issue"})
    return response.context["feed_url"].removeprefix("http://testserver")


def test_the_feed_lists_my_open_deadlines_as_deadline_and_reference(make_case, manual, alice, carol, org, login, client,
                                                                    today):
    case = make_case(client=ClientFactory(organisation=org, family_name="Тошпулатова"), jurisdiction="RU")
    deadline = manual(case, today + datetime.timedelta(days=4), title="Appeal to the Moscow City Court")
    met = manual(case, today + datetime.timedelta(days=9))
    services.deadline_complete(deadline=met, status="met", completed_by=alice)
    manual(make_case(assigned_to=carol), today)  # a colleague's
    path = issue(login(alice))
    client.logout()
    response = client.get(path)  # a calendar application: no session
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    events = Calendar.from_ical(response.content).walk("VEVENT")
    assert [(str(e["summary"]), e["dtstart"].dt) for e in events] == [(f"Deadline {case.reference}", deadline.due_date)]
    body = response.content.decode()
    for secret in ("Тошпулатова", "Moscow", "Appeal", "Russia"):
        assert secret not in body


def test_replacing_the_address_kills_the_old_one_and_turning_off_kills_both(alice, login, client):
    signed_in = login(alice)
    first = issue(signed_in)
    second = issue(signed_in)
    assert first != second
    assert client.get(first).status_code == 404 and client.get(second).status_code == 200
    signed_in.post(reverse("calendar_settings"), {"action": "revoke"})
    assert client.get(second).status_code == 404


def test_the_address_is_shown_once_and_only_its_hash_is_kept(alice, login):
    signed_in = login(alice)
    path = issue(signed_in)
    token = path.rsplit("/", 1)[1].removesuffix(".ics")
    assert CalendarFeed.objects.get(user=alice).token_hash != token
    assert token not in signed_in.get(reverse("calendar_settings")).content.decode()


def test_a_member_who_left_has_no_feed(alice, login, client):
    path = issue(login(alice))
    alice.membership.is_active = False
    alice.membership.save()
    assert client.get(path).status_code == 404
