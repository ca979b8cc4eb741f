"""Row locks that serialise a check-then-write on something no constraint can guard (a person's second
factors, an organisation's employers and admins, a case's grants, a person being erased)."""

from django.db.models import Model


def lock_row(model: type[Model], pk, *, hold_off_new_references: bool = False) -> None:
    """Hold the row until the surrounding transaction ends. By default FOR NO KEY UPDATE, so rows that merely
    point at it (audit events, cases, notes) can still be inserted meanwhile; `hold_off_new_references`
    takes FOR UPDATE, which also makes such inserts wait."""
    if pk is not None:
        model.objects.select_for_update(no_key=not hold_off_new_references).filter(pk=pk).exists()
