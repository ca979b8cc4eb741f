"""Coordinators see the organisation's open deadlines by urgency and caseworker; caseworkers see theirs."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from casework.deadlines import services
from casework.deadlines.selectors import dashboard
from tests.factories import CaseFactory, ClientFactory

pytestmark = pytest.mark.django_db


def days(n):
    return datetime.timedelta(days=n)


@pytest.fixture
def spread(make_case, manual, alice, carol, today):
    """Alice: one overdue, one today, one in 5 days; Carol: one in 20 days and one in 60 (beyond the board)."""
    alices, carols = make_case(), make_case(assigned_to=carol)
    return {
        "overdue": manual(alices, today - days(2)),
        "today": manual(alices, today),
        "week": manual(alices, today + days(5)),
        "month": manual(carols, today + days(20)),
        "later": manual(carols, today + days(60)),
    }


def test_buckets_per_caseworker(spread, bob, alice, carol, today):
    board = dashboard(bob, today=today)
    rows = {row["case__assigned_to"]: row for row in board.per_caseworker}
    assert {k: rows[alice.pk][k] for k in ("overdue", "today", "week", "month")} == {
        "overdue": 1, "today": 1, "week": 1, "month": 0}
    assert {k: rows[carol.pk][k] for k in ("overdue", "today", "week", "month")} == {
        "overdue": 0, "today": 0, "week": 0, "month": 1}
    assert board.totals == {"overdue": 1, "today": 1, "week": 1, "month": 1}
    assert [d.pk for d in board.rows] == [spread[k].pk for k in ("overdue", "today", "week", "month")]
    assert [d.bucket for d in board.rows] == ["overdue", "today", "week", "month"]


def test_filtering_by_caseworker_and_bucket(spread, bob, alice, today, login):
    assert [d.pk for d in dashboard(bob, today=today, assignee_id=alice.pk, bucket="overdue").rows] == [
        spread["overdue"].pk]
    page = login(bob).get(reverse("deadline_dashboard"), {"assignee": alice.pk, "bucket": "week"})
    assert [d.pk for d in page.context["page"].object_list] == [spread["week"].pk]


@pytest.mark.parametrize("filters, listed", [
    ({}, ["overdue", "today", "week", "month"]),
    ({"assignee": "alice"}, ["overdue", "today", "week"]),
    ({"bucket": "month"}, ["month"]),
    ({"assignee": "alice", "bucket": "month"}, []),
])
def test_the_page_counts_what_it_lists(spread, bob, alice, settings, login, filters, listed):
    """The page count comes from the bucket counts, not a second query: it must match the rows."""
    settings.CASES_PAGE_SIZE = 2
    client = login(bob)
    params = {**filters, **({"assignee": alice.pk} if "assignee" in filters else {})}
    paginator = client.get(reverse("deadline_dashboard"), params).context["page"].paginator
    assert paginator.count == len(listed)
    shown = [d.pk for n in paginator.page_range
             for d in client.get(reverse("deadline_dashboard"), {**params, "page": n}).context["page"]]
    assert shown == [spread[k].pk for k in listed]


def test_closed_deadlines_leave_the_board(spread, bob, alice, today):
    services.deadline_complete(deadline=spread["overdue"], status="met", completed_by=alice)
    assert dashboard(bob, today=today).totals["overdue"] == 0


def test_sensitive_case_shows_reference_only(make_case, manual, bob, carol, login, today):
    hidden = make_case(assigned_to=carol, is_sensitive=True, client=ClientFactory(
        organisation=carol.membership.organisation, family_name="Секретова"))
    manual(hidden, today, title="Asylum interview prep")
    body = login(bob).get(reverse("deadline_dashboard")).content.decode()
    assert hidden.reference in body
    assert "Asylum interview prep" not in body and "Секретова" not in body
    detail = reverse("deadline_detail", args=[hidden.reference, hidden.deadlines.get().pk])
    assert detail not in body
    assert login(bob).get(detail).status_code == 404


def test_other_organisations_deadlines_are_not_on_the_board(make_case, manual, erin, bob, today, login):
    theirs = CaseFactory(assigned_to=erin)
    manual(theirs, today)
    assert theirs.reference not in login(bob).get(reverse("deadline_dashboard")).content.decode()


def test_caseworkers_have_no_dashboard(alice, login):
    assert login(alice).get(reverse("deadline_dashboard")).status_code == 404


def test_the_dashboard_costs_the_same_queries_with_more_deadlines(make_case, manual, bob, alice, carol, login, today):
    client = login(bob)
    def make_deadlines(n, who):
        for i in range(n):
            manual(make_case(assigned_to=who), today + days(i % 30))

    make_deadlines(2, alice)
    client.get(reverse("deadline_dashboard"))  # warm the session
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("deadline_dashboard"))
    make_deadlines(12, carol)
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("deadline_dashboard"))
    assert len(response.context["page"].object_list) == 14
    assert len(many) == len(few)


class TestMyDeadlines:
    def test_only_my_cases_soonest_first_with_counts(self, spread, alice, login):
        response = login(alice).get(reverse("my_deadlines"))
        assert [d.pk for d in response.context["page"].object_list] == [
            spread[k].pk for k in ("overdue", "today", "week")]
        counts = {key: count for key, _label, count in response.context["buckets"]}
        assert counts == {"overdue": 1, "today": 1, "week": 1, "month": 0, "later": 0}

    def test_a_deadline_far_ahead_is_listed_as_later(self, spread, carol, login):
        rows = login(carol).get(reverse("my_deadlines")).context["page"].object_list
        assert [d.bucket for d in rows] == ["month", "later"]

    def test_queries_do_not_grow_with_deadlines(self, make_case, manual, alice, login, today):
        client = login(alice)
        manual(make_case(), today)
        client.get(reverse("my_deadlines"))
        with CaptureQueriesContext(connection) as few:
            client.get(reverse("my_deadlines"))
        for i in range(10):
            manual(make_case(), today + days(i))
        with CaptureQueriesContext(connection) as many:
            client.get(reverse("my_deadlines"))
        assert len(many) == len(few)
