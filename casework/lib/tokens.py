"""Hashes of secrets the database keeps only as hashes (calendar feed tokens, recovery codes)."""

import hashlib

from django.utils.crypto import salted_hmac


def token_digest(token: str) -> str:
    """A random token of 128 bits or more: a plain SHA-256 hides it."""
    return hashlib.sha256(token.encode()).hexdigest()


def keyed_digest(purpose: str, value: str) -> str:
    """A short secret (an eight-digit code) needs a keyed hash: a plain one is reversed by trying them all."""
    return salted_hmac(f"casework.{purpose}", value, algorithm="sha256").hexdigest()
