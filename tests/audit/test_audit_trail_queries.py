"""A page of the trail costs the same number of queries with 3 events as with a full page and more,
whoever the actors, organisations and cases."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from casework.audit.models import Action
from casework.audit.services import audit_record
from casework.audit.views import PAGE_SIZE
from casework.cases.services import case_grant
from tests.factories import CaseFactory


def queries_for(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def add_events(n, users, cases):
    for i in range(n):
        audit_record(actor=users[i % len(users)], action=Action.VIEW_CASE, case=cases[i % len(cases)])


def test_trail_queries_do_not_grow(login, alice, bob, dana, erin, charlie, other_org):
    shared = CaseFactory(assigned_to=alice)
    case_grant(case=shared, granted_by=dana, level="view", organisation=other_org)
    cases = [shared, CaseFactory(assigned_to=bob), CaseFactory(assigned_to=alice)]
    client = login(bob)
    add_events(3, [alice, bob, erin], cases[:1])
    for url in ("/org/audit/", f"/org/audit/?action=view_case&actor={alice.pk}"):
        few = queries_for(client, url)
        add_events(PAGE_SIZE + 10, [alice, bob, erin, charlie], cases)
        assert queries_for(client, url) == few
        assert queries_for(client, url + ("&" if "?" in url else "?") + "page=2") == few
