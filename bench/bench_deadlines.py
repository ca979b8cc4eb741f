#!/usr/bin/env python
"""Deadline benchmarks: the engine's compute() throughput, and the reminder dispatcher over 1,000,000
open deadlines in PostgreSQL, each beside a baseline measured in the same run.

    .venv/bin/python bench/bench_deadlines.py               # 1,000,000 open deadlines (a few minutes)
    .venv/bin/python bench/bench_deadlines.py --scale 0.01  # 10,000, for a quick run

The data goes into a database of its own (default `casework_bench_deadlines`, dropped and re-created;
only a name containing "bench" is ever dropped), built with set-based INSERT … SELECT generate_series
from one case made through the services. Every open deadline has its six reminders, as
casework.deadlines.services.reminders_schedule arms them: those before today already sent, the rest
pending. The dispatcher publishes to Redis database 14 on a queue of its own, deleted afterwards.

Scenarios (the bench "now" is today 09:01, just after the reminders' hour):
- idle tick: nothing new is due — what beat pays every minute whatever the number of open deadlines;
- morning run: today's 09:00 reminders of every open deadline;
- backlog: every open deadline has a reminder due at once (as after a long outage), the worst case.
Baselines: counting the open deadlines (one sequential scan), and the naive dispatcher — a Python loop
over deadlines, saving and publishing reminder by reminder — timed on a 10,000-deadline sample (rolled
back) and extrapolated. compute() stands beside plain date arithmetic over the same triggers.
"""

from __future__ import annotations

import argparse
import datetime
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common  # noqa: E402
from generate import recreate_database  # noqa: E402

FULL_DEADLINES = 1_000_000
DEADLINES_PER_CASE = 4
NAIVE_SAMPLE = 10_000
COMPUTATIONS = 200_000
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/casework_bench_deadlines"
REDIS_URL = "redis://127.0.0.1:6379/14"
QUEUE = "bench-deadlines"


def bench_compute(n: int) -> list[tuple]:
    """compute() over every computable rule and variant, with triggers spread over 2016-2030."""
    from casework.deadlines import rules

    rng = random.Random(39)
    pairs = [(rule.id, variant.name) for rule in rules.all_rules() for variant in rule.variants]
    start_day = datetime.date(2016, 1, 1)
    samples = [(*rng.choice(pairs), start_day + datetime.timedelta(days=rng.randrange(15 * 365))) for _ in range(n)]

    def run() -> int:
        computed = 0
        for rule_id, variant, trigger in samples:
            try:
                rules.compute(rule_id, trigger, variant=variant)
                computed += 1
            except rules.NotComputable:
                pass
        return computed

    run()  # a running process has the holiday calendars loaded: time the steady state
    engine, computed = timed(run)
    month = datetime.timedelta(days=30)
    start = time.perf_counter()
    for _rule_id, _variant, trigger in samples:
        trigger + month  # noqa: B018 - the baseline is the bare arithmetic
    bare = time.perf_counter() - start
    return [
        ("compute(), every rule and variant", f"{computed:,}", engine, f"{computed / engine:,.0f} /s"),
        ("baseline: trigger + timedelta", f"{n:,}", bare, f"{n / bare:,.0f} /s"),
    ]


def clone_sql(model, template_pk: int, count: int, overrides: dict[str, str]) -> str:
    """INSERT … SELECT that copies one row `count` times, with per-copy expressions of g (1..count)."""
    columns = [f.column for f in model._meta.concrete_fields if not f.primary_key or f.column in overrides]
    values = [overrides.get(column, f't."{column}"') for column in columns]
    table = model._meta.db_table
    quoted = ", ".join(f'"{column}"' for column in columns)
    return (f'INSERT INTO "{table}" ({quoted}) SELECT {", ".join(values)} '
            f'FROM generate_series(1, {count}) g, "{table}" t WHERE t.id = {template_pk}')


