"""A proposal is work, not a suggestion (issue 11): recording an event stores what it sets running as a
proposal, counted and listed like a deadline with how long it has waited, reminded after a day and escalated
to the coordinators after three (at once when its last day is close), until the caseworker confirms or
dismisses it. Confirming one whose last day has passed asks for an acknowledgement, kept on record.

Every test that lets time pass stands the clock still at a fixed moment and moves it by hand: nothing here
depends on how fast the machine runs it, or on what day it is run."""

import datetime
import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone, translation
from time_machine import travel

from casework.cases.models import InterimMeasure
from casework.cases.services import case_set_status, details_update, event_correct_date, record_add
from casework.deadlines import rules, selectors, services, timing
from casework.deadlines.models import Deadline, Notification, Reminder
from casework.deadlines.tasks import send_reminders
from config.celery import health
from tests.deadlines.conftest import D
from tests.deadlines.test_reminders import dispatch_and_send
from tests.deadlines.test_worker import mail_dir, queue, sent_mails, workers  # noqa: F401  (fixtures)
from tests.factories import ClientFactory
from tests.test_translations import compiled_locale  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db

ECHR = "echr-art35-4-months"
EXPULSION = "ru-koap-30-3-expulsion-appeal"
# A Wednesday morning in Moscow, the organisation's time: the clock of the tests that let time pass.
START = timezone.make_aware(datetime.datetime(2026, 3, 4, 10, 0))
HOUR = datetime.timedelta(hours=1)
LATE_ERROR = "The last day of this deadline has passed. Tick the box to confirm that you know, then confirm again."


class Clock:
    """timezone.now() and time.time() standing still, moved only by the test (as tests/security's clock)."""

    def __init__(self, traveller):
        self._traveller = traveller

    @property
    def now(self) -> datetime.datetime:
        return timezone.now()

    def advance(self, *, days: float = 0, hours: float = 0, minutes: float = 0) -> datetime.datetime:
        self._traveller.shift(datetime.timedelta(days=days, hours=hours, minutes=minutes))
        return timezone.now()


@pytest.fixture
def clock(time_machine):
    time_machine.move_to(START, tick=False)
    return Clock(time_machine)


def proposals_url(event):
    return reverse("deadline_proposals", args=[event.case.reference, event.pk])


def page(client, name, *args) -> str:
    response = client.get(reverse(name, args=args))
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def waiting(make_case, record, today):
    """An Armenian final decision of five days ago: the European Court's four months wait for alice."""
    event = record(make_case(jurisdiction="AM", case_type="asylum"), "final_domestic_decision",
                   today - datetime.timedelta(days=5))
    return Deadline.objects.get(trigger_event=event, rule_id=ECHR)


def decide(action, proposal, user, **extra):
    event = proposal.trigger_event
    if action == "confirm":
        return services.deadline_confirm(event=event, rule_id=proposal.rule_id, confirmed_by=user, **extra)
    return services.deadline_dismiss(event=event, rule_id=proposal.rule_id, dismissed_by=user, reason="Not exhausted")


def pending_kinds(deadline) -> set[str]:
    return set(deadline.reminders.filter(status="pending").values_list("kind", flat=True))


# --- Stored, counted and listed ---------------------------------------------------------------------------


