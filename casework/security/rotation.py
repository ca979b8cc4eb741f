"""Key rotation: re-encrypt every encrypted column and every document file under the first key of
FIELD_ENCRYPTION_KEY, and rebuild the blind indexes under the current BLIND_INDEX_KEY.

Work goes in batches, each one transaction that also moves the table's RotationProgress row, so an
interrupted run resumes after the last finished batch. Columns are read and written with raw SQL:
through the ORM a field decrypts on read and encrypts on save, which would hide the stored token we
are here to replace. Every new token is decrypted again and compared with the old plaintext before
it is written. Rows being rotated are locked, so a write by the application in the same moment is
neither lost nor overwritten with an older value.
"""

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.db import connection, transaction
from django.db.models import Field, Model
from django.utils import timezone

from casework import crypto
from casework.cases.models import CaseDocument, Employer
from casework.cases.services import employer_name_key
from casework.lib.storage import documents_dir
from casework.clients.models import Client
from casework.clients.names import name_keys
from casework.security.models import RotationProgress

BATCH_SIZE = 500
Kind = RotationProgress.Kind
OnBatch = Callable[[RotationProgress], None]


class RotationError(Exception):
    """A value could not be rotated safely; the batch it was in was rolled back."""


@dataclass(frozen=True)
class EncryptedTable:
    model: type[Model]
    fields: tuple[Field, ...]

    @property
    def label(self) -> str:
        return self.model._meta.label


def encrypted_tables() -> list[EncryptedTable]:
    """Every installed model with encrypted columns, found by the field class, so a column added
    tomorrow is rotated (and erased, see casework.privacy) without anyone remembering to list it."""
    tables = []
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        fields = tuple(f for f in model._meta.local_concrete_fields if isinstance(f, crypto.EncryptedMixin))
        if fields:
            tables.append(EncryptedTable(model, fields))
    return sorted(tables, key=lambda table: table.label)


def _progress(kind: str, label: str, fingerprint: str, *, restart: bool) -> RotationProgress:
    progress, created = RotationProgress.objects.get_or_create(kind=kind, model_label=label, key_fingerprint=fingerprint)
    if restart and not created:
        progress.last_pk = progress.rows_done = progress.files_missing = 0
        progress.finished_at = None
        progress.save()
    return progress


def _advance(progress: RotationProgress, last_pk: int, rows: int, missing: int = 0) -> None:
    """Called inside the batch's transaction: the batch and the record of it commit together."""
    progress.last_pk = last_pk
    progress.rows_done += rows
    progress.files_missing += missing
    progress.save(update_fields=["last_pk", "rows_done", "files_missing"])


def _run(progress: RotationProgress, batch: Callable[[RotationProgress, int], int], *, batch_size: int,
         on_batch: OnBatch | None) -> RotationProgress:
    """Call `batch` until a table is exhausted, then mark it finished; a finished table is skipped."""
    while progress.finished_at is None:
        if batch(progress, batch_size) == 0:
            progress.finished_at = timezone.now()
            progress.save(update_fields=["finished_at"])
        elif on_batch:
            on_batch(progress)
    return progress


# --- Encrypted columns -------------------------------------------------------------------------------


def _rotated(table: EncryptedTable, pk, field: Field, token: str) -> str:
    where = f"{table.label} pk={pk} {field.column}"
    try:
        plaintext = crypto.decrypt(token)
        new = crypto.rotate(token)
        same = crypto.decrypt(new) == plaintext
    except crypto.DecryptionError:
        raise RotationError(f"{where}: cannot be decrypted with any key in FIELD_ENCRYPTION_KEY.") from None
    if not same:
        raise RotationError(f"{where}: the re-encrypted value does not read back the same.")
    return new


def rotate_batch(table: EncryptedTable, progress: RotationProgress, batch_size: int) -> int:
    """Re-encrypt the next `batch_size` rows of a table after `progress.last_pk`; returns how many."""
    qn = connection.ops.quote_name
    pk_column = qn(table.model._meta.pk.column)
    columns = [qn(field.column) for field in table.fields]
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    select = (
        f"SELECT {pk_column}, {', '.join(columns)} FROM {qn(table.model._meta.db_table)} "
        f"WHERE {pk_column} > %s ORDER BY {pk_column} LIMIT %s{lock}"
    )
    update = (
        f"UPDATE {qn(table.model._meta.db_table)} SET {', '.join(f'{c} = %s' for c in columns)} WHERE {pk_column} = %s"
    )
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(select, [progress.last_pk, batch_size])
        rows = cursor.fetchall()
        if not rows:
            return 0
        changes = [
            [None if token is None else _rotated(table, pk, field, token) for field, token in zip(table.fields, tokens)] + [pk]
            for pk, *tokens in rows
        ]
        cursor.executemany(update, changes)
        _advance(progress, rows[-1][0], len(rows))
    return len(rows)


