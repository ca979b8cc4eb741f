"""A proposal becomes a deadline only when a caseworker confirms it (with another date and a reason if
need be); dismissing needs a reason; every decision is on record with who and when. Until then it is stored
as a proposal, counted and listed like a deadline.

The decision of the fixture was served in 2025: its last day has passed, so confirming it also takes the
acknowledgement (the tests of that are in test_proposals_attention.py)."""

import datetime

import pytest
from django.urls import reverse

from casework.deadlines.models import Deadline, DeadlineChange
from casework.deadlines.selectors import case_deadlines
from tests.deadlines.conftest import D

pytestmark = pytest.mark.django_db

ECHR = "echr-art35-4-months"


@pytest.fixture
def decision(make_case, record):
    """A final decision in Armenia: the European Court's four months are proposed."""
    return record(make_case(jurisdiction="AM", case_type="asylum"), "final_domestic_decision", D("2025-03-10"))


def proposals_url(event):
    return reverse("deadline_proposals", args=[event.case.reference, event.pk])


LATE = {"late_acknowledged": "on"}


def undecided(event, rule_id=ECHR) -> bool:
    """The event's proposal still waits: stored as proposed, and nothing but its proposal on record."""
    proposal = Deadline.objects.get(trigger_event=event, rule_id=rule_id)
    return proposal.status == "proposed" and list(proposal.changes.values_list("action", flat=True)) == ["proposed"]


def test_confirming_creates_the_deadline_with_its_computation(decision, login, alice):
    response = login(alice).post(proposals_url(decision), {"rule_id": ECHR, "action": "confirm", **LATE})
    assert response.status_code == 302
    deadline = Deadline.objects.get(trigger_event=decision, rule_id=ECHR)
    assert (deadline.status, deadline.due_date, deadline.computed_due_date, deadline.rule_version) == (
        "open", D("2025-07-10"), D("2025-07-10"), "2022-02-01")
    assert list(deadline.changes.values_list("action", flat=True)) == ["confirmed", "proposed"]
    change = deadline.changes.first()
    assert (change.action, change.changed_by, change.old_status, change.new_status) == (
        "confirmed", alice, "proposed", "open")
    body = login(alice).get(proposals_url(decision)).content.decode()
    assert reverse("deadline_detail", args=[decision.case.reference, deadline.pk]) in body


def test_confirming_twice_makes_one_deadline(decision, login, alice):
    for _ in range(2):
        assert login(alice).post(proposals_url(decision), {"rule_id": ECHR, "action": "confirm", **LATE}).status_code == 302
    deadline = Deadline.objects.get(trigger_event=decision)
    assert deadline.status == "open" and deadline.changes.filter(action="confirmed").count() == 1


def test_another_date_needs_a_reason_and_is_recorded(decision, login, alice):
    client = login(alice)
    response = client.post(proposals_url(decision), {"rule_id": ECHR, "action": "confirm", "due_date": "2025-07-01",
                                                     **LATE})
    assert response.status_code == 200 and "Say why the date differs" in response.content.decode()
    assert undecided(decision)
    client.post(proposals_url(decision), {"rule_id": ECHR, "action": "confirm", "due_date": "2025-07-01",
                                          "reason": "Served on the lawyer earlier", **LATE})
    deadline = Deadline.objects.get()
    assert (deadline.status, deadline.due_date, deadline.computed_due_date, deadline.is_edited) == (
        "open", D("2025-07-01"), D("2025-07-10"), True)
    assert deadline.changes.first().reason == "Served on the lawyer earlier"


def test_dismissing_needs_a_reason_and_stops_the_proposal_nagging(decision, login, alice):
    client = login(alice)
    response = client.post(proposals_url(decision), {"rule_id": ECHR, "action": "dismiss", "reason": ""})
    assert response.status_code == 200 and undecided(decision)
    client.post(proposals_url(decision), {"rule_id": ECHR, "action": "dismiss", "reason": "Client withdrew"})
    dismissed = Deadline.objects.get()
    assert (dismissed.status, dismissed.completed_by) == ("dismissed", alice)
    assert list(dismissed.changes.values_list("action", "reason")) == [("dismissed", "Client withdrew"), ("proposed", "")]
    assert not dismissed.reminders.filter(status="pending").exists()
    panel = case_deadlines(decision.case)
    assert panel.open == [] and panel.proposals == [] and panel.closed == []
    body = client.get(proposals_url(decision)).content.decode()
    assert "Dismissed by" in body


def test_a_dismissed_proposal_can_still_be_confirmed(decision, login, alice):
    client = login(alice)
    client.post(proposals_url(decision), {"rule_id": ECHR, "action": "dismiss", "reason": "Thought it settled"})
    client.post(proposals_url(decision), {"rule_id": ECHR, "action": "confirm", **LATE})
    deadline = Deadline.objects.get()
    assert deadline.status == "open" and deadline.completed_by is None
    assert list(deadline.changes.values_list("action", "old_status")) == [
        ("confirmed", "dismissed"), ("dismissed", "proposed"), ("proposed", "")]


def test_only_proposed_rules_can_be_confirmed(decision, login, alice):
    response = login(alice).post(proposals_url(decision), {"rule_id": "ru-tk-392-unpaid-wages-1-year", "action": "confirm",
                                                           **LATE})
    assert response.status_code == 404
    assert not Deadline.objects.filter(rule_id="ru-tk-392-unpaid-wages-1-year").exists() and undecided(decision)


