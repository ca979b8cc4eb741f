"""Encrypted document files: written under MEDIA_ROOT/documents with a random name, never served as
public media (views decrypt them after the access check)."""

import secrets
from pathlib import Path

from django.conf import settings

from casework.crypto import decrypt_bytes, encrypt_bytes


def documents_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / "documents"


def document_store(data: bytes) -> str:
    """Encrypt and write; returns the storage name to keep on the row."""
    storage_name = secrets.token_hex(16)
    folder = documents_dir()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / storage_name).write_bytes(encrypt_bytes(data))
    return storage_name


def document_read(storage_name: str) -> bytes:
    """The decrypted content; FileNotFoundError when the file is gone."""
    return decrypt_bytes((documents_dir() / storage_name).read_bytes())


def document_remove(storage_name: str) -> None:
    (documents_dir() / storage_name).unlink(missing_ok=True)