class TestAProposalIsWork:
    def test_recording_an_event_stores_its_proposal_and_arms_its_reminders(self, waiting, alice):
        computed = rules.compute(ECHR, waiting.trigger_event.occurred_on)
        assert (waiting.status, waiting.due_date, waiting.computed_due_date, waiting.created_by) == (
            "proposed", computed.due_date, computed.due_date, alice)
        assert list(waiting.changes.values_list("action", "changed_by")) == [("proposed", alice.pk)]
        assert pending_kinds(waiting) == {"proposal", "escalate"}
        waiting.case.refresh_from_db()
        assert waiting.case.next_due_date == waiting.due_date

    def test_it_is_on_my_deadlines_with_how_long_it_waited(self, clock, make_case, record, alice, login):
        event = record(make_case(jurisdiction="AM", case_type="asylum"), "final_domestic_decision", D("2026-03-02"))
        proposal = Deadline.objects.get(trigger_event=event)
        clock.advance(days=10)
        response = login(alice).get(reverse("my_deadlines"))
        body = response.content.decode()
        assert response.context["mine"].counts["proposals"] == 1
        assert [p.pk for p in response.context["mine"].proposals] == [proposal.pk]
        assert proposal.label in body and proposals_url(event) in body
        assert "waiting 10 days" in body
        assert "No proposal is waiting." not in body

    def test_it_is_on_the_dashboard_in_its_own_column_and_list(self, waiting, alice, bob, login):
        response = login(bob).get(reverse("deadline_dashboard"))
        board = response.context["board"]
        [row] = board.per_caseworker
        assert (row["user"], row["proposals"], board.totals["proposals"]) == (alice, 1, 1)
        assert [p.pk for p in board.proposals] == [waiting.pk]
        body = response.content.decode()
        assert waiting.label in body and proposals_url(waiting.trigger_event) in body
        assert f'<td class="count proposals" data-label="Awaiting confirmation"><a href="?assignee={alice.pk}#proposals-h">1</a></td>' in body

    def test_the_case_page_lists_it_instead_of_saying_all_clear(self, waiting, alice, login):
        body = page(login(alice), "case_detail", waiting.case.reference)
        assert "1 proposed deadline waits for a decision" in body
        assert waiting.label in body and proposals_url(waiting.trigger_event) in body
        assert "No open deadlines." not in body

    @pytest.mark.parametrize("action", ["confirm", "dismiss"])
    def test_once_decided_it_leaves_the_lists(self, waiting, alice, bob, login, action):
        decide(action, waiting, alice)
        mine = login(alice).get(reverse("my_deadlines"))
        assert mine.context["mine"].counts["proposals"] == 0 and not list(mine.context["mine"].proposals)
        assert "No proposal is waiting." in mine.content.decode()
        assert [d.pk for d in mine.context["page"].object_list] == ([waiting.pk] if action == "confirm" else [])
        board = login(bob).get(reverse("deadline_dashboard")).context["board"]
        assert board.totals["proposals"] == 0 and not list(board.proposals)
        case_page = page(login(alice), "case_detail", waiting.case.reference)
        assert "waits for a decision" not in case_page
        assert ("No open deadlines." in case_page) == (action == "dismiss")
        assert pending_kinds(waiting) == ({"14d", "7d", "3d", "1d", "0d", "overdue"} if action == "confirm" else set())

    def test_correcting_the_event_date_redates_the_waiting_proposal(self, waiting, alice, bob, login):
        event = waiting.trigger_event
        corrected = event.occurred_on - datetime.timedelta(days=10)
        old_due, new_due = waiting.due_date, rules.compute(ECHR, corrected).due_date
        assert new_due != old_due
        event_correct_date(event=event, occurred_on=corrected, changed_by=bob, reason="Served earlier")
        waiting.refresh_from_db()
        assert (waiting.status, waiting.due_date, waiting.computed_due_date) == ("proposed", new_due, new_due)
        change = waiting.changes.first()
        assert (change.action, change.old_due_date, change.new_due_date) == ("recomputed", old_due, new_due)
        assert Deadline.objects.filter(trigger_event=event).count() == 1
        waiting.case.refresh_from_db()
        assert waiting.case.next_due_date == new_due
        body = page(login(alice), "my_deadlines")
        assert f'datetime="{new_due:%Y-%m-%d}"' in body and f'datetime="{old_due:%Y-%m-%d}"' not in body

    def test_closing_the_case_dismisses_its_proposals(self, waiting, alice, bob, login):
        case_set_status(case=waiting.case, status="closed", outcome="withdrawn", changed_by=alice)
        waiting.refresh_from_db()
        assert (waiting.status, waiting.completed_by) == ("dismissed", alice)
        assert [(c.action, c.reason) for c in waiting.changes.all()][0] == ("dismissed", "The case was closed.")
        assert pending_kinds(waiting) == set()
        waiting.case.refresh_from_db()
        assert waiting.case.next_due_date is None
        assert login(alice).get(reverse("my_deadlines")).context["mine"].counts["proposals"] == 0
        assert login(bob).get(reverse("deadline_dashboard")).context["board"].totals["proposals"] == 0

    def test_an_event_recorded_on_a_closed_case_proposes_nothing(self, make_case, record, alice, bob, login, today):
        case = make_case(jurisdiction="AM", case_type="asylum")
        case_set_status(case=case, status="closed", outcome="withdrawn", changed_by=alice)
        event = record(case, "final_domestic_decision", today - datetime.timedelta(days=5))
        assert not Deadline.objects.filter(trigger_event=event).exists()
        assert login(bob).get(reverse("deadline_dashboard")).context["board"].totals["proposals"] == 0

    def test_a_past_due_proposal_counts_as_overdue(self, make_case, record, alice, org, today):
        event = record(make_case(jurisdiction="AM", case_type="asylum"), "final_domestic_decision", D("2025-03-10"))
        assert Deadline.objects.get(trigger_event=event).due_date < today
        assert selectors.overdue_count(org.pk, today=today) == 1
        assert selectors.attention_count(alice, today=today) == 1


