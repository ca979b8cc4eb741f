"""What bench/generate.py and bench/run.py share: where their output goes, the bench keys, and the
environment that points Django at the bench database instead of anyone's working one.

The bench keys are fixed per generated data set (bench/out/keys.env, git-ignored): the data is
encrypted with them, so a benchmark run in a later process can decrypt it. They protect fictional
data only and are never the keys of a real deployment.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "bench" / "out"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/casework_bench"
# A Redis database of its own: the dispatcher benchmark enqueues real messages and purges them after.
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/13"
KEY_NAMES = ("SECRET_KEY", "FIELD_ENCRYPTION_KEY", "BLIND_INDEX_KEY")


def load_or_create_keys(out: Path) -> dict[str, str]:
    """The three secrets of the data set in `out`, created on first use."""
    path = out / "keys.env"
    if path.exists():
        keys = dict(line.split("=", 1) for line in path.read_text().split() if "=" in line)
        if all(keys.get(name) for name in KEY_NAMES):
            return {name: keys[name] for name in KEY_NAMES}
    from cryptography.fernet import Fernet

    keys = {
        "SECRET_KEY": secrets.token_urlsafe(50),
        "FIELD_ENCRYPTION_KEY": Fernet.generate_key().decode(),
        "BLIND_INDEX_KEY": secrets.token_urlsafe(48),
    }
    out.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(f"{name}={value}\n" for name, value in keys.items()))
    path.chmod(0o600)
    return keys


def read_keys(out: Path) -> dict[str, str]:
    path = out / "keys.env"
    if not path.exists():
        sys.exit(f"{path} is missing: run bench/generate.py first (its keys decrypt the bench data).")
    return load_or_create_keys(out)


def bench_environment(*, database_url: str, keys: dict[str, str], redis_url: str = DEFAULT_REDIS_URL) -> dict[str, str]:
    """Settings as production has them (DEBUG off, persistent connections, Redis), on plain HTTP and
    the source static files, against the bench database and the bench keys."""
    return {
        **keys,
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "DEBUG": "0",
        "HTTPS": "0",
        "STATIC_MANIFEST": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }


def setup_django(env: dict[str, str]) -> None:
    os.environ.update(env)
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def migrate(env: dict[str, str]) -> None:
    """`manage.py migrate` against the bench database (also run before benchmarks, so tables added to the
    project since the data was generated exist, empty)."""
    subprocess.run([sys.executable, str(ROOT / "manage.py"), "migrate", "--noinput", "-v", "0"],
                   env={**os.environ, **env}, cwd=ROOT, check=True)


def database_name(database_url: str) -> str:
    return urlsplit(database_url).path.lstrip("/")


def with_database(database_url: str, name: str) -> str:
    parts = urlsplit(database_url)
    return urlunsplit(parts._replace(path="/" + name))


def psycopg_conninfo(database_url: str) -> str:
    """psycopg accepts the URL itself; `postgres://` is normalised for older libpq versions."""
    return "postgresql://" + database_url.split("://", 1)[1]


def read_dataset(out: Path) -> dict:
    path = out / "dataset.json"
    if not path.exists():
        sys.exit(f"{path} is missing: run bench/generate.py first.")
    return json.loads(path.read_text())
