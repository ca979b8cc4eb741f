#!/usr/bin/env python
"""Why is a page slow? One request on the bench data, each query with its time, and EXPLAIN ANALYZE of
the slowest ones.

    .venv/bin/python bench/explain.py coordinator /cases/
    .venv/bin/python bench/explain.py coordinator /clients/ --post q="Kodirov Alisher" --top 2
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common  # noqa: E402


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("role", choices=["coordinator", "caseworker"])
    parser.add_argument("url")
    parser.add_argument("--post", action="append", default=[], metavar="NAME=VALUE", help="POST these fields")
    parser.add_argument("--top", type=int, default=3, help="EXPLAIN ANALYZE this many of the slowest queries")
    parser.add_argument("--out", type=Path, default=common.DEFAULT_OUT)
    args = parser.parse_args(argv)

    dataset = common.read_dataset(args.out)
    common.setup_django(common.bench_environment(database_url=dataset["database_url"], keys=common.read_keys(args.out)))
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test.utils import CaptureQueriesContext, override_settings

    import run

    client = run.bench_client_class()(get_user_model().objects.get(pk=dataset["bench"][args.role]))
    data = dict(field.split("=", 1) for field in args.post) or None
    with override_settings(ROOT_URLCONF="bench_urls"):
        for _ in range(3):  # warm up
            client.post(args.url, data) if data else client.get(args.url)
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = client.post(args.url, data) if data else client.get(args.url)
            elapsed = (time.perf_counter() - start) * 1000
    print(f"{response.status_code}, {elapsed:.1f} ms, {len(captured)} queries")
    queries = [(float(q["time"]) * 1000, q["sql"]) for q in captured.captured_queries]
    for ms, sql in queries:
        print(f"{ms:8.1f} ms  {sql[:160]}")
    for ms, sql in sorted(queries, reverse=True)[: args.top]:
        if not sql.lstrip("( ").upper().startswith("SELECT"):
            continue
        print(f"\n--- {ms:.1f} ms ---\n{sql}\n")
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
            print("\n".join(row[0] for row in cursor.fetchall()))


if __name__ == "__main__":
    main()