class TestRemovals:
    def test_a_scheduled_removal_is_on_my_deadlines_and_the_dashboard_with_its_countdown(
            self, clock, make_case, alice, bob, login):
        case = make_case(jurisdiction="AM", case_type="deportation")
        details_update(case=case, changed_by=case.assigned_to, scheduled_removal_at=START + 46 * HOUR)
        record_add(case=case, changed_by=case.assigned_to, model=InterimMeasure, body="echr_rule39", requested_on=START.date())
        for user in (alice, bob):
            response = login(user).get(reverse("my_deadlines" if user == alice else "deadline_dashboard"))
            body = response.content.decode()
            context = response.context["mine"] if user == alice else response.context["board"]
            assert [r.case.pk for r in context.removals] == [case.pk]
            assert '<strong class="countdown">in 46 hours</strong>' in body
            assert "European Court (Rule 39): send by" in body
            assert "European Court, Rule 39: <strong>Pending</strong>" in body
        [row] = login(bob).get(reverse("deadline_dashboard")).context["board"].per_caseworker
        assert row["removals"] == 1


# --- Confirming a proposal whose last day has passed --------------------------------------------------------


@pytest.fixture
def late(make_case, record):
    """An Armenian final decision served in March 2025: the four months ended on 10 July 2025."""
    event = record(make_case(jurisdiction="AM", case_type="asylum"), "final_domestic_decision", D("2025-03-10"))
    return Deadline.objects.get(trigger_event=event, rule_id=ECHR)


