"""Reminders at 14, 7, 3, 1 and 0 days and when overdue; an overdue deadline reaches the coordinators.
What is sent says how many and links to the app: nothing else."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from casework.deadlines import services
from casework.deadlines.models import Notification, Reminder
from casework.orgs.models import Membership
from casework.platform.services import organisation_reactivate, organisation_suspend
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def at(day: datetime.date, hour=9, minute=0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def plan(deadline) -> dict:
    return {r.kind: (timezone.localtime(r.due_at), r.status) for r in deadline.reminders.all()}


@pytest.fixture
def emails(alice, bob):
    alice.email, bob.email = "alice@example.org", "bob@example.org"
    alice.save(), bob.save()


def days(n):
    return datetime.timedelta(days=n)


def dispatch_and_send(now, django_capture_on_commit_callbacks):
    """The dispatcher's claim, then the sending its commit enqueues (run here instead of on a worker)."""
    with django_capture_on_commit_callbacks() as enqueued:
        claimed = services.reminders_dispatch(now=now)
    ids = [i for callback in enqueued for i in callback.args[0]]
    for reminder_id in ids:
        services.reminder_send(reminder_id=reminder_id, now=now)
    return claimed, ids


class TestSchedule:
    def test_five_reminders_before_and_one_after(self, make_case, manual, today):
        due = today + days(30)
        deadline = manual(make_case(), due)
        assert plan(deadline) == {
            "14d": (at(due - days(14)), "pending"),
            "7d": (at(due - days(7)), "pending"),
            "3d": (at(due - days(3)), "pending"),
            "1d": (at(due - days(1)), "pending"),
            "0d": (at(due), "pending"),
            "overdue": (at(due + days(1)), "pending"),
        }

    def test_a_short_deadline_skips_reminders_already_past_but_never_the_overdue_one(self, make_case, manual, today):
        deadline = manual(make_case(), today - days(3))
        assert set(plan(deadline)) == {"overdue"}
        short = manual(make_case(), today + days(5))
        assert {"3d", "1d", "0d", "overdue"} <= set(plan(short)) and not {"14d", "7d"} & set(plan(short))

    def test_a_new_date_rearms_even_a_sent_reminder(self, make_case, manual, alice, today, django_capture_on_commit_callbacks):
        deadline = manual(make_case(), today + days(20))
        dispatch_and_send(at(today + days(6), 10), django_capture_on_commit_callbacks)
        assert deadline.reminders.get(kind="14d").status == "sent"
        services.deadline_edit(deadline=deadline, due_date=today + days(40), changed_by=alice,
                               reason="Extension granted")
        assert plan(deadline)["14d"] == (at(today + days(26)), "pending")

    def test_closing_cancels_what_is_left(self, make_case, manual, alice, today):
        deadline = manual(make_case(), today + days(20))
        services.deadline_complete(deadline=deadline, status="met", completed_by=alice)
        assert {status for _, status in plan(deadline).values()} == {"cancelled"}


class TestDispatch:
    def test_claims_only_what_is_due_once(self, make_case, manual, today, django_capture_on_commit_callbacks):
        deadline = manual(make_case(), today + days(10))
        now = at(today + days(3), 9, 1)  # the 7-day reminder is due
        with django_capture_on_commit_callbacks(execute=False) as first:
            assert services.reminders_dispatch(now=now) == 1
        with django_capture_on_commit_callbacks(execute=False) as second:
            assert services.reminders_dispatch(now=now) == 0
        assert [cb.args[0] for cb in first] == [[deadline.reminders.get(kind="7d").pk]] and second == []

    def test_a_claim_whose_message_was_lost_is_claimed_again_later(self, make_case, manual, today,
                                                                  django_capture_on_commit_callbacks):
        manual(make_case(), today + days(10))
        now = at(today + days(3), 9, 1)
        with django_capture_on_commit_callbacks(execute=False):
            services.reminders_dispatch(now=now)
        with django_capture_on_commit_callbacks(execute=False):
            assert services.reminders_dispatch(now=now + datetime.timedelta(minutes=10)) == 0
            assert services.reminders_dispatch(now=now + datetime.timedelta(minutes=31)) == 1

    def test_large_bursts_go_out_in_batches(self, make_case, manual, today, django_capture_on_commit_callbacks):
        case = make_case()
        for _ in range(5):
            manual(case, today + days(10))
        with django_capture_on_commit_callbacks(execute=False) as enqueued:
            claimed = services.reminders_dispatch(now=at(today + days(3), 9, 1), batch_size=2)
        assert claimed == 5 and [len(cb.args[0]) for cb in enqueued] == [2, 2, 1]