def _rotated_file(path: Path, label: str) -> bytes:
    token = path.read_bytes()
    try:
        plaintext = crypto.decrypt_bytes(token)
        new = crypto.rotate(token.decode("ascii")).encode("ascii")
        same = crypto.decrypt_bytes(new) == plaintext
    except (crypto.DecryptionError, UnicodeDecodeError):
        raise RotationError(f"{label}: the file cannot be decrypted with any key in FIELD_ENCRYPTION_KEY.") from None
    if not same:
        raise RotationError(f"{label}: the re-encrypted file does not read back the same.")
    return new


def _replace_file(path: Path, data: bytes) -> None:
    """Write beside the file and rename over it: a crash leaves the old file or the new, never half of one."""
    partial = path.with_name(path.name + ".rotating")
    with open(partial, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(partial, path)


def rotate_documents_batch(progress: RotationProgress, batch_size: int) -> int:
    """Re-encrypt the files of the next `batch_size` documents. Their rows stay locked meanwhile, so an
    erasure cannot delete a file that this batch would then write back."""
    with transaction.atomic():
        documents = list(
            CaseDocument.objects.select_for_update()
            .filter(pk__gt=progress.last_pk)
            .order_by("pk")
            .values_list("pk", "storage_name")[:batch_size]
        )
        if not documents:
            return 0
        missing = 0
        for pk, storage_name in documents:
            path = documents_dir() / storage_name
            if not path.exists():
                missing += 1
                continue
            _replace_file(path, _rotated_file(path, f"document pk={pk}"))
        _advance(progress, documents[-1][0], len(documents), missing)
    return len(documents)


def rotate_field_keys(*, batch_size: int = BATCH_SIZE, restart: bool = False,
                      on_batch: OnBatch | None = None) -> list[RotationProgress]:
    """Re-encrypt every encrypted column, then every document file, under the first field key."""
    fingerprint = crypto.field_key_fingerprint()
    done = []
    for table in encrypted_tables():
        progress = _progress(Kind.COLUMNS, table.label, fingerprint, restart=restart)
        done.append(_run(progress, lambda p, n, table=table: rotate_batch(table, p, n),
                         batch_size=batch_size, on_batch=on_batch))
    progress = _progress(Kind.FILES, CaseDocument._meta.label, fingerprint, restart=restart)
    done.append(_run(progress, rotate_documents_batch, batch_size=batch_size, on_batch=on_batch))
    return done


# --- Blind indexes -----------------------------------------------------------------------------------


def _client_keys(client: Client) -> dict[str, str]:
    if not client.family_name:
        # Erased (casework.privacy): nothing left to find the person by, so no index either.
        return dict.fromkeys(CLIENT_INDEXES, "")
    return name_keys(
        family_name=client.family_name,
        given_names=client.given_names,
        birth_year=client.date_of_birth.year if client.date_of_birth else None,
    )


def _employer_keys(employer: Employer) -> dict[str, str]:
    # The same key as casework.cases.services.employer_find_or_create computes on creation.
    return {"name_bidx": employer_name_key(employer.name) if employer.name else ""}


CLIENT_INDEXES = ("full_name_bidx", "family_name_bidx", "skeleton_bidx", "phonetic_bidx")
# Model -> (index columns, their values for one row under the current BLIND_INDEX_KEY).
REINDEXERS: dict[type[Model], tuple[tuple[str, ...], Callable[[Model], dict[str, str]]]] = {
    Client: (CLIENT_INDEXES, _client_keys),
    Employer: (("name_bidx",), _employer_keys),
}


def reindex_batch(model: type[Model], progress: RotationProgress, batch_size: int) -> int:
    """Recompute the blind indexes of the next `batch_size` rows (decrypting their names through the ORM)."""
    columns, compute = REINDEXERS[model]
    with transaction.atomic():
        rows = list(model.objects.select_for_update().filter(pk__gt=progress.last_pk).order_by("pk")[:batch_size])
        if not rows:
            return 0
        for row in rows:
            for name, value in compute(row).items():
                setattr(row, name, value)
        model.objects.bulk_update(rows, columns)
        _advance(progress, rows[-1].pk, len(rows))
    return len(rows)


def rebuild_blind_indexes(*, batch_size: int = BATCH_SIZE, restart: bool = False,
                          on_batch: OnBatch | None = None) -> list[RotationProgress]:
    """Recompute every blind index under the current BLIND_INDEX_KEY (after the operator replaced it)."""
    fingerprint = crypto.blind_index_key_fingerprint()
    done = []
    for model in REINDEXERS:
        progress = _progress(Kind.BLIND_INDEX, model._meta.label, fingerprint, restart=restart)
        done.append(_run(progress, lambda p, n, model=model: reindex_batch(model, p, n),
                         batch_size=batch_size, on_batch=on_batch))
    return done
