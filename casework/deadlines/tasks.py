"""Background work for reminders: thin wrappers that take ids and call services (JSON, acks late)."""

from celery import shared_task

from casework.deadlines import services


@shared_task(name="casework.deadlines.dispatch_reminders", ignore_result=True)
def dispatch_reminders() -> None:
    """Run by beat every minute; overlapping runs share the work (SKIP LOCKED)."""
    services.reminders_dispatch()


@shared_task(name=services.SEND_REMINDERS_TASK, ignore_result=True)
def send_reminders(reminder_ids: list[int]) -> None:
    """Send claimed reminders. Redelivery (worker lost, message restored) is harmless: each id is sent once."""
    for reminder_id in reminder_ids:
        services.reminder_send(reminder_id=reminder_id)
