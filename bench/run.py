#!/usr/bin/env python
"""Benchmarks of Casework on the data bench/generate.py made; figures to bench/RESULTS.md.

    .venv/bin/python bench/run.py                    # 50 timed requests per page after 5 warm-ups
    .venv/bin/python bench/run.py --iterations 10 --skip-deadlines

Pages go through Django's full stack in this process (the test client's WSGI handler with every
middleware: sessions, authentication, second factor, CSP, …) against the bench database with DEBUG
off and persistent connections, as production runs them. "Server time" is the handler call: from
the WSGI environ in to the rendered response out. Each figure stands beside baselines measured in
the same run: a bare view returning "ok" through the same middleware, and the naive way of doing
the same thing on the same data (guardian's get_objects_for_user for a list, decrypting every
client for a search). compute() and the reminder dispatcher are measured with the scenarios and
baselines of bench/bench_deadlines.py, run on this data set.

Never a timed assertion in a test: tests/bench/test_bench_smoke.py only proves these scripts run.
"""

from __future__ import annotations

import argparse
import datetime
import json
import math
import os
import platform
import re
import statistics
import sys
import time
import tracemalloc
import warnings
from dataclasses import asdict, dataclass, field
from pathlib import Path
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common  # noqa: E402

try:  # another engineer's deadline benchmarks; their scenarios are reused here, not duplicated
    import bench_deadlines  # noqa: E402
except ImportError:
    bench_deadlines = None

TARGET_PAGE_MS = 60.0
TARGET_SEARCH_MS = 50.0
TARGET_DISPATCH_S_PER_MILLION = 30.0
NAIVE_SEARCH_SAMPLE = 2_000
# --pages: the figure keys to measure (the bare view always is); empty = every page and baseline.
ONLY: set[str] = set()
MARK_START, MARK_END = "<!-- figures:start (bench/run.py writes this part) -->", "<!-- figures:end -->"


@dataclass
class Figure:
    key: str
    label: str
    median_ms: float
    p95_ms: float
    queries: list[int]
    n: int
    target_ms: float | None = None
    extra: dict = field(default_factory=dict)

    @property
    def query_text(self) -> str:
        low, high = min(self.queries), max(self.queries)
        return str(low) if low == high else f"{low}–{high}"


# --- Measuring a request -------------------------------------------------------------------------------


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


class QueryCounter:
    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def bench_client_class():
    from django.test import Client
    from django.test.client import ClientHandler
    from django_otp import DEVICE_ID_SESSION_KEY

    from casework.security.models import Authenticator
    from casework.security.sessions import VERIFIED_AT

    class TimedHandler(ClientHandler):
        """The WSGI call, timed: request in, every middleware, view, template, response out."""

        elapsed = 0.0

        def __call__(self, environ):
            start = time.perf_counter()
            response = super().__call__(environ)
            self.elapsed = time.perf_counter() - start
            return response

    class BenchClient(Client):
        """Signed in with both factors, as tests/conftest.py's VerifiedClient does."""

        def __init__(self, user):
            super().__init__()
            self.handler = TimedHandler(enforce_csrf_checks=False)
            self.force_login(user)
            device = Authenticator.objects.filter(user=user, confirmed=True).first() or Authenticator.objects.create(
                user=user, name="bench authenticator", confirmed=True
            )
            session = self.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session[VERIFIED_AT] = time.time()
            session.save()

    return BenchClient


def measure(client, key: str, label: str, url: str, *, data: dict | None = None, iterations: int, warmup: int,
            target_ms: float | None = None, check=None) -> Figure | None:
    """The page's figure; None for a page left out by --pages."""
    from django.db import connection

    if ONLY and key not in ONLY | {"bare"}:
        return None

    def call():
        response = client.post(url, data) if data is not None else client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{label}: {url} answered {response.status_code}, not 200")
        return response

    for _ in range(warmup):
        response = call()
    if check is not None:
        check(response)
    times, queries = [], []
    for _ in range(iterations):
        counter = QueryCounter()
        with connection.execute_wrapper(counter):
            call()
        times.append(client.handler.elapsed * 1000)
        queries.append(counter.count)
    figure = Figure(key, label, round(statistics.median(times), 2), round(_p95(times), 2), sorted(set(queries)),
                    iterations, target_ms)
    print(f"  {label}: median {figure.median_ms:.1f} ms, p95 {figure.p95_ms:.1f} ms, {figure.query_text} queries",
          flush=True)
    return figure


