"""Proposals used to be computed on every page from the timeline; they are now stored (status "proposed")
so they are counted, listed and reminded. Every event's undecided proposals are stored here, as recording
the event now does, with their reminders, and each case's next deadline is filled in.

Proposals whose last day passed more than STALE_DAYS ago are left unstored: the pages never showed them
(an expired proposal did not nag), nothing can be rescued by them now, and storing years of them would bury
the live ones. They can still be confirmed or dismissed on their event's page."""

import datetime


from django.db import migrations
from django.db.models import Min, OuterRef, Subquery
from django.utils import timezone

STALE_DAYS = 30


def store(apps, schema_editor):
    from casework.deadlines.selectors import proposed_rules, rule_options
    from casework.deadlines.services import proposal_reminder_moments

    Case = apps.get_model("cases", "Case")
    Deadline = apps.get_model("deadlines", "Deadline")
    Reminder = apps.get_model("deadlines", "Reminder")
    oldest = timezone.localdate() - datetime.timedelta(days=STALE_DAYS)
    for case in Case.objects.filter(events__isnull=False).distinct().iterator(chunk_size=500):
        events = list(case.events.order_by("occurred_on", "pk"))
        earliest = events[0].occurred_on
        decided = set(Deadline.objects.filter(case=case, trigger_event__isnull=False).values_list("trigger_event_id", "rule_id"))
        for event in events:
            for rule in proposed_rules(event, earliest_event_date=earliest):
                options = rule_options(rule, event.occurred_on)
                if not options or (event.pk, rule.id) in decided:
                    continue
                computation = options[0].computation
                if computation.due_date < oldest:
                    continue
                deadline = Deadline.objects.create(
                    case=case, organisation_id=case.organisation_id, trigger_event=event, rule_id=rule.id,
                    rule_version=computation.rule_version, nominal_date=computation.nominal_date,
                    computed_due_date=computation.due_date, due_date=computation.due_date,
                    warnings=[w.code for w in computation.warnings], status="proposed", created_by=event.recorded_by,
                )
                Reminder.objects.bulk_create(
                    Reminder(deadline=deadline, kind=kind, due_at=due_at)
                    for kind, due_at in proposal_reminder_moments(deadline).items()
                )
    earliest = (Deadline.objects.filter(case_id=OuterRef("pk"), status__in=("open", "proposed")).order_by()
                .values("case_id").annotate(first=Min("due_date")).values("first"))
    Case.objects.update(next_due_date=Subquery(earliest))


def unstore(apps, schema_editor):
    apps.get_model("deadlines", "Deadline").objects.filter(status="proposed").delete()


class Migration(migrations.Migration):
    dependencies = [("deadlines", "0005_proposals_stored")]

    operations = [migrations.RunPython(store, unstore)]
