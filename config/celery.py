"""Celery app; its reliability settings live in config/settings.py under CELERY_*."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("casework")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
app.conf.beat_schedule = {}


@app.task(name="casework.health")
def health() -> str:
    """Proves a worker can take a task from the broker and answer; used by ops checks and tests."""
    return "ok"