def list_memory(client, url: str) -> dict:
    """Peak Python memory of one list request, and how many cases it built (it should be one page's worth)."""
    from django.db.models.signals import post_init

    from casework.cases.models import Case

    built = []

    def count(sender, instance, **kwargs):
        built.append(1)

    post_init.connect(count, sender=Case)
    tracemalloc.start()
    try:
        client.get(url)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
        post_init.disconnect(count, sender=Case)
    return {"peak_kib": round(peak / 1024), "cases_built": len(built)}


# --- What is measured on which data -----------------------------------------------------------------------


def pick_case(caseworker_id: int):
    """The bench caseworker's busiest case (most events, then deadlines) that shows personal data."""
    from django.db.models import Count

    from casework.cases.models import Case

    return (
        Case.objects.filter(assigned_to_id=caseworker_id, is_sensitive=False)
        .annotate(n_events=Count("events", distinct=True), n_open=Count("deadlines", distinct=True))
        .order_by("-n_events", "-n_open", "pk")
        .first()
    )


def pick_search(coordinator) -> dict:
    """A client the coordinator sees, searched the way a caseworker would: the full name in the other
    script (the stored spelling is Cyrillic, the query Latin, or the other way round), and the family
    name alone (a common surname: many candidates, capped at one page)."""
    from casework import access
    from casework.clients import selectors

    for client in access.clients_visible_to(coordinator).order_by("pk")[:200]:
        spelling = client.other_spellings.splitlines()[0] if client.other_spellings else ""
        if len(spelling.split()) < 2 or spelling == f"{client.family_name} {client.given_names}":
            continue
        family = spelling.split()[0]
        full_hits = len(selectors.client_search(coordinator, spelling, limit=10_000))
        family_hits = len(selectors.client_search(coordinator, family, limit=10_000))
        if full_hits and family_hits:
            return {"full_name": spelling, "full_hits": full_hits, "family_name": family, "family_hits": family_hits,
                    "stored_script": "Cyrillic" if re.search("[А-Яа-яҚқ]", client.family_name) else "Latin"}
    raise SystemExit("No searchable client found for the bench coordinator.")


def guardian_cases_visible_to(user):
    """The naive list: guardian's object permissions (the bench generator granted the bench users'
    cases to groups holding them, as a guardian-only design would have to)."""
    from guardian.shortcuts import get_objects_for_user

    from casework.cases.models import Case

    return get_objects_for_user(user, "cases.view_case", klass=Case, accept_global_perms=False)


def naive_search(coordinator, query: str) -> dict:
    """Decrypt the names of every client the coordinator may see and compare in Python: timed on a
    sample of NAIVE_SEARCH_SAMPLE clients (only the three name columns loaded), extrapolated."""
    from casework import access
    from casework.crypto import fold

    wanted = sorted(fold(query).split())
    visible = access.clients_visible_to(coordinator)
    total = visible.count()
    sample = min(total, NAIVE_SEARCH_SAMPLE)
    runs = []
    for _ in range(3):
        start = time.perf_counter()
        hits = [
            client.pk
            for client in visible.only("pk", "family_name", "given_names", "other_spellings").order_by("pk")[:sample]
            if any(sorted(fold(name).split()) == wanted
                   for name in (f"{client.family_name} {client.given_names}", *client.other_spellings.splitlines()))
        ]
        runs.append(time.perf_counter() - start)
    per_client = statistics.median(runs) / max(1, sample)
    return {"visible_clients": total, "sample": sample, "sample_hits": len(hits),
            "sample_ms": round(statistics.median(runs) * 1000, 1),
            "extrapolated_ms": round(per_client * total * 1000, 1)}