def generate(n_deadlines: int, today: datetime.date) -> None:
    """One organisation, one caseworker, one client; cases cloned from one made through the services;
    deadlines due from 10 days ago to 180 days ahead, each with its reminders."""
    from django.db import connection, transaction

    from casework.cases.models import Case
    from casework.cases.services import case_create
    from casework.clients.services import client_create
    from casework.crypto import encrypt
    from casework.deadlines.models import REMINDER_OFFSETS, REMINDER_TIME
    from casework.orgs.services import member_create, organisation_create

    n_cases = max(1, n_deadlines // DEADLINES_PER_CASE)
    with transaction.atomic():
        org = organisation_create(name="Bench NGO", slug="bench-ngo", country="RU", created_by=None)
        user = member_create(organisation=org, username="bench-caseworker", role="caseworker",
                             created_by=None).user
        client = client_create(organisation=org, family_name="Бенчев", given_names="Бенч", created_by=user)
        template = case_create(organisation=org, client=client, case_type="asylum", jurisdiction="RU",
                               assigned_to=user, created_by=user)
    offsets = ", ".join(f"('{kind}', {days})" for kind, days in REMINDER_OFFSETS.items())
    with connection.cursor() as cursor:
        # The rows are consistent by construction: skip the foreign-key triggers while loading (superuser only).
        cursor.execute("SET session_replication_role = replica")
        cursor.execute(clone_sql(Case, template.pk, n_cases - 1, {
            "reference": "'B' || lpad(g::text, 10, '0')", "submission_token": "NULL"}))
        cursor.execute(
            f"""INSERT INTO deadlines_deadline (case_id, organisation_id, rule_id, rule_version, variant, title,
                    due_date, warnings, status, created_by_id, created_at)
                SELECT c.id, {org.pk}, '', '', '', %(title)s, %(today)s + (d.n %% 191 - 10)::int, '[]', 'open',
                       {user.pk}, now()
                FROM (SELECT id, row_number() OVER (ORDER BY id) - 1 AS i FROM cases_case) c,
                     generate_series(0, {DEADLINES_PER_CASE - 1}) k,
                     LATERAL (SELECT c.i * {DEADLINES_PER_CASE} + k AS n) d
                WHERE d.n < %(n)s""",
            {"today": today, "n": n_deadlines, "title": encrypt("")},
        )
        cursor.execute(
            f"""INSERT INTO deadlines_reminder (deadline_id, kind, due_at, status)
                SELECT d.id, o.kind, r.due_at, CASE WHEN r.due_at < %(midnight)s THEN 'sent' ELSE 'pending' END
                FROM deadlines_deadline d, (VALUES {offsets}) o(kind, days),
                     LATERAL (SELECT ((d.due_date - o.days) + %(hour)s::time) AT TIME ZONE %(tz)s AS due_at) r""",
            {"midnight": _at(today, datetime.time(0)), "hour": REMINDER_TIME, "tz": _tz_name()},
        )
        cursor.execute("SET session_replication_role = DEFAULT")
        cursor.execute("VACUUM ANALYZE")


def _tz_name() -> str:
    from django.conf import settings

    return settings.TIME_ZONE


def _at(day: datetime.date, hour: datetime.time) -> datetime.datetime:
    from django.utils import timezone

    return timezone.make_aware(datetime.datetime.combine(day, hour))


def _reset() -> None:
    """Claimed reminders back to pending, dead row versions cleaned, the bench queue emptied."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("UPDATE deadlines_reminder SET queued_at = NULL WHERE status = 'pending' AND queued_at IS NOT NULL")
        cursor.execute("VACUUM ANALYZE deadlines_reminder")
    _redis().delete(QUEUE)


def _redis():
    import redis

    return redis.Redis.from_url(REDIS_URL)


def timed(function):
    start = time.perf_counter()
    result = function()
    return time.perf_counter() - start, result


def bench_dispatcher(n_open: int, today: datetime.date) -> list[tuple]:
    from django.db import connection, transaction

    from casework.deadlines import services
    from casework.deadlines.models import Deadline, Reminder
    from casework.deadlines.tasks import send_reminders

    morning = _at(today, datetime.time(9, 1))
    rows = []
    seconds, claimed = timed(lambda: services.reminders_dispatch(now=morning - datetime.timedelta(minutes=2)))
    rows.append(("dispatcher, idle tick", f"{claimed:,} due", seconds, ""))
    seconds, claimed = timed(lambda: services.reminders_dispatch(now=morning))
    messages = _redis().llen(QUEUE)
    rows.append(("dispatcher, morning run", f"{claimed:,} due", seconds, f"{messages:,} messages"))
    _reset()
    with connection.cursor() as cursor:  # every open deadline escalates at once
        cursor.execute("UPDATE deadlines_reminder SET status = 'pending', due_at = %s WHERE kind = 'overdue'",
                       [morning - datetime.timedelta(hours=1)])
        cursor.execute("VACUUM ANALYZE deadlines_reminder")
    seconds, claimed = timed(lambda: services.reminders_dispatch(now=morning))
    messages = _redis().llen(QUEUE)
    rows.append(("dispatcher, backlog: every open deadline due", f"{claimed:,} due", seconds,
                 f"{messages:,} messages; {seconds * 1_000_000 / max(1, n_open):.1f} s per million"))
    _reset()

    seconds, count = timed(lambda: Deadline.objects.filter(status=Deadline.Status.OPEN).count())
    rows.append(("baseline: SELECT count(*) of open deadlines", f"{count:,}", seconds, ""))

    def naive():
        """The per-row way: each deadline, its reminders, each due one saved and published on its own."""
        claimed = 0
        with transaction.atomic():
            for deadline in Deadline.objects.filter(status=Deadline.Status.OPEN).order_by("pk")[:NAIVE_SAMPLE]:
                for reminder in Reminder.objects.filter(deadline=deadline, status=Reminder.Status.PENDING):
                    if reminder.due_at <= morning:
                        reminder.queued_at = morning
                        reminder.save(update_fields=["queued_at"])
                        send_reminders.delay([reminder.pk])
                        claimed += 1
            transaction.set_rollback(True)
        return claimed

    seconds, claimed = timed(naive)
    sample = min(NAIVE_SAMPLE, n_open)
    extrapolated = seconds * n_open / sample
    rows.append((f"baseline: naive loop, {sample:,} of the backlog's deadlines", f"{claimed:,} due", seconds,
                 f"≈ {extrapolated:,.0f} s for {n_open:,}"))
    _redis().delete(QUEUE)
    return rows


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="1 = 1,000,000 open deadlines")
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    args = parser.parse_args(argv)
    n_deadlines = max(100, round(FULL_DEADLINES * args.scale))

    env = common.bench_environment(database_url=args.database_url, keys=common.load_or_create_keys(common.DEFAULT_OUT),
                                   redis_url=REDIS_URL)
    recreate_database(args.database_url)
    common.migrate(env)
    common.setup_django(env)
    from django.utils import timezone

    from config.celery import app

    app.conf.task_routes = {"casework.deadlines.send_reminders": {"queue": QUEUE}}
    today = timezone.localdate()
    print(f"Generating {n_deadlines:,} open deadlines into {common.database_name(args.database_url)} …", flush=True)
    seconds, _ = timed(lambda: generate(n_deadlines, today))
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM deadlines_reminder")
        reminders = cursor.fetchone()[0]
    print(f"  {n_deadlines:,} deadlines, {reminders:,} reminders in {seconds:.0f} s", flush=True)

    rows = bench_compute(max(1_000, round(COMPUTATIONS * min(1.0, args.scale * 10))))
    rows += bench_dispatcher(n_deadlines, today)
    width = max(len(row[0]) for row in rows)
    print(f"\n{'measure':<{width}}  {'rows':>14}  {'seconds':>9}  note")
    for label, count, seconds, note in rows:
        print(f"{label:<{width}}  {count:>14}  {seconds:>9.3f}  {note}")


if __name__ == "__main__":
    main()
