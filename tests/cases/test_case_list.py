"""The case list: who sees which cases, newest first, 50 a page, with filters."""

import datetime

import pytest
from django.utils import timezone

from casework.cases.models import Case
from tests.factories import CaseFactory
from tests.pages import body, references_listed

pytestmark = pytest.mark.sqlite


def days_ago(n):
    return timezone.localdate() - datetime.timedelta(days=n)


@pytest.fixture
def cases(alice, bob, carol, charlie):
    return {
        "alice": CaseFactory(assigned_to=alice, opened_on=days_ago(3)),
        "bob": CaseFactory(assigned_to=bob, opened_on=days_ago(2)),
        "carol": CaseFactory(assigned_to=carol, opened_on=days_ago(1)),
        "alice_sensitive": CaseFactory(assigned_to=alice, is_sensitive=True, opened_on=days_ago(4)),
        "charlie": CaseFactory(assigned_to=charlie, opened_on=days_ago(0)),
    }


def listed(client, query=""):
    response = client.get(f"/cases/{query}")
    assert response.status_code == 200
    return references_listed(response)


def refs(cases, *names):
    return [cases[name].reference for name in names]


def test_caseworker_sees_only_cases_assigned_to_her(login, alice, cases):
    assert listed(login(alice)) == refs(cases, "alice", "alice_sensitive")


def test_coordinator_sees_every_case_of_the_organisation(login, bob, cases):
    assert listed(login(bob)) == refs(cases, "carol", "bob", "alice", "alice_sensitive")


def test_coordinator_does_not_see_the_client_of_a_sensitive_case_in_the_list(login, bob, cases):
    page = body(login(bob).get("/cases/"))
    assert str(cases["alice"].client) in page
    assert str(cases["alice_sensitive"].client) not in page


def test_coordinator_sees_a_sensitive_case_assigned_to_him(login, bob, cases):
    his = CaseFactory(assigned_to=bob, is_sensitive=True, opened_on=days_ago(10))
    assert listed(login(bob))[-1] == his.reference


def test_nobody_sees_another_organisations_cases(login, alice, bob, erin, cases):
    for user in (alice, bob):
        assert cases["charlie"].reference not in listed(login(user))
    assert listed(login(erin)) == refs(cases, "charlie")


def test_org_admin_has_no_case_list(login, dana, cases):
    response = login(dana).get("/cases/")
    assert response.status_code == 404
    assert cases["alice"].reference not in body(response)


def test_mine_filter_shows_the_coordinators_own_cases(login, bob, cases):
    response = login(bob).get("/cases/?mine=on")
    assert "My cases" in body(response)
    assert references_listed(response) == refs(cases, "bob")


def test_filter_by_type(login, bob, alice):
    asylum = CaseFactory(assigned_to=alice, case_type="asylum")
    wages = CaseFactory(assigned_to=alice, case_type="unpaid_wages")
    client = login(bob)
    assert listed(client, "?case_type=unpaid_wages") == [wages.reference]
    assert listed(client, "?case_type=asylum") == [asylum.reference]
    assert listed(client, "?case_type=deportation") == []


def test_filter_by_status(login, bob, alice):
    open_case = CaseFactory(assigned_to=alice)
    closed = CaseFactory(assigned_to=alice)
    Case.objects.filter(pk=closed.pk).update(status=Case.Status.CLOSED, closed_on=timezone.localdate())
    client = login(bob)
    assert listed(client, "?status=closed") == [closed.reference]
    assert listed(client, "?status=open") == [open_case.reference]


def test_filters_combine_with_mine(login, bob, alice):
    CaseFactory(assigned_to=alice, case_type="unpaid_wages")
    his = CaseFactory(assigned_to=bob, case_type="unpaid_wages")
    CaseFactory(assigned_to=bob, case_type="asylum")
    assert listed(login(bob), "?case_type=unpaid_wages&mine=on") == [his.reference]


@pytest.mark.parametrize("query", ["?case_type=murder", "?status=%00", "?page=abc", "?page=-1", "?page=99999",
                                   "?mine=" + "x" * 10_000])
def test_odd_filters_do_not_break_the_list(login, alice, cases, query):
    assert login(alice).get(f"/cases/{query}").status_code == 200


def test_newest_first_fifty_a_page(login, alice, alice_client):
    made = [CaseFactory(assigned_to=alice, client=alice_client, opened_on=days_ago(n)) for n in range(60)]
    newest_first = [case.reference for case in made]
    client = login(alice)
    first = client.get("/cases/")
    assert references_listed(first) == newest_first[:50]
    assert "Page 1 of 2" in body(first)
    second = client.get("/cases/?page=2")
    assert references_listed(second) == newest_first[50:]


def test_paging_keeps_the_filter(login, alice, alice_client):
    wages = [CaseFactory(assigned_to=alice, client=alice_client, case_type="unpaid_wages", opened_on=days_ago(n))
             for n in range(51)]
    CaseFactory(assigned_to=alice, client=alice_client, case_type="asylum", opened_on=days_ago(100))
    client = login(alice)
    first = client.get("/cases/?case_type=unpaid_wages")
    assert "case_type=unpaid_wages&amp;page=2" in body(first)
    second = client.get("/cases/?case_type=unpaid_wages&page=2")
    assert references_listed(second) == [wages[-1].reference]


def test_same_day_cases_keep_a_stable_order(login, alice, alice_client):
    today = [CaseFactory(assigned_to=alice, client=alice_client) for _ in range(3)]
    assert listed(login(alice)) == [case.reference for case in reversed(today)]


def test_a_partner_pages_through_its_own_and_shared_cases_newest_first(login, erin, other_org, alice, dana):
    """The partner's list reads its own cases and those shared with it as separate parts and merges them:
    one order across both, page by page (on SQLite too, where a part cannot be limited inside a UNION)."""
    from casework.cases.services import case_grant

    own = {n: CaseFactory(assigned_to=erin, opened_on=days_ago(n)) for n in range(0, 80, 2)}
    shared = {n: CaseFactory(assigned_to=alice, opened_on=days_ago(n)) for n in range(1, 40, 2)}
    for case in shared.values():
        case_grant(case=case, granted_by=dana, level="view", organisation=other_org)
    CaseFactory(assigned_to=alice, opened_on=days_ago(5))  # alice's, not shared
    newest_first = [case.reference for _n, case in sorted({**own, **shared}.items())]
    client = login(erin)
    first = client.get("/cases/")
    assert first.status_code == 200
    assert references_listed(first) == newest_first[:50]
    assert "Page 1 of 2" in body(first)
    assert references_listed(client.get("/cases/?page=2")) == newest_first[50:]
