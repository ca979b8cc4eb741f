"""Celery app; its reliability settings live in config/settings.py under CELERY_*."""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("casework")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
app.conf.beat_schedule = {
    # Claims due reminder rows and enqueues their sending; a run missed while beat was down is not
    # replayed (the next one picks up everything due), hence the short expiry.
    "dispatch-reminders": {
        "task": "casework.deadlines.dispatch_reminders",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
    # Erases the personal data of cases past their organisation's retention period (ids only; each
    # erasure re-checks under a lock, so a repeated or overlapping run erases nothing twice).
    "retention-sweep": {
        "task": "casework.privacy.retention_sweep",
        "schedule": crontab(hour=3, minute=30),
        "options": {"expires": 6 * 60 * 60},
    },
}


@app.task(name="casework.health")
def health() -> str:
    """Proves a worker can take a task from the broker and answer; used by ops checks and tests."""
    return "ok"
