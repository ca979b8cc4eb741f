"""A notification or reminder e-mail is read by whoever sees the screen or the mailbox: it carries a
count and a link, and nothing about the client, the case, the court or the country."""

import datetime

import pytest
from django.core import mail
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone, translation

from casework.cases.models import Case
from casework.deadlines import rules, services
from casework.deadlines.models import Notification
from casework.orgs.models import JURISDICTIONS
from tests.factories import ClientFactory

pytestmark = pytest.mark.django_db


def test_nothing_but_a_count_and_a_link(make_case, record, alice, bob, org, today, login,
                                        django_capture_on_commit_callbacks):
    alice.email, bob.email = "alice@example.org", "bob@example.org"
    alice.save(), bob.save()
    client = ClientFactory(organisation=org, family_name="Тошпулатова", given_names="Мадина")
    case = make_case(client=client, jurisdiction="RU", case_type="deportation")
    event = record(case, "expulsion_ruling_received", today - datetime.timedelta(days=20))
    services.deadline_confirm(event=event, rule_id="ru-koap-30-3-expulsion-appeal", confirmed_by=alice,
                              late_acknowledged=True)
    with django_capture_on_commit_callbacks() as enqueued:
        services.reminders_dispatch(now=timezone.now())
    for callback in enqueued:
        for reminder_id in callback.args[0]:
            services.reminder_send(reminder_id=reminder_id)

    notifications = list(Notification.objects.all())
    assert {n.recipient.username for n in notifications} == {"alice", "bob"}  # overdue: the coordinator too
    pages = [login(user).get(reverse("notification_list")).content.decode() for user in (alice, bob)]
    with translation.override("en"):
        texts = [n.text for n in notifications]
    sent = [f"{m.subject}\n{m.body}" for m in mail.outbox]
    assert len(sent) == 2 and all("1 " in text for text in texts)

    forbidden = [case.reference, client.family_name, client.given_names, client.nationality, "Volga Help",
                 "Russia", "ECHR", "court", "Court", "expulsion", "KoAP"]
    for language in ("en", "ru"):
        with translation.override(language):
            forbidden += [str(label) for _code, label in JURISDICTIONS + Case.Type.choices]
    forbidden += [rule.title for rule in rules.all_rules()]
    for text in sent + texts:
        for word in forbidden:
            assert word not in text, f"{word!r} in {text!r}"
    for page in pages:  # the notification list itself, around the header, shows the same bare texts
        listing = page[page.index('<ul class="plain notifications">'):]
        for word in forbidden:
            assert word not in listing, word
    assert all(m.body.rstrip().endswith(("/deadlines/", "/deadlines/dashboard/")) for m in mail.outbox)


def test_reading_the_notifications_marks_them_read(alice, login):
    Notification.objects.create(recipient=alice, kind="attention", count=3)
    client = login(alice)
    count = Template("{% load deadlines %}{% unread_notification_count user as n %}{{ n }}")
    assert count.render(Context({"user": alice})) == "1"
    assert "3 of your deadlines need attention." in client.get(reverse("notification_list")).content.decode()
    client.post(reverse("notification_list"))
    assert count.render(Context({"user": alice})) == "0"
