#!/usr/bin/env python
"""Add field history (casework.audit.history) to a data set bench/generate.py made: 5,000,000 rows at full size.

    .venv/bin/python bench/generate_history.py                 # into the data set of bench/out (its dataset.json)
    .venv/bin/python bench/generate_history.py --out DIR --rows 50000

Every client, case, type-detail row and record gets the row of its creation and, for most, a few changes
(1–5 rows in all); about one in two thousand gets hundreds, and so do the case bench/run.py measures the case
page on (run.pick_case) with its details and records. Each record's rows end at its current values and go
back in time from there, as the app would have written them: the fields people change (a case's status and
assignee, a client's phones and addresses, a detention place, a claim's outcome…) differ from one row to the
next, the others repeat; the assignee (or the client's registrar) or a colleague made each change. Encrypted
values are either the stored token itself (an unchanged field) or a new fictional value encrypted with the
data set's keys (bench/out/keys.env), so the history reads back like the app's own.

Rows go in with COPY from worker processes (as in generate.py); each worker reads its slice of the current
rows with COPY TO and writes the history of that slice. The history tables must be empty (--replace empties
them first); only a database whose name contains "bench" is written.
"""

from __future__ import annotations

import argparse
import datetime
import json
import multiprocessing
import os
import random
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common  # noqa: E402

FULL_ROWS = 5_000_000
HEAVY_PER_MILLION = 500  # records with hundreds of rows
HEAVY_ROWS = (100, 400)
MEASURED_CASE_ROWS = 300  # the case page bench/run.py measures: its case, details and records get this many each
MAX_LIGHT = 5  # the others: 1 to 5 rows
CHUNK = 20_000  # source rows per worker task

STREETS = ["ул. Садовая", "ул. Ленина", "пр. Мира", "ул. Строителей", "Rustaveli Ave", "ул. Абая", "ул. Баумана"]
CITIES = ["г. Москва", "г. Казань", "г. Екатеринбург", "г. Алматы", "г. Бишкек", "Tbilisi"]
DETENTION = ["ЦВСИГ №1, г. Москва", "СИЗО-1, г. Екатеринбург", "Центр временного содержания, г. Казань",
             "ИВС, г. Новосибирск"]
CHALLENGE_OUTCOMES = ["", "Отказано", "Жалоба удовлетворена частично", "Returned for a new examination"]


@dataclass
class Spec:
    """One tracked model: where its current rows are, how its changes are made up."""

    label: str
    source: str  # FROM … (with joins to the case for who and when)
    key: str  # the source's id column, for slicing
    context: list[str]  # extra columns after the tracked ones: organisation, usual author, created at
    mutable: dict = field(default_factory=dict)  # tracked column -> fn(rng, org) giving another COPY value
    # Filled in from the models at start:
    table: str = ""
    tracked: list[str] = field(default_factory=list)


def _encrypted(text: str) -> str:
    from casework.crypto import encrypt

    return encrypt(text)


def _phone(rng, _org):
    return _encrypted(f"+7 9{rng.randrange(10**9):09d}")


def _address(rng, _org):
    return _encrypted(f"{rng.choice(CITIES)}, {rng.choice(STREETS)}, д. {rng.randint(1, 120)}, кв. {rng.randint(1, 300)}")


def _colleague(rng, org):
    return str(rng.choice(STAFF[org]))


def _choice(*values):
    return lambda rng, _org: rng.choice(values)


def _date(rng, _org):
    return (TODAY - datetime.timedelta(days=rng.randrange(1, 700))).isoformat()


def _case_join(alias: str) -> str:
    return f"JOIN cases_case c ON c.id = {alias}.case_id"