# --- Deadlines: through bench/bench_deadlines.py ------------------------------------------------------------


SNAPSHOT = "bench_overdue_reminders"


def _restore_reminders() -> None:
    """Put back the overdue reminders as they were before the dispatcher scenarios, and any claim."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s)", [SNAPSHOT])
        if cursor.fetchone()[0] is None:
            return
        cursor.execute(f"""UPDATE deadlines_reminder r SET due_at = o.due_at, status = o.status,
                                  queued_at = o.queued_at, sent_at = o.sent_at
                           FROM {SNAPSHOT} o WHERE r.id = o.id""")
        cursor.execute("UPDATE deadlines_reminder SET queued_at = NULL WHERE status = 'pending' AND queued_at IS NOT NULL")
        cursor.execute(f"DROP TABLE {SNAPSHOT}")
        cursor.execute("VACUUM ANALYZE deadlines_reminder")


def deadline_figures(bench_deadlines, computations: int) -> dict:
    """Issue 4's figures with bench/bench_deadlines.py's own scenarios and baselines, run on this data set:
    compute() throughput, and the reminder dispatcher (idle tick, this morning's run, a backlog with one
    reminder due for every open deadline, the naive loop). Its backlog scenario rewrites the overdue
    reminders; they are put back afterwards, so the data set stays as generated."""
    from django.db import connection
    from django.utils import timezone

    from casework.deadlines.models import Deadline
    from config.celery import app

    app.conf.task_routes = {"casework.deadlines.send_reminders": {"queue": bench_deadlines.QUEUE}}
    n_open = Deadline.objects.filter(status=Deadline.Status.OPEN).count()
    _restore_reminders()  # after a run that was killed half-way
    with connection.cursor() as cursor:
        cursor.execute(f"""CREATE TABLE {SNAPSHOT} AS SELECT id, due_at, status, queued_at, sent_at
                           FROM deadlines_reminder WHERE kind = 'overdue'""")
    try:
        rows = bench_deadlines.bench_compute(computations)
        rows += bench_deadlines.bench_dispatcher(n_open, timezone.localdate())
    finally:
        _restore_reminders()
    for label, count, seconds, note in rows:
        print(f"  {label}: {count}, {seconds:.3f} s {note}", flush=True)
    return {"open_deadlines": n_open, "rows": [list(row) for row in rows]}


# --- Running and reporting ---------------------------------------------------------------------------------


def machine() -> dict:
    from django.db import connection

    memory_kib = 0
    with open("/proc/meminfo") as meminfo:
        for line in meminfo:
            if line.startswith("MemTotal:"):
                memory_kib = int(line.split()[1])
    cpu = platform.processor() or ""
    with open("/proc/cpuinfo") as cpuinfo:
        for line in cpuinfo:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server = cursor.fetchone()[0]
        settings = {}
        for name in ("shared_buffers", "work_mem", "effective_cache_size", "random_page_cost", "jit"):
            cursor.execute(f"SHOW {name}")
            settings[name] = cursor.fetchone()[0]
    return {"cores": os.cpu_count(), "memory_gib": round(memory_kib / 1024 / 1024, 1), "cpu": cpu,
            "load_average_after": [round(x, 2) for x in os.getloadavg()],
            "python": platform.python_version(), "postgresql": server.split()[0], "postgresql_settings": settings}


def run(args) -> dict:
    from django.contrib.auth import get_user_model
    from django.test.utils import override_settings

    dataset = common.read_dataset(args.out)
    load_before = [round(x, 2) for x in os.getloadavg()]
    BenchClient = bench_client_class()
    users = get_user_model().objects.in_bulk([dataset["bench"]["coordinator"], dataset["bench"]["caseworker"]])
    coordinator, caseworker = users[dataset["bench"]["coordinator"]], users[dataset["bench"]["caseworker"]]
    as_coordinator, as_caseworker = BenchClient(coordinator), BenchClient(caseworker)
    n, warm = args.iterations, args.warmup
    figures: list[Figure] = []
    extra: dict = {}

    from casework import access
    from casework.cases import selectors as case_selectors

    visible = {"coordinator": access.cases_visible_to(coordinator).count(),
               "caseworker": access.cases_visible_to(caseworker).count(),
               "caseworker_assigned": access.cases_visible_to(caseworker).filter(assigned_to=caseworker).count()}
    extra["visible"] = visible
    from casework.cases.models import CaseGroupObjectPermission

    extra["guardian_baseline_rows"] = CaseGroupObjectPermission.objects.filter(
        group_id__in=dataset["bench"]["guardian_groups"].values()
    ).count()
    print(f"Bench coordinator sees {visible['coordinator']:,} cases; the caseworker {visible['caseworker']:,} "
          f"({visible['caseworker_assigned']:,} assigned).", flush=True)

    with override_settings(ROOT_URLCONF="bench_urls"):
        print("Pages:", flush=True)
        figures.append(measure(as_coordinator, "bare", "Bare view \"ok\" (baseline)", "/bench/ok/", iterations=n,
                               warmup=warm))
        figures.append(measure(as_coordinator, "list_coordinator",
                               f"Case list, coordinator (50 of {visible['coordinator']:,})", "/cases/",
                               iterations=n, warmup=warm, target_ms=TARGET_PAGE_MS))
        figures.append(measure(as_coordinator, "list_coordinator_p2", "Case list, coordinator, page 2", "/cases/?page=2",
                               iterations=n, warmup=warm, target_ms=TARGET_PAGE_MS))
        figures.append(measure(as_coordinator, "list_coordinator_filtered",
                               "Case list, coordinator, open asylum cases", "/cases/?case_type=asylum&status=open",
                               iterations=n, warmup=warm, target_ms=TARGET_PAGE_MS))
        figures.append(measure(as_caseworker, "list_caseworker",
                               f"Case list, caseworker (50 of {visible['caseworker']:,})", "/cases/",
                               iterations=n, warmup=warm, target_ms=TARGET_PAGE_MS))
        figures.append(measure(as_caseworker, "list_caseworker_mine",
                               f"Case list, caseworker, \"mine\" (50 of {visible['caseworker_assigned']:,})",
                               "/cases/?mine=on", iterations=n, warmup=warm, target_ms=TARGET_PAGE_MS))
        # The orders issue 11 added: by next deadline pages on an index like newest-first; most urgent first
        # and by name sort the whole filtered list, meant for one person's cases.
        figures.append(measure(as_coordinator, "list_coordinator_next_deadline",
                               "Case list, coordinator, by next deadline", "/cases/?sort=deadline",
                               iterations=n, warmup=warm, target_ms=TARGET_PAGE_MS))
        figures.append(measure(as_coordinator, "list_coordinator_urgent",
                               f"Case list, coordinator, most urgent first (sorts all {visible['coordinator']:,})",
                               "/cases/?sort=urgent", iterations=n, warmup=warm))
        figures.append(measure(as_caseworker, "list_caseworker_mine_name",
                               "Case list, caseworker, \"mine\" by client name", "/cases/?mine=on&sort=name",
                               iterations=n, warmup=warm, target_ms=TARGET_PAGE_MS))
        if not ONLY:
            extra["list_memory"] = list_memory(as_coordinator, "/cases/")
            print(f"  Case list memory: peak {extra['list_memory']['peak_kib']:,} KiB, "
                  f"{extra['list_memory']['cases_built']} cases built", flush=True)

        case = pick_case(caseworker.pk)
        extra["detail_case"] = {"events": case.n_events, "deadlines": case.n_open}
        figures.append(measure(as_caseworker, "detail",
                               f"Case page ({case.n_events} events, {case.n_open} deadlines)",
                               f"/cases/{case.reference}/", iterations=n, warmup=warm))
        figures.append(measure(as_caseworker, "detail_deadlines", "Case deadlines page",
                               f"/cases/{case.reference}/deadlines/", iterations=n, warmup=warm))
        figures.append(measure(as_coordinator, "dashboard", "Deadline dashboard, coordinator", "/deadlines/dashboard/",
                               iterations=n, warmup=warm, target_ms=TARGET_PAGE_MS))
        figures.append(measure(as_caseworker, "my_deadlines", "My deadlines, caseworker", "/deadlines/",
                               iterations=n, warmup=warm, target_ms=TARGET_PAGE_MS))

        if not ONLY or ONLY & {"search_full", "search_family", "client_registry", "case_search"}:
            search = pick_search(coordinator)
            extra["search"] = search
            figures.append(measure(as_coordinator, "search_full",
                                   f"Client search, full name ({search['full_hits']} found)", "/clients/",
                                   data={"q": search["full_name"]}, iterations=n, warmup=warm,
                                   target_ms=TARGET_SEARCH_MS))
            figures.append(measure(as_coordinator, "search_family",
                                   f"Client search, family name ({search['family_hits']} found)", "/clients/",
                                   data={"q": search["family_name"]}, iterations=n, warmup=warm,
                                   target_ms=TARGET_SEARCH_MS))
            figures.append(measure(as_coordinator, "client_registry", "Client registry, coordinator (no search)",
                                   "/clients/", iterations=n, warmup=warm, target_ms=TARGET_PAGE_MS))
            figures.append(measure(as_coordinator, "case_search", "Case search by client name", "/cases/",
                                   data={"q": search["full_name"]}, iterations=n, warmup=warm,
                                   target_ms=TARGET_SEARCH_MS))

        if not ONLY:
            print("Naive ways:", flush=True)
            with mock.patch.object(access, "cases_visible_to", guardian_cases_visible_to), \
                    mock.patch.object(access, "cases_visible_parts", lambda user: [guardian_cases_visible_to(user)]):
                guardian_counts = {"coordinator": case_selectors.case_list(coordinator).count(),
                                   "caseworker": case_selectors.case_list(caseworker).count()}
                extra["guardian_visible"] = guardian_counts
                figures.append(measure(as_coordinator, "guardian_list_coordinator",
                                       "Case list, coordinator, guardian get_objects_for_user", "/cases/",
                                       iterations=n, warmup=warm))
                figures.append(measure(as_caseworker, "guardian_list_caseworker",
                                       "Case list, caseworker, guardian get_objects_for_user", "/cases/",
                                       iterations=n, warmup=warm))
            extra["naive_search"] = naive_search(coordinator, search["full_name"])
            ns = extra["naive_search"]
            print(f"  Naive search: {ns['sample']:,} clients decrypted in {ns['sample_ms']:.0f} ms "
                  f"(≈ {ns['extrapolated_ms']:.0f} ms for all {ns['visible_clients']:,})", flush=True)

    figures = [figure for figure in figures if figure is not None]
    if args.skip_deadlines or ONLY:
        pass
    elif bench_deadlines is None:
        print("bench/bench_deadlines.py not found: no compute() or dispatcher figures.", flush=True)
    else:
        print("Deadline engine and reminder dispatcher (bench/bench_deadlines.py):", flush=True)
        extra["deadlines"] = deadline_figures(bench_deadlines, args.computations)

    return {"date": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
            "machine": {**machine(), "load_average_before": load_before},
            "dataset": dataset, "iterations": n, "warmup": warm, "figures": [asdict(f) for f in figures],
            "extra": extra}


def _ms(value: float) -> str:
    return f"{value:,.1f}"


def report(results: dict) -> str:
    figures = {f["key"]: Figure(**f) for f in results["figures"]}
    extra, data, m = results["extra"], results["dataset"], results["machine"]
    counts = data["counts"]
    grants = counts["cases_casegroupobjectpermission"] + counts["cases_caseuserobjectpermission"]
    bare = figures["bare"].median_ms
    lines = [
        f"Run {results['date']} on {m['cores']} cores ({m['cpu']}), {m['memory_gib']} GiB, Python {m['python']}, "
        f"PostgreSQL {m['postgresql']} ({', '.join(f'{k} {v}' for k, v in m['postgresql_settings'].items())}); "
        f"load average {m['load_average_before'][0]} before the run, {m['load_average_after'][0]} after "
        "(other work on the machine shows up in the figures).",
        "",
        f"Data (scale {data['scale']}, generated {data['generated_at'][:10]} in {data['timings_s']['total']:,.0f} s, "
        f"database {data['database_size']}): {counts['cases_case']:,} cases, {counts['clients_client']:,} clients, "
        f"{counts['cases_caseevent']:,} events, {counts['deadlines_deadline']:,} deadlines "
        f"({counts['open_deadlines']:,} open), {counts['deadlines_reminder']:,} reminders, "
        f"{grants - extra['guardian_baseline_rows']:,} grants between organisations and to named users (plus "
        f"{extra['guardian_baseline_rows']:,} rows for the guardian baseline), {counts['auth_user']:,} staff in "
        f"20 organisations. The bench coordinator sees "
        f"{extra['visible']['coordinator']:,} cases; the bench caseworker {extra['visible']['caseworker']:,} "
        f"({extra['visible']['caseworker_assigned']:,} assigned).",
        "",
        f"Each page: {results['warmup']} warm-up requests, then {results['iterations']} timed; server time is the WSGI "
        "handler call through every middleware (DEBUG off, persistent connection, in-process).",
        "",
        "| Page | Median ms | p95 ms | Queries | × bare view | Target | |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    for key, figure in figures.items():
        if key.startswith("guardian_"):
            continue
        target = f"< {figure.target_ms:.0f} ms" if figure.target_ms else ""
        verdict = "" if not figure.target_ms else ("met" if figure.median_ms < figure.target_ms else
                                                   f"**missed by {figure.median_ms - figure.target_ms:,.1f} ms**")
        ratio = "1" if key == "bare" else f"{figure.median_ms / bare:,.1f}"
        lines.append(f"| {figure.label} | {_ms(figure.median_ms)} | {_ms(figure.p95_ms)} | {figure.query_text} | "
                     f"{ratio} | {target} | {verdict} |")
    memory = extra["list_memory"]
    lines += [
        "",
        f"Memory: one coordinator list request peaks at {memory['peak_kib']:,} KiB of Python allocations "
        f"(tracemalloc) and builds {memory['cases_built']} Case objects — one page, not the "
        f"{extra['visible']['coordinator']:,} visible.",
        "",
        "Naive ways on the same data, same run:",
        "",
        "| What | This app | Naive way | Naive ÷ app |",
        "|---|---:|---:|---:|",
    ]
    for role in ("coordinator", "caseworker"):
        app, naive = figures[f"list_{role}"], figures[f"guardian_list_{role}"]
        lines.append(f"| Case list, {role}: access module vs guardian `get_objects_for_user(…, accept_global_perms=False)` "
                     f"({extra['guardian_visible'][role]:,} cases) | {_ms(app.median_ms)} ms, {app.query_text} q | "
                     f"{_ms(naive.median_ms)} ms, {naive.query_text} q | {naive.median_ms / app.median_ms:,.1f} |")
    ns, search = extra["naive_search"], figures["search_full"]
    lines.append(f"| Client name search: blind index vs decrypting the names of all {ns['visible_clients']:,} visible "
                 f"clients in Python (timed on {ns['sample']:,}: {ns['sample_ms']:,.0f} ms, extrapolated) | "
                 f"{_ms(search.median_ms)} ms | ≈ {ns['extrapolated_ms']:,.0f} ms | "
                 f"{ns['extrapolated_ms'] / search.median_ms:,.0f} |")
    deadlines = extra.get("deadlines")
    if deadlines:
        n_open = deadlines["open_deadlines"]
        lines += [
            "",
            f"Deadline engine and reminder dispatcher, by `bench/bench_deadlines.py`'s scenarios on this data set "
            f"({n_open:,} open deadlines; the dispatcher publishes to Redis):",
            "",
            "| Measure | Rows | Seconds | Note |",
            "|---|---:|---:|---|",
        ]
        lines += [f"| {label} | {count} | {seconds:,.3f} | {note} |" for label, count, seconds, note in deadlines["rows"]]
        backlog = next((row for row in deadlines["rows"] if "backlog" in row[0]), None)
        if backlog:
            per_million = backlog[2] * 1_000_000 / max(1, n_open)
            verdict = ("met" if per_million < TARGET_DISPATCH_S_PER_MILLION else
                       f"**missed by {per_million - TARGET_DISPATCH_S_PER_MILLION:,.1f} s**")
            lines += ["", f"Dispatcher target: {per_million:,.1f} s per 1,000,000 open deadlines due at once "
                          f"(< {TARGET_DISPATCH_S_PER_MILLION:.0f} s): {verdict}."]
    return "\n".join(lines) + "\n"


def write_results(path: Path, text: str) -> None:
    """Replace the generated part of RESULTS.md and keep whatever people wrote around it."""
    block = f"{MARK_START}\n{text}{MARK_END}"
    if path.exists() and MARK_START in (old := path.read_text()):
        before, rest = old.split(MARK_START, 1)
        after = rest.split(MARK_END, 1)[1] if MARK_END in rest else ""
        path.write_text(before + block + after)
    else:
        path.write_text(f"# Benchmark results\n\nWritten by `bench/run.py` (see bench/README.md).\n\n{block}\n")


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=common.DEFAULT_OUT, help="where generate.py left keys and dataset")
    parser.add_argument("--results", type=Path, default=common.ROOT / "bench" / "RESULTS.md")
    parser.add_argument("--iterations", type=int, default=50)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--computations", type=int, default=200_000, help="compute() calls timed")
    parser.add_argument("--skip-deadlines", action="store_true", help="no compute() or dispatcher figures")
    parser.add_argument("--report-only", action="store_true",
                        help="rewrite RESULTS.md from the last results.json, measuring nothing")
    parser.add_argument("--no-migrate", action="store_true",
                        help="do not apply migrations added since the data was generated")
    parser.add_argument("--pages", default="", metavar="KEY,…",
                        help="measure only these pages (figure keys, e.g. dashboard,my_deadlines) beside the bare "
                             "view, and no baselines or deadline figures; prints them and writes "
                             "results-pages.json, leaving RESULTS.md as it is")
    args = parser.parse_args(argv)

    if args.report_only:
        write_results(args.results, report(json.loads((args.out / "results.json").read_text())))
        return {}
    dataset = common.read_dataset(args.out)
    # The dispatcher benchmark counts and deletes its messages on bench_deadlines.py's Redis database.
    redis_url = getattr(bench_deadlines, "REDIS_URL", common.DEFAULT_REDIS_URL)
    env = common.bench_environment(database_url=dataset["database_url"], keys=common.read_keys(args.out),
                                   redis_url=redis_url)
    if not args.no_migrate:
        common.migrate(env)
    warnings.filterwarnings("ignore", message="No directory at", module="whitenoise")  # no collectstatic here
    common.setup_django(env)
    ONLY.clear()
    ONLY.update(key for key in args.pages.split(",") if key)
    results = run(args)
    if ONLY:
        (args.out / "results-pages.json").write_text(json.dumps(results, indent=2, default=str))
        return results
    (args.out / "results.json").write_text(json.dumps(results, indent=2, default=str))
    write_results(args.results, report(results))
    print(f"Figures written to {args.results}", flush=True)
    return results


if __name__ == "__main__":
    main()
