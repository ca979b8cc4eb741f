"""Coordinators see the organisation's open deadlines by urgency and caseworker; caseworkers see theirs."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from casework.cases import services as case_services
from casework.cases.models import InterimMeasure
from casework.deadlines import selectors as deadline_selectors
from casework.deadlines import services
from casework.deadlines.models import Deadline
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
    rows = {row["user"].pk: row for row in board.per_caseworker}
    assert {k: rows[alice.pk][k] for k in ("overdue", "today", "week", "month")} == {
        "overdue": 1, "today": 1, "week": 1, "month": 0}
    assert {k: rows[carol.pk][k] for k in ("overdue", "today", "week", "month")} == {
        "overdue": 0, "today": 0, "week": 0, "month": 1}
    assert {k: board.totals[k] for k in ("overdue", "today", "week", "month")} == {
        "overdue": 1, "today": 1, "week": 1, "month": 1}
    assert [d.pk for d in board.rows] == [spread[k].pk for k in ("overdue", "today", "week", "month")]


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
def test_the_page_counts_what_it_lists(spread, bob, alice, monkeypatch, login, filters, listed):
    """The page count comes from the bucket counts, not a second query: it must match the rows."""
    monkeypatch.setattr(deadline_selectors, "LISTED", 2)  # rows a page
    client = login(bob)
    params = {**filters, **({"assignee": alice.pk} if "assignee" in filters else {})}
    paginator = client.get(reverse("deadline_dashboard"), params).context["page"].paginator
    assert paginator.count == len(listed)
    shown = [d.pk for n in paginator.page_range
             for d in client.get(reverse("deadline_dashboard"), {**params, "page": n}).context["page"]]
    assert shown == [spread[k].pk for k in listed]


def test_a_reassigned_case_takes_its_deadlines_and_proposals_to_the_new_caseworker(
    spread, make_case, record, bob, alice, carol, today, login
):
    case = spread["overdue"].case
    record(case, "decision_served", today)  # a Russian asylum refusal: the appeal is proposed

    def columns():
        return {(row["user"].pk, key): row[key] for row in dashboard(bob, today=today).per_caseworker
                for key in ("overdue", "today", "week", "proposals")}

    before = columns()
    case_services.case_reassign(case=case, assigned_to=carol, changed_by=case.assigned_to)
    after = columns()
    moved = {key: Deadline.objects.filter(case=case, status=status, **where).count() for key, status, where in (
        ("overdue", "open", {"due_date__lt": today}), ("proposals", "proposed", {}))}
    assert moved == {"overdue": 1, "proposals": 1}
    for key, count in moved.items():
        assert after.get((alice.pk, key), 0) == before.get((alice.pk, key), 0) - count
        assert after.get((carol.pk, key), 0) == before.get((carol.pk, key), 0) + count
    rows = login(bob).get(reverse("deadline_dashboard"), {"assignee": carol.pk}).context["page"].object_list
    assert spread["overdue"].pk in [d.pk for d in rows]


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

    def test_each_deadline_says_how_far_it_is_to_the_day(self, spread, carol, login):
        body = login(carol).get(reverse("my_deadlines")).content.decode()
        assert "in 20 days" in body and "in 60 days" in body
        assert "Next 30 days" not in body

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


# --- Proposals, removals and the weekly chart (issue 11) ----------------------------------------------------


def caseload(n, make_case, record, manual, alice, carol, today, now):
    """n cases with what the dashboard and "My deadlines" show: an open deadline and a waiting proposal on
    each, and on every other one (a deportation) a removal with an interim-measure request; some sensitive."""
    for i in range(n):
        who = (alice, carol)[i % 2]
        if i % 2 == 0:
            case = make_case(assigned_to=who, jurisdiction="AM", case_type="deportation", is_sensitive=i % 4 == 0)
            case_services.details_update(case=case, changed_by=case.assigned_to, scheduled_removal_at=now + datetime.timedelta(hours=6 + i))
            case_services.record_add(case=case, changed_by=case.assigned_to, model=InterimMeasure, body="echr_rule39", requested_on=today)
            record(case, "final_domestic_decision", today - days(i % 20))
        else:
            case = make_case(assigned_to=who, jurisdiction="RU", case_type="deportation", is_sensitive=i % 3 == 0)
            record(case, "expulsion_ruling_received", today - days(i % 9))
        manual(case, today + days(i % 50 - 5))


@pytest.mark.parametrize("who, url", [("bob", "deadline_dashboard"), ("alice", "my_deadlines")])
def test_the_pages_cost_the_same_with_5_and_60_cases(make_case, record, manual, alice, bob, carol, login, today,
                                                      who, url):
    users = {"alice": alice, "bob": bob}
    now = timezone.now()

    def measure():
        client = login(users[who])
        client.get(reverse(url))  # the session's first request
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse(url))
        shown = response.context["board" if who == "bob" else "mine"]
        assert list(shown.proposals) and shown.removals and list(response.context["page"].object_list)
        return len(captured)

    caseload(5, make_case, record, manual, alice, carol, today, now)
    few = measure()
    caseload(55, make_case, record, manual, alice, carol, today, now)
    assert measure() == few


def test_a_sensitive_cases_proposal_and_removal_show_by_reference_only(make_case, record, bob, carol, alice, login,
                                                                       today):
    hidden = make_case(assigned_to=carol, is_sensitive=True, jurisdiction="AM", case_type="deportation",
                       client=ClientFactory(organisation=carol.membership.organisation, family_name="Секретова"))
    case_services.details_update(case=hidden, changed_by=hidden.assigned_to, scheduled_removal_at=timezone.now() + datetime.timedelta(hours=30))
    case_services.record_add(case=hidden, changed_by=hidden.assigned_to, model=InterimMeasure, body="un_cat", requested_on=today)
    hidden_event = record(hidden, "final_domestic_decision", today - days(3))
    # The same on an ordinary case, so that what is missing for the sensitive one is missing for a reason.
    shown = make_case(jurisdiction="AM", case_type="deportation",
                      client=ClientFactory(organisation=alice.membership.organisation, family_name="Открытова"))
    case_services.details_update(case=shown, changed_by=shown.assigned_to, scheduled_removal_at=timezone.now() + datetime.timedelta(hours=40))
    case_services.record_add(case=shown, changed_by=shown.assigned_to, model=InterimMeasure, body="un_cat", requested_on=today)
    shown_event = record(shown, "final_domestic_decision", today - days(3))

    response = login(bob).get(reverse("deadline_dashboard"))
    body = response.content.decode()
    board = response.context["board"]
    assert {p.case_id for p in board.proposals} == {hidden.pk, shown.pk}
    assert {r.case.pk for r in board.removals} == {hidden.pk, shown.pk}
    title = Deadline.objects.get(trigger_event=hidden_event).label
    assert body.count(hidden.reference) == 2  # in the removals and in the proposals
    assert "Only the people named on the case see what is due." in body
    assert "Only the people named on the case see its details." in body
    assert body.count(title) == 1  # the ordinary case's proposal only
    assert body.count("UN Committee against Torture") == 1
    assert reverse("deadline_proposals", args=[shown.reference, shown_event.pk]) in body
    assert reverse("deadline_proposals", args=[hidden.reference, hidden_event.pk]) not in body
    assert f'href="{reverse("case_detail", args=[hidden.reference])}"' not in body
    assert "Секретова" not in body and "Открытова" not in body  # no client names on the board at all
    [row] = [r for r in board.per_caseworker if r["user"] == carol]
    assert (row["proposals"], row["removals"]) == (1, 1)  # counted all the same


def test_the_weekly_chart_and_its_table_give_the_same_numbers(make_case, manual, alice, carol, bob, login, today):
    for offset in (0, 3, 7, 8, 20, 55, 56, 70):  # 56 and 70: beyond the eight weeks
        manual(make_case(), today + days(offset))
    manual(make_case(assigned_to=carol), today + days(14))
    manual(make_case(), today - days(1))  # overdue: in no week ahead
    response = login(bob).get(reverse("deadline_dashboard"))
    board = response.context["board"]
    rows = {row["user"]: row["weeks"] for row in board.per_caseworker}
    assert rows == {alice: [2, 2, 1, 0, 0, 0, 0, 1], carol: [0, 0, 1, 0, 0, 0, 0, 0]}
    assert board.totals["weeks"] == [2, 2, 2, 0, 0, 0, 0, 1]
    assert board.weeks == [today + days(7 * w) for w in range(8)]
    body = response.content.decode()
    svg = body[body.index("<svg"):body.index("</svg>")]
    assert 'role="img"' in svg and "<script" not in body[body.index("<svg"):]
    values = re.findall(r'<text class="value[^"]*"[^>]*>(\d+)</text>', svg)
    assert values == [str(n) for n in rows[alice] + rows[carol]]  # rows sorted by name: alice's first
    table = body[body.index('<table class="list load-table">'):]
    table = table[:table.index("</table>")]
    assert re.findall(r'<td class="count">(\d+)</td>', table) == [
        str(n) for n in rows[alice] + rows[carol] + board.totals["weeks"]]


def test_zero_is_not_marked_as_urgent(make_case, manual, alice, bob, login, today):
    manual(make_case(), today + days(20))
    body = login(bob).get(reverse("deadline_dashboard")).content.decode()
    summary = body[body.index('<table class="list dashboard-summary">'):]
    summary = summary[:summary.index("</table>")]
    assert 'class="count overdue"' not in summary and 'class="count proposals"' not in summary
    assert 'class="count month"' in summary


@pytest.mark.parametrize("who, url", [("bob", "deadline_dashboard"), ("alice", "my_deadlines")])
def test_a_typed_title_is_shown_as_text(make_case, manual, alice, bob, login, today, who, url):
    """The rows are written in Python (casework/deadlines/rows.py): what a person typed stays text."""
    manual(make_case(), today, title='<img src=x onerror="alert(1)"> & co')
    body = login({"alice": alice, "bob": bob}[who]).get(reverse(url)).content.decode()
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; co" in body
    assert "<img src=x" not in body
