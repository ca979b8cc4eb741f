"""The case list costs the same number of queries with 5 cases as with 60 (no query per row)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from casework.cases.services import case_grant
from tests.factories import CaseFactory


def queries_for(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def add_cases(n, *assignees):
    for i in range(n):
        case_type = ("asylum", "deportation", "unpaid_wages")[i % 3]
        CaseFactory(assigned_to=assignees[i % len(assignees)], case_type=case_type,
                    removal_kind="extradition" if case_type == "deportation" else "")


@pytest.mark.parametrize("url", ["/cases/", "/cases/?mine=on&case_type=asylum&status=open"])
def test_caseworker_list_queries_do_not_grow(login, alice, url):
    client = login(alice)
    add_cases(5, alice)
    few = queries_for(client, url)
    add_cases(55, alice)
    assert queries_for(client, url) == few


def test_coordinator_list_with_shared_cases_queries_do_not_grow(login, alice, bob, erin, charlie, dana, other_org):
    client = login(erin)

    def share(n):
        for _ in range(n):
            case = CaseFactory(assigned_to=alice)
            case_grant(case=case, granted_by=dana, level="view", organisation=other_org)
        add_cases(n, charlie, erin)

    share(5)
    few = queries_for(client, "/cases/")
    share(55)
    assert queries_for(client, "/cases/") == few