CASE_CONTEXT = ["c.organisation_id", "c.assigned_to_id", "c.created_at"]
SPECS = [
    Spec("clients.Client", "clients_client r", "r.id", ["r.organisation_id", "r.created_by_id", "r.created_at"],
         {"phones": _phone, "addresses": _address, "languages": _choice("Uzbek, Russian", "Tajik", "Russian", "Dari"),
          "given_names": lambda rng, _org: _encrypted(rng.choice(["Alisher", "Madina", "Рустам", "Нигора"]))}),
    Spec("cases.Case", "cases_case r", "r.id", ["r.organisation_id", "r.assigned_to_id", "r.created_at"],
         {"status": _choice("open", "active"), "assigned_to_id": _colleague, "jurisdiction": _choice("RU", "KZ", "KG")}),
    Spec("cases.AsylumDetail", f"cases_asylumdetail r {_case_join('r')}", "r.case_id", CASE_CONTEXT,
         {"stage": _choice("application", "interview", "first_decision", "administrative_appeal", "court"),
          "country_of_origin": _choice("Afghanistan", "Syria", "Uzbekistan", "")}),
    Spec("cases.DeportationDetail", f"cases_deportationdetail r {_case_join('r')}", "r.case_id", CASE_CONTEXT,
         {"detention_place": lambda rng, _org: _encrypted(rng.choice(DETENTION)),
          "echr_application_no": lambda rng, _org: f"{rng.randrange(1, 60000)}/{rng.randrange(18, 27)}",
          "requesting_state": _choice("Uzbekistan", "Tajikistan", "")}),
    Spec("cases.WageDetail", f"cases_wagedetail r {_case_join('r')}", "r.case_id", CASE_CONTEXT,
         {"amount_recovered": lambda rng, _org: f"{rng.randrange(0, 300) * 1000}.00",
          "sector": _choice("construction", "agriculture", "trade", "services")}),
    Spec("cases.AsylumDecision", f"cases_asylumdecision r {_case_join('r')}", "r.id", CASE_CONTEXT,
         {"served_on": _date, "outcome": _choice("refused", "temporary_asylum", "not_examined")}),
    Spec("cases.DomesticChallenge", f"cases_domesticchallenge r {_case_join('r')}", "r.id", CASE_CONTEXT,
         {"outcome": _choice(*CHALLENGE_OUTCOMES), "decided_on": _date}),
    Spec("cases.InterimMeasure", f"cases_interimmeasure r {_case_join('r')}", "r.id", CASE_CONTEXT,
         {"status": _choice("pending", "granted", "refused"), "decided_on": _date}),
    Spec("cases.WageClaim", f"cases_wageclaim r {_case_join('r')}", "r.id", CASE_CONTEXT,
         {"outcome": _choice("pending", "upheld", "rejected", "settled"), "decided_on": _date}),
]

# Shared with the workers (set before the pool forks).
STAFF: dict[str, list[int]] = {}  # organisation id (as COPY text) -> its caseworkers and coordinators
TODAY = datetime.date.today()
NOW = datetime.datetime.now(datetime.timezone.utc)
PLAN: dict = {}  # seed, database conninfo, light-row weights, forced heavy ids per spec label
_CONN = None


def prepare_specs() -> None:
    """The tracked columns of each model, in the order of its history table, checked against the model."""
    from django.apps import apps

    for spec in SPECS:
        history = apps.get_model(spec.label).history.model
        spec.table = history._meta.db_table
        spec.tracked = [f.column for f in history._meta.concrete_fields if not f.name.startswith("history_")]
        unknown = set(spec.mutable) - set(spec.tracked)
        if unknown:
            sys.exit(f"bench/generate_history.py is out of date with {spec.label}: {sorted(unknown)} not kept")


def light_weights(mean: float) -> list[float]:
    """Chances of 1..MAX_LIGHT rows, falling off geometrically, with the mean asked for."""
    low, high = 1e-6, 50.0
    for _ in range(80):
        ratio = (low + high) / 2
        weights = [ratio ** k for k in range(MAX_LIGHT)]
        got = sum((k + 1) * w for k, w in enumerate(weights)) / sum(weights)
        low, high = (ratio, high) if got < mean else (low, ratio)
    return weights


def _rows_for(rng: random.Random, spec: Spec, object_id: int) -> int:
    if object_id in PLAN["forced"].get(spec.label, ()):
        return MEASURED_CASE_ROWS
    if rng.random() * 1_000_000 < HEAVY_PER_MILLION:
        return rng.randint(*HEAVY_ROWS)
    return rng.choices(range(1, MAX_LIGHT + 1), PLAN["weights"])[0]


