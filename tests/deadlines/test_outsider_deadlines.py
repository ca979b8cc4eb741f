"""Every deadline URL, asked by people of another organisation with the real identifiers of alice's
case, its event, its deadline and her calendar address, finds nothing and changes nothing."""

import pytest
from django.urls import reverse

from casework.deadlines import services
from casework.deadlines.models import CalendarFeed, Deadline, DeadlineChange, Reminder
from casework.deadlines.urls import urlpatterns
from tests.deadlines.conftest import D

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]


@pytest.fixture
def alices(make_case, record, alice, alice_client):
    case = make_case(client=alice_client, jurisdiction="AM", case_type="deportation")
    event = record(case, "final_domestic_decision", D("2025-03-10"))
    deadline = services.deadline_confirm(event=event, rule_id="echr-art35-4-months", confirmed_by=alice,
                                        late_acknowledged=True)
    token = services.calendar_feed_issue(user=alice)
    return {"reference": case.reference, "event_id": event.pk, "deadline_id": deadline.pk, "token": token}


def snapshot():
    return (
        list(Deadline.objects.values_list("status", "due_date", "completed_by")),
        DeadlineChange.objects.count(),
        list(Reminder.objects.values_list("status", "due_at")),
        list(CalendarFeed.objects.values_list("user", "token_hash")),
    )


@pytest.mark.parametrize("outsider", ["charlie", "erin"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_outsiders_get_404_on_every_deadline_url(outsider, method, request, alices, alice_client, login):
    user = request.getfixturevalue(outsider)
    client = login(user)
    before = snapshot()
    payload = {"rule_id": "echr-art35-4-months", "action": "confirm", "status": "met", "due_date": "2030-01-01",
               "reason": "x", "title": "x"}
    for pattern in urlpatterns:
        params = {name: alices[name] for name in pattern.pattern.converters}
        if "reference" not in params:
            continue
        url = reverse(pattern.name, kwargs=params)
        response = getattr(client, method)(url, payload if method == "post" else None)
        assert response.status_code == 404, f"{method} {url} -> {response.status_code}"
        body = response.content.decode().replace(url, "")  # the language switch echoes the asked path
        assert alices["reference"] not in body and alice_client.family_name not in body
    assert snapshot() == before


def test_the_feed_token_is_the_only_key(alices, client):
    assert client.get(reverse("calendar_feed", kwargs={"token": alices["token"]})).status_code == 200
    assert client.get(reverse("calendar_feed", kwargs={"token": alices["token"][:-1] + "x"})).status_code == 404
