"""bench/generate_history.py still works: field history on a tiny data set, most records with a few rows, the
measured case with hundreds, encrypted values readable with the data set's keys, never written twice."""

import json
import subprocess
import sys

import psycopg
from cryptography.fernet import Fernet

from tests.bench.test_bench_smoke import ROOT, bench_database_url, common, script  # noqa: F401 - the fixture

HISTORY_TABLES = ["clients_historicalclient", "cases_historicalcase", "cases_historicaldeportationdetail",
                  "cases_historicalwageclaim"]


def test_generate_history_at_tiny_scale(bench_database_url, tmp_path):  # noqa: F811 - the imported fixture
    out = tmp_path / "out"
    script("generate.py", "--scale", "0.0005", "--database-url", bench_database_url, "--out", str(out))
    script("generate_history.py", "--out", str(out))

    history = json.loads((out / "dataset.json").read_text())["history"]
    assert 2_000 <= history["rows"] <= 3_500  # 5,000,000 × 0.0005, give or take the draw
    keys = dict(line.split("=", 1) for line in (out / "keys.env").read_text().split())
    fernet = Fernet(keys["FIELD_ENCRYPTION_KEY"].split(",")[0])
    with psycopg.connect(common.psycopg_conninfo(bench_database_url)) as conn:
        for table in HISTORY_TABLES:
            assert conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] > 0
        per_case = dict(conn.execute("SELECT id, count(*) FROM cases_historicalcase GROUP BY id").fetchall())
        assert per_case[history["measured_case"][0]] == 300
        assert sorted(per_case.values())[len(per_case) // 2] <= 2
        assert conn.execute("SELECT count(*) FROM cases_historicalcase GROUP BY id, history_type HAVING "
                            "history_type = '+' AND count(*) > 1").fetchall() == []
        for (token,) in conn.execute("SELECT phones FROM clients_historicalclient LIMIT 50"):
            assert fernet.decrypt(token.encode()).decode().startswith("+")

    again = subprocess.run([sys.executable, str(ROOT / "bench" / "generate_history.py"), "--out", str(out)],
                           cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert again.returncode != 0 and "--replace" in again.stderr
