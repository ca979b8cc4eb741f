"""With a real Celery worker on Redis: a reminder enqueued twice is sent once, and a worker killed
in the middle of sending does not lose it (acks late + reject on worker lost hand it to another)."""

import datetime
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from casework.deadlines import services
from casework.deadlines.models import Notification, Reminder
from casework.deadlines.tasks import send_reminders
from config.celery import app, health

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.celery_worker, pytest.mark.xdist_group("celery"), pytest.mark.django_db(transaction=True)]


def connect(**options) -> psycopg.Connection:
    """A connection of the test's own to the test database, beside Django's."""
    db = settings.DATABASES["default"]
    return psycopg.connect(dbname=db["NAME"], user=db["USER"], password=db["PASSWORD"] or None, host=db["HOST"],
                           port=db["PORT"] or 5432, **options)


def database_url() -> str:
    db = settings.DATABASES["default"]
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


def wait_for(condition, timeout=120, what="condition"):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if result := condition():
            return result
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture
def queue(settings):
    """A private queue that the dispatcher's messages are routed to for this test."""
    assert app.conf.broker_url.startswith("redis://"), "this test needs REDIS_URL"
    name = f"test-{uuid.uuid4().hex[:8]}"
    routes = app.conf.task_routes
    route({send_reminders.name: {"queue": name}})
    yield name
    route(routes)


def route(routes) -> None:
    """Celery builds its router once; rebuild it for these routes."""
    app.conf.task_routes = routes
    app.amqp.flush_routes()
    app.amqp.router = app.amqp.Router()


@pytest.fixture
def mail_dir(tmp_path):
    return tmp_path


@pytest.fixture
def workers(queue, mail_dir):
    """Start real workers on the private queue, against the test database; stop them afterwards."""
    started = []

    def start(name, pool="solo"):
        hostname = f"{name}-{uuid.uuid4().hex[:6]}@test"
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", "worker", f"--pool={pool}", "--concurrency=1",
             "-Q", queue, "-n", hostname, "--without-heartbeat", "--without-gossip", "--without-mingle",
             "--loglevel=WARNING"],
            cwd=ROOT,
            env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "DATABASE_URL": database_url(),
                 "EMAIL_BACKEND": "tests.deadlines.mailbox.EmailBackend", "TEST_MAIL_DIR": str(mail_dir)},
        )
        started.append(process)
        return hostname

    yield start
    for process in started:
        process.terminate()
    for process in started:
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
    # A killed pool process leaves its database session behind until PostgreSQL notices; end it, so the
    # test database can be dropped.
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                       "WHERE datname = current_database() AND pid <> pg_backend_pid()")


@pytest.fixture
def due_reminder(make_case, manual, alice, today):
    """A deadline in 30 days whose 14-day reminder is claimed by the dispatcher (the message goes to the queue)."""
    alice.email = "alice@example.org"
    alice.save()
    deadline = manual(make_case(), today + datetime.timedelta(days=30))
    moment = timezone.make_aware(datetime.datetime.combine(today + datetime.timedelta(days=16), datetime.time(9, 1)))
    return deadline.reminders.get(kind="14d"), moment


def sent_mails(mail_dir) -> int:
    return len(list(mail_dir.glob("*.eml")))


def test_a_reminder_enqueued_twice_is_sent_once(due_reminder, workers, queue, mail_dir, alice):
    reminder, moment = due_reminder
    assert services.reminders_dispatch(now=moment) == 1  # enqueued on commit
    send_reminders.apply_async(([reminder.pk],), queue=queue)  # the same reminder again, as a redelivery would
    workers("solo")
    assert health.apply_async(queue=queue).get(timeout=120) == "ok"  # the worker is FIFO: both ran before this
    reminder.refresh_from_db()
    assert reminder.status == "sent"
    assert Notification.objects.filter(recipient=alice).count() == 1
    assert sent_mails(mail_dir) == 1


def active_on(hostnames):
    """(hostname, task) of a task a pool process of one of these workers has started, if any."""
    replies = app.control.inspect(destination=hostnames, timeout=1).active() or {}
    return next(((host, tasks[0]) for host, tasks in replies.items() if tasks and tasks[0]["worker_pid"]), None)


def waiting_for_the_lock(connection) -> bool:
    """Some worker's database session is blocked on the reminder's row: the task is inside its transaction."""
    return connection.execute(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
    ).fetchone()[0] > 0


def test_a_worker_killed_mid_task_does_not_lose_the_reminder(due_reminder, workers, queue, mail_dir, alice):
    reminder, moment = due_reminder
    lock, watcher = connect(), connect(autocommit=True)
    try:
        assert services.reminders_dispatch(now=moment) == 1  # the message waits in the queue
        # Hold the reminder's row so that the worker taking the task stops inside it, mid-task.
        lock.execute("SELECT 1 FROM deadlines_reminder WHERE id = %s FOR UPDATE", [reminder.pk])
        hosts = [workers("first", pool="prefork"), workers("second", pool="prefork")]
        host, task = wait_for(lambda: active_on(hosts), what="a worker to start the task")
        wait_for(lambda: waiting_for_the_lock(watcher), what="the task to block on the reminder's row")
        # That worker stops taking work; its pool process is killed outright (as by the OOM killer).
        app.control.cancel_consumer(queue, destination=[host], reply=True)
        os.kill(task["worker_pid"], signal.SIGKILL)
        other = next(h for h in hosts if h != host)
        taken = wait_for(lambda: active_on([other]), what="the other worker to take the task over")
        assert taken[1]["id"] == task["id"]
    finally:
        lock.rollback()
        lock.close()
        watcher.close()
    wait_for(lambda: Reminder.objects.get(pk=reminder.pk).status == "sent", what="the reminder to be sent")
    time.sleep(1)  # room for a wrongful second delivery to show
    assert Notification.objects.filter(recipient=alice).count() == 1
    assert sent_mails(mail_dir) == 1