class TestLateConfirmation:
    def test_the_page_asks_for_the_acknowledgement(self, late, alice, login):
        body = page(login(alice), "deadline_proposals", late.case.reference, late.trigger_event_id)
        assert re.search(r'<input type="checkbox" name="late_acknowledged"[^>]*>', body)
        assert "I know the last day has passed and confirm this deadline all the same" in body

    def test_without_the_box_ticked_nothing_changes(self, late, alice, login):
        response = login(alice).post(proposals_url(late.trigger_event), {"rule_id": ECHR, "action": "confirm"})
        assert response.status_code == 200
        assert LATE_ERROR in response.content.decode()
        late.refresh_from_db()
        assert late.status == "proposed"
        assert list(late.changes.values_list("action", flat=True)) == ["proposed"]
        assert pending_kinds(late) == {"proposal", "escalate"}

    def test_with_the_box_ticked_it_is_confirmed_and_the_acknowledgement_recorded(self, late, alice, login):
        response = login(alice).post(proposals_url(late.trigger_event),
                                     {"rule_id": ECHR, "action": "confirm", "late_acknowledged": "on"})
        assert response.status_code == 302
        late.refresh_from_db()
        assert (late.status, late.due_date) == ("open", D("2025-07-10"))
        change = late.changes.first()
        assert (change.action, change.changed_by, change.late_acknowledged) == ("confirmed", alice, True)
        assert pending_kinds(late) == {"overdue"}

    def test_the_service_refuses_it_too(self, late, alice):
        with pytest.raises(ValidationError) as refused:
            services.deadline_confirm(event=late.trigger_event, rule_id=ECHR, confirmed_by=alice)
        assert refused.value.message_dict == {"late_acknowledged": [LATE_ERROR]}
        late.refresh_from_db()
        assert late.status == "proposed"

    def test_a_proposal_not_yet_due_needs_no_box(self, waiting, alice, login):
        client = login(alice)
        body = page(client, "deadline_proposals", waiting.case.reference, waiting.trigger_event_id)
        assert not re.search(r'<input type="checkbox" name="late_acknowledged"', body)
        assert "I know the last day has passed" not in body
        response = client.post(proposals_url(waiting.trigger_event), {"rule_id": ECHR, "action": "confirm"})
        assert response.status_code == 302
        waiting.refresh_from_db()
        change = waiting.changes.first()
        assert (waiting.status, change.action, change.late_acknowledged) == ("open", "confirmed", False)

    def test_a_past_date_typed_instead_of_the_computed_one_asks_for_the_box_too(self, waiting, alice, login, today):
        client = login(alice)
        yesterday = (today - datetime.timedelta(days=1)).isoformat()
        posted = {"rule_id": ECHR, "action": "confirm", "due_date": yesterday, "reason": "Served earlier"}
        response = client.post(proposals_url(waiting.trigger_event), posted)
        body = response.content.decode()
        assert response.status_code == 200 and LATE_ERROR in body
        assert re.search(r'<input type="checkbox" name="late_acknowledged"[^>]*>', body)  # not a hidden input
        response = client.post(proposals_url(waiting.trigger_event), {**posted, "late_acknowledged": "on"})
        assert response.status_code == 302
        waiting.refresh_from_db()
        assert (waiting.status, waiting.due_date, waiting.changes.first().late_acknowledged) == (
            "open", today - datetime.timedelta(days=1), True)

    def test_a_box_ticked_on_a_proposal_not_yet_due_is_not_recorded_as_late(self, waiting, alice):
        services.deadline_confirm(event=waiting.trigger_event, rule_id=ECHR, confirmed_by=alice, late_acknowledged=True)
        assert waiting.changes.first().late_acknowledged is False


# --- Reminded, then escalated -------------------------------------------------------------------------------


@pytest.fixture
def emails(alice, bob):
    alice.email, bob.email = "alice@example.org", "bob@example.org"
    alice.save(), bob.save()


@pytest.fixture
def unconfirmed(clock, make_case, record, bob, carol, dana):
    """Recorded at START: an Armenian final decision of two days before, its four months far away. Bob is
    the coordinator; carol (a caseworker of other cases) and dana (the admin) are there to be left out."""
    event = record(make_case(jurisdiction="AM", case_type="asylum"), "final_domestic_decision", D("2026-03-02"))
    return Deadline.objects.get(trigger_event=event)


def told() -> list[tuple[str, str, int]]:
    return sorted(Notification.objects.values_list("recipient__username", "kind", "count"))


