"""The app refuses to run without real keys, and production settings pass Django's deploy check."""

import os
import subprocess
import sys
from pathlib import Path

from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parents[1]


def manage(*args, **env):
    base = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "FIELD_ENCRYPTION_KEY", "BLIND_INDEX_KEY", "DEBUG", "HTTPS", "STATIC_MANIFEST",
                                                  "DJANGO_ALLOW_ASYNC_UNSAFE")}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env={**base, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        capture_output=True, text=True, timeout=120,
    )


def production_env(**overrides):
    env = {
        "DEBUG": "0",
        "SECRET_KEY": "s" * 20 + "production-secret-key-for-the-check-1234567",
        "FIELD_ENCRYPTION_KEY": Fernet.generate_key().decode(),
        "BLIND_INDEX_KEY": "b" * 10 + "blind-index-key-for-the-check-123456",
        "ALLOWED_HOSTS": "casework.example.org",
        "REDIS_URL": "redis://127.0.0.1:6379/15",
    }
    env.update(overrides)
    return env


def test_refuses_to_start_without_keys(tmp_path):
    result = manage("check", DEBUG="0", REDIS_URL="redis://127.0.0.1:6379/15", SECRET_KEY="", FIELD_ENCRYPTION_KEY="", BLIND_INDEX_KEY="")
    assert result.returncode != 0
    assert "refuses to start" in result.stderr
    for name in ("SECRET_KEY", "FIELD_ENCRYPTION_KEY", "BLIND_INDEX_KEY"):
        assert name in result.stderr


def test_refuses_a_key_that_is_not_a_fernet_key():
    result = manage("check", **production_env(FIELD_ENCRYPTION_KEY="not-a-key"))
    assert result.returncode != 0 and "not a Fernet key" in result.stderr


def test_refuses_the_same_secret_twice():
    env = production_env()
    result = manage("check", **{**env, "BLIND_INDEX_KEY": env["SECRET_KEY"]})
    assert result.returncode != 0 and "different secrets" in result.stderr


def test_keys_can_come_from_files(tmp_path):
    env = production_env()
    for name in ("SECRET_KEY", "FIELD_ENCRYPTION_KEY", "BLIND_INDEX_KEY"):
        (tmp_path / name).write_text(env.pop(name) + "\n")
        env[f"{name}_FILE"] = str(tmp_path / name)
    result = manage("check", **env)
    assert result.returncode == 0, result.stderr


def test_deploy_check_passes_with_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **production_env())
    assert result.returncode == 0, result.stdout + result.stderr


def test_several_encryption_keys_are_read_as_a_list(settings):
    # The running test settings came from the same module: the key list is a list.
    assert isinstance(settings.FIELD_ENCRYPTION_KEY, list) and settings.FIELD_ENCRYPTION_KEY
