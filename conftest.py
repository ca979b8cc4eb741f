"""Test environment: fresh secrets per run (inherited by any worker subprocess), plain HTTP,
and PostgreSQL/Redis whenever DATABASE_URL/REDIS_URL are set (as `make test` and CI do)."""

import os
import secrets

from cryptography.fernet import Fernet

os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
os.environ.setdefault("FIELD_ENCRYPTION_KEY", Fernet.generate_key().decode())
os.environ.setdefault("BLIND_INDEX_KEY", secrets.token_urlsafe(48))
os.environ.setdefault("HTTPS", "0")
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("STATIC_MANIFEST", "0")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/15")