def test_a_rule_with_several_situations_asks_which_one(make_case, record, login, alice):
    event = record(make_case(jurisdiction="GE", case_type="asylum"), "decision_served", D("2025-04-01"))
    client = login(alice)
    body = client.get(proposals_url(event)).content.decode()
    assert "Inadmissibility decision (7 days; no suspensive effect)" in body
    response = client.post(proposals_url(event), {"rule_id": "ge-asylum-appeal", "action": "confirm", **LATE})
    assert response.status_code == 200 and undecided(event, "ge-asylum-appeal")
    client.post(proposals_url(event), {"rule_id": "ge-asylum-appeal", "action": "confirm", "variant": "regular_rejection",
                                       **LATE})
    deadline = Deadline.objects.get()
    assert (deadline.status, deadline.variant, deadline.due_date) == ("open", "regular_rejection", D("2025-04-11"))


def test_pending_proposals_show_on_the_case_until_decided(make_case, record, login, alice, today):
    event = record(make_case(jurisdiction="AM", case_type="asylum"), "final_domestic_decision",
                   today - datetime.timedelta(days=5))
    [proposal] = case_deadlines(event.case).proposals
    assert (proposal.trigger_event, proposal.rule_id, proposal.status) == (event, ECHR, "proposed")
    assert case_deadlines(event.case).open == []
    login(alice).post(proposals_url(event), {"rule_id": ECHR, "action": "confirm"})  # not late: no box to tick
    panel = case_deadlines(event.case)
    assert panel.proposals == [] and [d.pk for d in panel.open] == [proposal.pk]


def test_an_expired_proposal_stays_listed_and_shows_as_overdue(make_case, record, login, alice, today):
    """A proposal whose last day has passed is the most urgent thing there is, not something to hide."""
    event = record(make_case(jurisdiction="AM", case_type="asylum"), "final_domestic_decision", D("2023-01-10"))
    [proposal] = case_deadlines(event.case).proposals
    assert proposal.due_date == D("2023-05-10") < today
    body = login(alice).get(reverse("case_detail", args=[event.case.reference])).content.decode()
    overdue = (today - D("2023-05-10")).days
    assert f'<span class="due overdue">{overdue} days overdue</span>' in body
    assert "No open deadlines." not in body


class TestManualDeadlines:
    def test_adding_by_hand_records_who(self, make_case, login, alice, today):
        case = make_case()
        client = login(alice)
        form = client.get(reverse("deadline_create", args=[case.reference])).context["form"]
        token = form["submission_token"].value()
        for _ in range(2):  # a double click
            response = client.post(reverse("deadline_create", args=[case.reference]),
                                   {"title": "Hearing bundle to court", "due_date": today.isoformat(),
                                    "submission_token": token})
        deadline = Deadline.objects.get()
        assert response.status_code == 302
        assert (deadline.label, deadline.due_date, deadline.created_by) == ("Hearing bundle to court", today, alice)
        assert deadline.changes.get().action == "created"

    def test_the_title_is_stored_encrypted(self, make_case, manual, today):
        from django.db import connection

        manual(make_case(), today, title="Тошпулатова: hearing")
        with connection.cursor() as cursor:
            cursor.execute("SELECT title FROM deadlines_deadline")
            assert "Тошпулатова" not in cursor.fetchone()[0]


class TestEditAndClose:
    def test_changing_the_date_needs_a_reason_and_is_recorded(self, make_case, manual, login, alice, today):
        deadline = manual(make_case(), D("2030-01-10"))
        url = reverse("deadline_edit", args=[deadline.case.reference, deadline.pk])
        client = login(alice)
        assert client.post(url, {"due_date": "2030-01-20", "reason": ""}).status_code == 200
        client.post(url, {"due_date": "2030-01-20", "reason": "Court extended the period"})
        deadline.refresh_from_db()
        change = deadline.changes.first()
        assert deadline.due_date == D("2030-01-20")
        assert (change.action, change.old_due_date, change.new_due_date, change.reason, change.changed_by) == (
            "edited", D("2030-01-10"), D("2030-01-20"), "Court extended the period", alice)
        body = client.get(reverse("deadline_detail", args=[deadline.case.reference, deadline.pk])).content.decode()
        assert "Court extended the period" in body

    @pytest.mark.parametrize("status", ["met", "missed", "waived"])
    def test_closing_records_who_and_when(self, status, make_case, manual, login, alice, today):
        deadline = manual(make_case(), today)
        url = reverse("deadline_complete", args=[deadline.case.reference, deadline.pk])
        login(alice).post(url, {"status": status, "note": "Filed in person" if status != "waived" else "Withdrawn"})
        deadline.refresh_from_db()
        assert (deadline.status, deadline.completed_by, deadline.completed_on) == (status, alice, today)
        assert deadline.completed_at is not None
        assert deadline.changes.first().new_status == status
        assert not deadline.reminders.filter(status="pending").exists()

    def test_waiving_needs_a_reason(self, make_case, manual, login, alice, today):
        deadline = manual(make_case(), today)
        response = login(alice).post(reverse("deadline_complete", args=[deadline.case.reference, deadline.pk]),
                                     {"status": "waived"})
        assert response.status_code == 200 and "Say why" in response.content.decode()
        deadline.refresh_from_db()
        assert deadline.status == "open"

    def test_a_closed_deadline_cannot_be_closed_again(self, make_case, manual, login, alice, today):
        deadline = manual(make_case(), today)
        url = reverse("deadline_complete", args=[deadline.case.reference, deadline.pk])
        client = login(alice)
        client.post(url, {"status": "met"})
        response = client.post(url, {"status": "missed"})
        assert "closed already" in response.content.decode()
        assert DeadlineChange.objects.filter(action="closed").count() == 1

    def test_colleagues_of_other_cases_cannot_close_it(self, make_case, manual, login, carol, today):
        deadline = manual(make_case(), today)
        response = login(carol).post(reverse("deadline_complete", args=[deadline.case.reference, deadline.pk]),
                                     {"status": "met"})
        assert response.status_code == 404