def _moments(rng: random.Random, created: datetime.datetime, n: int) -> list[str]:
    """n save times from the record's creation to now, oldest first, the first at the creation."""
    span = max(1.0, (NOW - created).total_seconds())
    later = sorted(created + datetime.timedelta(seconds=rng.random() * span) for _ in range(n - 1))
    return [str(moment) for moment in [created, *later]]


def history_chunk(task: tuple[int, int, int]) -> tuple[int, str]:
    """The history rows of one slice of one model's current rows, as COPY text."""
    import psycopg

    global _CONN
    index, lo, hi = task
    spec = SPECS[index]
    if _CONN is None:
        _CONN = psycopg.connect(PLAN["conninfo"])
    rng = random.Random(PLAN["seed"] * 1_000_003 + index * 100_000_007 + lo)
    columns = ", ".join([f"r.{column}" for column in spec.tracked] + spec.context)
    query = f"COPY (SELECT {columns} FROM {spec.source} WHERE {spec.key} >= {lo} AND {spec.key} < {hi}) TO STDOUT"
    with _CONN.cursor() as cursor, cursor.copy(query) as copy:
        current = b"".join(bytes(block) for block in copy).decode()
    width, key = len(spec.tracked), spec.tracked.index(spec.key.removeprefix("r."))
    mutable = [(spec.tracked.index(column), make) for column, make in spec.mutable.items()]
    out = []
    for line in current.split("\n")[:-1]:  # COPY escapes newlines inside values: each one ends a row
        values = line.split("\t")
        row, (org, author, created) = values[:width], values[width:]
        if author == "\\N":
            author = _colleague(rng, org)
        n = _rows_for(rng, spec, int(row[key]))
        versions = [row]
        for _ in range(n - 1):  # back in time from the current values: each earlier row differs in 1–2 fields
            earlier = list(versions[-1])
            for position, make in rng.sample(mutable, min(len(mutable), rng.choice((1, 1, 2)))):
                earlier[position] = make(rng, org)
            versions.append(earlier)
        versions.reverse()
        moments = _moments(rng, datetime.datetime.fromisoformat(created), n)
        for number, (version, moment) in enumerate(zip(versions, moments)):
            user = author if rng.random() < 0.8 else _colleague(rng, org)
            out.append("\t".join([*version, moment, "\\N", "+" if number == 0 else "~", user]) + "\n")
    return index, "".join(out)


def source_ranges(conn) -> list[tuple[int, int, int]]:
    tasks = []
    for index, spec in enumerate(SPECS):
        low, high = conn.execute(f"SELECT min({spec.key}), max({spec.key}) FROM {spec.source}").fetchone()
        if low is not None:
            tasks += [(index, lo, min(lo + CHUNK, high + 1)) for lo in range(low, high + 1, CHUNK)]
    return tasks


