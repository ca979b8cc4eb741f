"""bench/generate.py and bench/run.py still work: a tiny data set in a throwaway database, every
benchmark run a couple of times. Proves the scripts, never a speed (figures live in bench/RESULTS.md)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))
import common  # noqa: E402

pytestmark = pytest.mark.xdist_group("bench-smoke")


@pytest.fixture
def bench_database_url():
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        pytest.skip("the bench scripts need PostgreSQL (DATABASE_URL)")
    bench_url = common.with_database(url, f"casework_bench_smoke_{os.getpid()}")
    yield bench_url
    with psycopg.connect(common.psycopg_conninfo(common.with_database(url, "postgres")), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{common.database_name(bench_url)}" WITH (FORCE)')


def script(name, *args):
    env = {key: value for key, value in os.environ.items() if key not in common.KEY_NAMES}
    completed = subprocess.run([sys.executable, str(ROOT / "bench" / name), *args], check=False, cwd=ROOT, env=env,
                               capture_output=True, text=True, timeout=120)
    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-3000:]
    return completed.stdout


def test_generate_and_run_at_tiny_scale(bench_database_url, tmp_path):
    out, results = tmp_path / "out", tmp_path / "RESULTS.md"
    script("generate.py", "--scale", "0.0005", "--database-url", bench_database_url, "--out", str(out))
    dataset = json.loads((out / "dataset.json").read_text())
    assert dataset["counts"]["cases_case"] == 500
    assert dataset["counts"]["deadlines_reminder"] > 0
    assert (out / "keys.env").stat().st_mode & 0o077 == 0

    script("run.py", "--out", str(out), "--results", str(results), "--iterations", "2", "--warmup", "1",
           "--computations", "500", "--no-migrate")
    figures = {f["key"]: f for f in json.loads((out / "results.json").read_text())["figures"]}
    assert {"bare", "list_coordinator", "list_caseworker", "detail", "dashboard", "search_full",
            "guardian_list_coordinator"} <= figures.keys()
    extra = json.loads((out / "results.json").read_text())["extra"]
    assert extra["list_memory"]["cases_built"] <= 50
    if (ROOT / "bench" / "bench_deadlines.py").exists():
        assert any("backlog" in row[0] for row in extra["deadlines"]["rows"])
    text = results.read_text()
    assert "figures:start" in text
    assert "Case list, coordinator" in text
