"""A removal scheduled within 72 hours flags the case urgent everywhere it is listed; later or past
removals do not."""

import datetime

import pytest
from django.utils import timezone

from casework.cases import services as case_services
from casework.cases.models import Case
from tests.factories import CaseFactory
from tests.pages import body, references_listed

URGENT_TAG = '<span class="flag urgent">'


def removal_in(case, delta: datetime.timedelta | None) -> Case:
    case_services.details_update(case=case, changed_by=case.assigned_to, scheduled_removal_at=None if delta is None else timezone.now() + delta)
    return case


def deportation(alice, client, delta):
    case = CaseFactory(assigned_to=alice, client=client, case_type="deportation", removal_kind="deportation")
    return removal_in(case, delta)


def row_of(page: str, reference: str) -> str:
    """The table row (or list item) that links to the case."""
    start = page.index(f'/cases/{reference}/')
    end = min(i for i in (page.find("</tr>", start), page.find("</li>", start)) if i != -1)
    return page[start:end]


@pytest.fixture
def urgent(alice, born_client):
    return deportation(alice, born_client, datetime.timedelta(hours=48))


@pytest.fixture
def not_urgent(alice, born_client):
    """Removal in four days, one in the past, one not scheduled, and an asylum case."""
    return [
        deportation(alice, born_client, datetime.timedelta(days=4)),
        deportation(alice, born_client, -datetime.timedelta(hours=2)),
        deportation(alice, born_client, None),
        CaseFactory(assigned_to=alice, client=born_client, case_type="asylum"),
    ]


def test_case_list_tags_only_the_urgent_case(login, alice, urgent, not_urgent):
    page = body(login(alice).get("/cases/"))
    assert URGENT_TAG in row_of(page, urgent.reference)
    for case in not_urgent:
        assert URGENT_TAG not in row_of(page, case.reference)


def test_case_page_says_urgent(login, alice, urgent, not_urgent):
    client = login(alice)
    assert "Removal within 72 hours" in body(client.get(f"/cases/{urgent.reference}/"))
    for case in not_urgent:
        page = body(client.get(f"/cases/{case.reference}/"))
        assert "removal within 72 hours" not in page


def test_client_page_tags_the_urgent_case(login, alice, born_client, urgent, not_urgent):
    page = body(login(alice).get(f"/clients/{born_client.public_id}/"))
    assert URGENT_TAG in row_of(page, urgent.reference)
    for case in not_urgent:
        assert URGENT_TAG not in row_of(page, case.reference)


def test_admin_sharing_overview_tags_the_urgent_case(login, dana, urgent, not_urgent):
    page = body(login(dana).get("/org/sharing/"))
    assert URGENT_TAG in row_of(page, urgent.reference)
    for case in not_urgent:
        assert URGENT_TAG not in row_of(page, case.reference)


def test_urgent_filter_lists_only_urgent_cases(login, alice, urgent, not_urgent):
    assert references_listed(login(alice).get("/cases/?urgent=on")) == [urgent.reference]


def test_a_closer_removal_becomes_urgent_and_a_moved_one_stops_being(login, alice, born_client):
    case = deportation(alice, born_client, datetime.timedelta(days=4))
    client = login(alice)
    assert references_listed(client.get("/cases/?urgent=on")) == []
    removal_in(case, datetime.timedelta(hours=71))
    assert references_listed(client.get("/cases/?urgent=on")) == [case.reference]
    removal_in(case, datetime.timedelta(hours=73))
    assert references_listed(client.get("/cases/?urgent=on")) == []


def test_setting_the_removal_through_the_details_form_makes_the_case_urgent(login, alice, deportation_case):
    client = login(alice)
    soon = timezone.localtime() + datetime.timedelta(hours=30)
    response = client.post(f"/cases/{deportation_case.reference}/details/", {
        "removal_kind": "deportation", "scheduled_removal_at": soon.strftime("%Y-%m-%dT%H:%M"),
    })
    assert response.status_code == 302
    assert references_listed(client.get("/cases/?urgent=on")) == [deportation_case.reference]