class TestReminders:
    def test_the_reminders_of_a_proposal_are_a_day_and_three_days_after_it(self, unconfirmed):
        assert {r.kind: (r.due_at, r.status) for r in unconfirmed.reminders.all()} == {
            "proposal": (START + 24 * HOUR, "pending"),
            "escalate": (START + 72 * HOUR, "pending"),
        }

    def test_a_day_unconfirmed_reminds_the_caseworker_only(self, unconfirmed, clock, django_capture_on_commit_callbacks):
        assert dispatch_and_send(clock.advance(hours=23, minutes=59), django_capture_on_commit_callbacks)[0] == 0
        claimed, [reminder_id] = dispatch_and_send(clock.advance(minutes=1), django_capture_on_commit_callbacks)
        assert Reminder.objects.get(pk=reminder_id).kind == "proposal"
        assert told() == [("alice", "proposals", 1)]
        notification = Notification.objects.get()
        assert notification.text == "1 proposed deadline on your cases is waiting for you to confirm or dismiss it."
        assert notification.url == reverse("my_deadlines")

    def test_three_days_unconfirmed_escalates_to_the_coordinators(self, unconfirmed, clock,
                                                                  django_capture_on_commit_callbacks):
        dispatch_and_send(clock.advance(hours=24), django_capture_on_commit_callbacks)
        assert dispatch_and_send(clock.advance(hours=47, minutes=59), django_capture_on_commit_callbacks)[0] == 0
        _claimed, [reminder_id] = dispatch_and_send(clock.advance(minutes=1), django_capture_on_commit_callbacks)
        assert Reminder.objects.get(pk=reminder_id).kind == "escalate"
        assert told() == [("alice", "proposals", 1), ("alice", "proposals", 1), ("bob", "escalated", 1)]
        escalated = Notification.objects.get(kind="escalated")
        assert escalated.text == "1 proposed deadline in your organisation has waited too long for confirmation."
        assert escalated.url == reverse("deadline_dashboard")

    def test_a_last_day_within_three_days_escalates_at_once(self, clock, make_case, record, bob,
                                                            django_capture_on_commit_callbacks):
        event = record(make_case(jurisdiction="RU", case_type="deportation"), "expulsion_ruling_received",
                       D("2026-02-24"))
        proposal = Deadline.objects.get(trigger_event=event, rule_id=EXPULSION)
        assert 0 <= (proposal.due_date - START.date()).days <= 3
        assert proposal.reminders.get(kind="escalate").due_at == START
        _claimed, [reminder_id] = dispatch_and_send(clock.now, django_capture_on_commit_callbacks)
        assert Reminder.objects.get(pk=reminder_id).kind == "escalate"
        assert told() == [("alice", "proposals", 1), ("bob", "escalated", 1)]

    def test_a_last_day_a_few_days_away_escalates_from_the_start_of_the_third_day_before_it(
            self, clock, make_case, record):
        event = record(make_case(jurisdiction="RU", case_type="deportation"), "expulsion_ruling_received",
                       D("2026-02-25"))
        proposal = Deadline.objects.get(trigger_event=event, rule_id=EXPULSION)
        day_before = timezone.make_aware(datetime.datetime.combine(
            proposal.due_date - datetime.timedelta(days=3), datetime.time.min))
        assert START < day_before < START + 72 * HOUR
        assert proposal.reminders.get(kind="escalate").due_at == day_before

    @pytest.mark.parametrize("action", ["confirm", "dismiss"])
    def test_deciding_within_the_day_cancels_both(self, unconfirmed, clock, alice, action,
                                                  django_capture_on_commit_callbacks):
        clock.advance(hours=23)
        decide(action, unconfirmed, alice)
        assert set(unconfirmed.reminders.filter(kind__in=["proposal", "escalate"]).values_list("status", flat=True)) == {
            "cancelled"}
        assert dispatch_and_send(clock.advance(hours=50), django_capture_on_commit_callbacks)[0] == 0
        assert told() == []

    def test_sending_twice_notifies_once(self, unconfirmed, clock, emails, django_capture_on_commit_callbacks):
        _claimed, ids = dispatch_and_send(clock.advance(hours=72), django_capture_on_commit_callbacks)
        assert len(ids) == 2  # the day's reminder and the escalation, both due by now
        before, mails = told(), len(mail.outbox)
        assert before == [("alice", "proposals", 1), ("alice", "proposals", 1), ("bob", "escalated", 1)]
        assert [services.reminder_send(reminder_id=i) for i in ids] == [False, False]
        assert dispatch_and_send(clock.now, django_capture_on_commit_callbacks) == (0, [])
        assert told() == before and len(mail.outbox) == mails == 2  # one e-mail per person per burst
        assert set(Reminder.objects.filter(pk__in=ids).values_list("status", flat=True)) == {"sent"}

    def test_the_notifications_say_how_many_and_nothing_else(self, clock, make_case, record, org, emails,
                                                              django_capture_on_commit_callbacks):
        client = ClientFactory(organisation=org, family_name="Тошпулатова", given_names="Мадина")
        case = make_case(client=client, jurisdiction="AM", case_type="asylum")
        record(case, "final_domestic_decision", D("2026-03-02"))
        dispatch_and_send(clock.advance(hours=72), django_capture_on_commit_callbacks)
        texts = [n.text for n in Notification.objects.all()]
        sent = [f"{m.subject}\n{m.body}" for m in mail.outbox]
        assert len(texts) == 3 and len(sent) == 2
        forbidden = [case.reference, client.family_name, client.given_names, "Volga Help", "Armenia", "European",
                     "Court", "ECHR", rules.get_rule(ECHR).title, "2026"]
        for text in texts + sent:
            assert re.search(r"\b1 proposed deadline", text), text
            for word in forbidden:
                assert word not in text, f"{word!r} in {text!r}"

    def test_the_coordinators_count_every_proposal_waiting_too_long(self, clock, make_case, record, bob, carol,
                                                                     django_capture_on_commit_callbacks):
        record(make_case(jurisdiction="AM", case_type="asylum"), "final_domestic_decision", D("2026-03-02"))
        record(make_case(jurisdiction="AM", case_type="asylum", assigned_to=carol), "final_domestic_decision",
               D("2026-03-02"))
        clock.advance(hours=1)
        record(make_case(jurisdiction="AM", case_type="asylum"), "final_domestic_decision", D("2026-03-02"))
        _claimed, ids = dispatch_and_send(clock.advance(hours=71), django_capture_on_commit_callbacks)
        assert set(Reminder.objects.filter(pk__in=ids).values_list("kind", flat=True)) == {"proposal", "escalate"}
        # Two proposals have waited 72 hours (the third only 71): each escalation tells bob of both.
        assert sorted(Notification.objects.filter(kind="escalated").values_list("recipient__username", "count")) == [
            ("bob", 2), ("bob", 2)]


