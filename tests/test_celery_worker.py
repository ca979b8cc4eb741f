"""A real Celery worker takes the health task from Redis and answers."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from config.celery import app, health

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def worker_queue():
    """A private queue and a real worker process consuming it, stopped after the test."""
    queue = f"test-{uuid.uuid4().hex[:8]}"
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo", "--concurrency=1",
         "-Q", queue, "--without-heartbeat", "--without-gossip", "--without-mingle", "--loglevel=WARNING"],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"},
    )
    yield queue
    process.terminate()
    process.wait(timeout=20)


@pytest.mark.celery_worker
@pytest.mark.xdist_group("celery")
def test_worker_answers_the_health_task_through_redis(worker_queue, settings):
    assert app.conf.broker_url.startswith("redis://"), "this test needs REDIS_URL"
    assert health.apply_async(queue=worker_queue).get(timeout=60) == "ok"


def test_reliability_settings_hold():
    conf = app.conf
    assert conf.task_acks_late and conf.task_reject_on_worker_lost
    assert conf.worker_prefetch_multiplier == 1
    assert conf.task_serializer == "json" and conf.accept_content == ["json"]
    assert conf.task_time_limit < conf.broker_transport_options["visibility_timeout"]