class TestSend:
    def test_the_caseworker_is_told_how_many_need_attention(self, make_case, manual, alice, emails, today,
                                                            django_capture_on_commit_callbacks):
        case = make_case()
        manual(case, today + days(15))  # its 14-day reminder is the one due tomorrow morning
        manual(case, today + days(5))  # too close for a 14-day reminder, but it needs attention too
        manual(case, today + days(40))  # not yet
        dispatch_and_send(at(today + days(1), 9, 1), django_capture_on_commit_callbacks)
        notification = Notification.objects.get(recipient=alice)
        assert (notification.kind, notification.count) == ("attention", 2)
        assert notification.text == "2 of your deadlines need attention."
        [message] = mail.outbox
        assert message.to == ["alice@example.org"] and "2 of your deadlines need attention" in message.subject
        assert message.body.endswith("http://127.0.0.1:8000/deadlines/\n")

    def test_overdue_escalates_to_the_coordinators(self, make_case, manual, alice, bob, carol, emails, today, org,
                                                   django_capture_on_commit_callbacks):
        MembershipFactory(organisation=org, username="erika", role=Membership.Role.COORDINATOR)  # a second coordinator
        manual(make_case(), today - days(1))  # entered late: only the overdue reminder is due
        dispatch_and_send(at(today + days(1), 9, 1), django_capture_on_commit_callbacks)
        kinds = dict(Notification.objects.values_list("recipient__username", "kind"))
        assert kinds == {"alice": "attention", "bob": "overdue", "erika": "overdue"}
        assert Notification.objects.get(recipient=bob).text == "1 deadline in your organisation is overdue."
        assert {tuple(m.to) for m in mail.outbox} == {("alice@example.org",), ("bob@example.org",)}

    def test_each_email_is_in_the_language_its_reader_chose(self, make_case, manual, alice, bob, emails, today, login,
                                                            django_capture_on_commit_callbacks):
        login(bob).post("/i18n/setlang/", {"language": "ru", "next": "/"})
        manual(make_case(), today - days(1))
        dispatch_and_send(at(today + days(1), 9, 1), django_capture_on_commit_callbacks)
        by_reader = {message.to[0]: message for message in mail.outbox}
        assert by_reader["bob@example.org"].subject == "Casework: 1 срок в вашей организации просрочен."
        assert "Войдите, чтобы их увидеть: http://127.0.0.1:8000/deadlines/dashboard/" in by_reader["bob@example.org"].body
        assert by_reader["alice@example.org"].subject == "Casework: 1 of your deadlines needs attention."  # the site's English

    def test_sending_twice_sends_once(self, make_case, manual, alice, emails, today, django_capture_on_commit_callbacks):
        manual(make_case(), today + days(30))
        _claimed, [reminder_id] = dispatch_and_send(at(today + days(16), 9, 1), django_capture_on_commit_callbacks)
        assert services.reminder_send(reminder_id=reminder_id) is False
        assert Notification.objects.count() == 1 and len(mail.outbox) == 1
        assert Reminder.objects.get(pk=reminder_id).status == "sent"

    def test_a_reminder_of_a_deadline_closed_meanwhile_is_not_sent(self, make_case, manual, alice, today,
                                                                  django_capture_on_commit_callbacks):
        deadline = manual(make_case(), today + days(30))
        with django_capture_on_commit_callbacks(execute=False) as enqueued:
            services.reminders_dispatch(now=at(today + days(16), 9, 1))
        services.deadline_complete(deadline=deadline, status="met", completed_by=alice)
        assert services.reminder_send(reminder_id=enqueued[0].args[0][0]) is False
        assert not Notification.objects.exists()

    def test_a_claim_made_before_the_date_moved_is_not_sent(self, make_case, manual, alice, today,
                                                            django_capture_on_commit_callbacks):
        deadline = manual(make_case(), today + days(30))
        now = at(today + days(16), 9, 1)
        with django_capture_on_commit_callbacks(execute=False) as enqueued:
            services.reminders_dispatch(now=now)
        services.deadline_edit(deadline=deadline, due_date=today + days(60), changed_by=alice, reason="Extension")
        assert services.reminder_send(reminder_id=enqueued[0].args[0][0], now=now) is False
        assert not Notification.objects.exists()
        assert plan(deadline)["14d"] == (at(today + days(46)), "pending")

    def test_no_email_when_the_organisation_switched_them_off(self, make_case, manual, alice, emails, org, today,
                                                             django_capture_on_commit_callbacks):
        org.reminder_emails = False
        org.save()
        manual(make_case(), today + days(30))
        dispatch_and_send(at(today + days(16), 9, 1), django_capture_on_commit_callbacks)
        assert Notification.objects.filter(recipient=alice).count() == 1 and mail.outbox == []

    def test_nobody_is_told_while_the_organisation_is_suspended(self, make_case, manual, alice, bob, emails, org,
                                                                today, django_capture_on_commit_callbacks):
        """Its members cannot sign in: nothing asks them to, neither the caseworker nor the coordinators."""
        manual(make_case(), today - days(1))  # overdue tomorrow: the caseworker and the coordinator would hear
        manual(make_case(), today + days(15))
        organisation_suspend(organisation=org, by=None)
        dispatch_and_send(at(today + days(1), 9, 1), django_capture_on_commit_callbacks)
        assert not Notification.objects.exists() and mail.outbox == []
        assert Reminder.objects.filter(status="sent").count() == 2  # not held back to flood in on reactivation
        organisation_reactivate(organisation=org, by=None)
        dispatch_and_send(at(today + days(8), 9, 1), django_capture_on_commit_callbacks)  # the 7-day reminder
        assert [m.to for m in mail.outbox] == [["alice@example.org"]]

    def test_one_email_per_burst(self, make_case, manual, alice, emails, today, django_capture_on_commit_callbacks):
        case = make_case()
        manual(case, today + days(16))  # its 14-day and the other's 7-day reminder fall on the same morning
        manual(case, today + days(9))
        dispatch_and_send(at(today + days(2), 9, 1), django_capture_on_commit_callbacks)
        assert Notification.objects.filter(recipient=alice).count() == 2 and len(mail.outbox) == 1

    def test_a_failing_mail_server_does_not_hold_back_the_notification(self, make_case, manual, alice, emails, today,
                                                                       settings, django_capture_on_commit_callbacks):
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens there
        manual(make_case(), today + days(30))
        dispatch_and_send(at(today + days(16), 9, 1), django_capture_on_commit_callbacks)
        notification = Notification.objects.get(recipient=alice)
        assert notification.emailed is False and Reminder.objects.filter(status="sent").count() == 1