@pytest.mark.celery_worker
@pytest.mark.xdist_group("celery")
@pytest.mark.django_db(transaction=True)
def test_a_proposal_left_three_days_escalates_through_the_real_worker_once(
        make_case, record, alice, bob, emails, workers, queue, mail_dir):  # noqa: F811
    """Recorded 73 hours ago (the clock of this process set back for it); the worker, on the real clock,
    finds both of its reminders due. Each is sent once although its message is delivered twice."""
    with travel(timezone.now() - 73 * HOUR, tick=False):
        event = record(make_case(jurisdiction="AM", case_type="asylum"), "final_domestic_decision",
                       timezone.localdate() - datetime.timedelta(days=5))
    proposal = Deadline.objects.get(trigger_event=event)
    assert services.reminders_dispatch() == 2  # the day's reminder and the escalation, enqueued on commit
    ids = sorted(proposal.reminders.values_list("pk", flat=True))
    send_reminders.apply_async((ids,), queue=queue)  # both again, as a redelivery would
    workers("solo")
    assert health.apply_async(queue=queue).get(timeout=120) == "ok"  # FIFO: every message before it has run
    assert set(proposal.reminders.values_list("kind", "status")) == {("proposal", "sent"), ("escalate", "sent")}
    assert told() == [("alice", "proposals", 1), ("alice", "proposals", 1), ("bob", "escalated", 1)]
    assert sent_mails(mail_dir) == 2


# --- In Russian ---------------------------------------------------------------------------------------------