def measured_case(dataset: dict) -> dict[str, set[int]]:
    """The case bench/run.py opens the case page of, with its details and records: heavy on purpose."""
    import run

    from casework.cases.models import DETAIL_MODELS, RECORD_KINDS

    case = run.pick_case(dataset["bench"]["caseworker"])
    if case is None:
        return {}
    forced = {"cases.Case": {case.pk}, DETAIL_MODELS[case.case_type]._meta.label: {case.pk}}
    for model, related in RECORD_KINDS.values():
        forced.setdefault(model._meta.label, set()).update(getattr(case, related).values_list("pk", flat=True))
    return forced


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=common.DEFAULT_OUT, help="the data set (dataset.json, keys.env)")
    parser.add_argument("--database-url", default="", help="default: the data set's own")
    parser.add_argument("--rows", type=int, default=0, help=f"history rows in all (default {FULL_ROWS:,} × scale)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--seed", type=int, default=2009)
    parser.add_argument("--replace", action="store_true", help="empty the history tables first")
    args = parser.parse_args(argv)

    dataset = common.read_dataset(args.out)
    database_url = args.database_url or dataset["database_url"]
    if "bench" not in common.database_name(database_url):
        sys.exit(f"Refusing to write to {common.database_name(database_url)!r}: a bench database's name contains 'bench'.")
    env = common.bench_environment(database_url=database_url, keys=common.read_keys(args.out))
    common.migrate(env)  # the history tables, if the data set is older than them
    common.setup_django(env)
    import psycopg
    from django.db import connections

    import generate

    start = time.perf_counter()
    timings: dict[str, float] = {}
    prepare_specs()
    conninfo = common.psycopg_conninfo(database_url)
    with psycopg.connect(conninfo, autocommit=True) as conn:
        tables = [spec.table for spec in SPECS]
        if args.replace:
            conn.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY")
        filled = [table for table in tables if conn.execute(f"SELECT EXISTS (SELECT 1 FROM {table})").fetchone()[0]]
        if filled:
            sys.exit(f"History tables already hold rows ({', '.join(filled)}): run with --replace to make them anew.")
        for organisation, user in conn.execute(
                "SELECT organisation_id, user_id FROM orgs_membership WHERE role IN ('caseworker', 'coordinator')"):
            STAFF.setdefault(str(organisation), []).append(user)
        objects = sum(conn.execute(f"SELECT count(*) FROM {spec.source}").fetchone()[0] for spec in SPECS)
        tasks = source_ranges(conn)
    wanted = args.rows or round(FULL_ROWS * dataset["scale"])
    heavy = objects * HEAVY_PER_MILLION / 1_000_000 * sum(HEAVY_ROWS) / 2
    PLAN.update(seed=args.seed, conninfo=conninfo, forced=measured_case(dataset),
                weights=light_weights(max(1.0, min(MAX_LIGHT, (wanted - heavy) / objects))))
    connections.close_all()  # workers fork with no connection of the parent's to inherit
    print(f"History for {objects:,} records into {common.database_name(database_url)}, about {wanted:,} rows, "
          f"{args.workers} workers", flush=True)
    counts: dict[str, int] = {}
    with multiprocessing.get_context("fork").Pool(args.workers) as pool, \
            psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute("SET synchronous_commit = off")
        conn.execute("SET maintenance_work_mem = '1GB'")
        try:  # skip the history_user foreign-key trigger while loading (superuser only); the users exist
            conn.execute("SET session_replication_role = replica")
        except psycopg.errors.InsufficientPrivilege:
            pass
        indexes = generate.drop_secondary_indexes(conn, tables)
        with generate._stage("history rows", timings):
            for done, (index, text) in enumerate(pool.imap_unordered(history_chunk, tasks), start=1):
                spec = SPECS[index]
                columns = ", ".join([*spec.tracked, "history_date", "history_change_reason", "history_type",
                                     "history_user_id"])
                with conn.cursor() as cursor, cursor.copy(f"COPY {spec.table} ({columns}) FROM STDIN") as copy:
                    copy.write(text.encode())
                counts[spec.table] = counts.get(spec.table, 0) + text.count("\n")
                if done % max(1, len(tasks) // 10) == 0 or done == len(tasks):
                    print(f"    {done}/{len(tasks)} slices, {sum(counts.values()):,} rows "
                          f"({time.perf_counter() - start:.0f} s)", flush=True)
        conn.execute("SET session_replication_role = origin")
        with generate._stage("history indexes", timings):
            for definition in indexes:
                conn.execute(definition)
        with generate._stage("ANALYZE", timings):
            for table in tables:
                conn.execute(f"VACUUM ANALYZE {table}")
        size = conn.execute(f"SELECT pg_size_pretty(sum(pg_total_relation_size(t))) FROM unnest(%s::regclass[]) t",
                            [tables]).fetchone()[0]
    timings["total"] = round(time.perf_counter() - start, 1)
    summary = {"rows": sum(counts.values()), "counts": counts, "size": size, "timings_s": timings,
               "measured_case": sorted(PLAN["forced"].get("cases.Case", ()))}
    dataset["history"] = summary
    (args.out / "dataset.json").write_text(json.dumps(dataset, indent=2))
    print(f"Done in {timings['total']:.0f} s: {summary['rows']:,} history rows, {size}.", flush=True)
    return summary


if __name__ == "__main__":
    main()