NOW = START
TODAY = START.date()


def ru(function, *args) -> str:
    with translation.override("ru"):
        return function(*args)


@pytest.mark.usefixtures("compiled_locale")
class TestRussianPlurals:
    """One, few and many: 1, 21 час / день; 2, 22 часа / дня; 5, 11 часов / дней."""

    @pytest.mark.parametrize("hours, words", [
        (1, "1 час"), (2, "2 часа"), (4, "4 часа"), (5, "5 часов"), (11, "11 часов"), (21, "21 час"),
        (22, "22 часа"), (46, "46 часов"),
    ])
    def test_a_removal_counts_down_in_hours(self, hours, words):
        text = ru(timing.countdown_text, NOW + hours * HOUR + datetime.timedelta(minutes=5), NOW)
        assert re.search(rf"(?<!\d){words}(?!\w)", text), text
        assert "hour" not in text

    @pytest.mark.parametrize("days, words", [(3, "3 дня"), (5, "5 дней"), (21, "21 день"), (22, "22 дня")])
    def test_a_removal_further_away_counts_down_in_days(self, days, words):
        text = ru(timing.countdown_text, NOW + datetime.timedelta(days=days, minutes=5), NOW)
        assert re.search(rf"(?<!\d){words}(?!\w)", text), text
        assert "day" not in text

    @pytest.mark.parametrize("hours, words", [(1, "1 час"), (2, "2 часа"), (5, "5 часов"), (21, "21 час"),
                                              (23, "23 часа"), (47, "47 часов")])
    def test_a_proposal_waited_hours(self, hours, words):
        text = ru(timing.waited_text, NOW - hours * HOUR, NOW)
        assert re.search(rf"(?<!\d){words}(?!\w)", text), text
        assert "waiting" not in text

    @pytest.mark.parametrize("days, words", [(2, "2 дня"), (5, "5 дней"), (10, "10 дней"), (21, "21 день")])
    def test_a_proposal_waited_days(self, days, words):
        text = ru(timing.waited_text, NOW - datetime.timedelta(days=days), NOW)
        assert re.search(rf"(?<!\d){words}(?!\w)", text), text
        assert "waiting" not in text

    @pytest.mark.parametrize("days, words", [(2, "2 дня"), (5, "5 дней"), (10, "10 дней"), (11, "11 дней"),
                                             (21, "21 день"), (24, "24 дня")])
    def test_a_last_day_ahead(self, days, words):
        text = ru(timing.due_text, TODAY + datetime.timedelta(days=days), TODAY)
        assert re.search(rf"(?<!\d){words}(?!\w)", text), text
        assert "in " not in text

    @pytest.mark.parametrize("days, words", [(1, "1 день"), (2, "2 дня"), (5, "5 дней"), (21, "21 день")])
    def test_a_last_day_passed(self, days, words):
        text = ru(timing.due_text, TODAY - datetime.timedelta(days=days), TODAY)
        assert re.search(rf"(?<!\d){words}(?!\w)", text), text
        assert "overdue" not in text

    def test_today_and_tomorrow_have_words_of_their_own(self):
        assert "Due" not in ru(timing.due_text, TODAY, TODAY)
        assert "Due" not in ru(timing.due_text, TODAY + datetime.timedelta(days=1), TODAY)
        assert ru(timing.due_text, TODAY, TODAY) != ru(timing.due_text, TODAY + datetime.timedelta(days=1), TODAY)

    def test_the_template_filters_speak_russian_too(self, clock):
        template = Template("{% load deadlines %}{{ due|due_text }} · {{ removal|countdown }} · {{ since|waited }}")
        with translation.override("ru"):
            text = template.render(Context({"due": TODAY + datetime.timedelta(days=5), "removal": NOW + 46 * HOUR,
                                            "since": NOW - 2 * HOUR}))
        for words in ("5 дней", "46 часов", "2 часа"):
            assert re.search(rf"(?<!\d){words}(?!\w)", text), text
