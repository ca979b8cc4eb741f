"""Writes for privacy: legal holds, erasure of a case's or a client's personal data, the retention run.

Erasure keeps what anonymous statistics need (case type, jurisdiction, dates, status, outcome, the
plain fields of the type details such as removal kind, sector, amounts and currency, event kinds and
dates, the client's nationality) and blanks every encrypted field of the case's records, found by
field class like key rotation finds them, so a field added later is erased without being listed here.
Documents go from disk and database. The client's encrypted fields, languages and blind indexes go
with their last case that still held data. Each erasure leaves an audit event with ids only.
"""

import functools

from celery import current_app
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Field, Model
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.audit.models import Action
from casework.audit.services import audit_record
from casework.cases.models import Case, CaseDocument
from casework.cases.services import case_set_status
from casework.clients.models import Client
from casework.lib.locks import lock_row
from casework.lib.storage import document_remove
from casework.privacy import selectors
from casework.privacy.models import Erasure, LegalHold
from casework.security.rotation import encrypted_tables

Reason = Erasure.Reason
# Plain client fields that are personal yet no statistic needs; nationality stays for migration statistics.
CLIENT_PLAIN_PERSONAL = ("languages",)
# Case ids per retention task: a task erases them one transaction each, well inside the time limit.
RETENTION_TASK_BATCH = 50
RETENTION_ERASE_TASK = "casework.privacy.retention_erase"


class ErasureRefused(ValidationError):
    """Erasure asked for a case on legal hold; the message says which case and why."""


def _lookup_to_case(model: type[Model]) -> str | None:
    """The lookup from a model to the case its rows belong to ("case", "deadline__case"), if any."""
    links = [f for f in model._meta.concrete_fields if f.many_to_one or f.one_to_one]
    for field in links:
        if field.related_model is Case:
            return field.name
    for field in links:
        for inner in field.related_model._meta.concrete_fields:
            if (inner.many_to_one or inner.one_to_one) and inner.related_model is Case:
                return f"{field.name}__{inner.name}"
    return None


@functools.cache
def case_personal_records() -> list[tuple[type[Model], str, tuple[Field, ...]]]:
    """(model, lookup to the case, encrypted fields) for every model whose encrypted fields belong to a case."""
    records = []
    for table in encrypted_tables():
        if (lookup := _lookup_to_case(table.model)) is not None:
            records.append((table.model, lookup, table.fields))
    return records


def _blanks(fields) -> dict[str, object]:
    """Encrypted empty values: the column keeps a valid token (an empty one), so reads still succeed."""
    return {field.name: None if field.null else "" for field in fields}


def _refusal(held: list[tuple[Case, list[str]]]) -> ErasureRefused:
    cases = "; ".join(f"{case.reference} ({', '.join(reasons)})" for case, reasons in held)
    return ErasureRefused(
        _("Nothing was erased: a case is on legal hold until what holds it is closed or released: %(cases)s.")
        % {"cases": cases}
    )


def _unlink_documents(storage_names: list[str]) -> None:
    for name in storage_names:
        document_remove(name)


def _erase_case(case: Case, *, actor, reason: str, request) -> Erasure:
    """Blank a locked, closed, unheld case's personal records and mark it erased."""
    documents = CaseDocument.objects.filter(case=case)
    storage_names = list(documents.values_list("storage_name", flat=True))
    documents.delete()
    # Files go once the deletion of their rows is committed: a rolled-back erasure keeps both.
    transaction.on_commit(functools.partial(_unlink_documents, storage_names), robust=True)
    for model, lookup, fields in case_personal_records():
        model.objects.filter(**{lookup: case}).update(**_blanks(fields))
    erasure, _created = Erasure.objects.update_or_create(
        case=case, defaults={"case_closed_on": case.closed_on, "reason": reason, "erased_at": timezone.now()}
    )
    audit_record(actor=actor, action=Action.ERASE, case=case, organisation=case.organisation, request=request,
                 detail=f"reason={reason}")
    return erasure


def _erase_client(client: Client, *, actor, reason: str, request) -> Erasure:
    encrypted = {table.model: table.fields for table in encrypted_tables()}
    indexes = [field.name for field in Client._meta.concrete_fields if field.name.endswith("_bidx")]
    Client.objects.filter(pk=client.pk).update(
        **_blanks(encrypted[Client]), **dict.fromkeys(CLIENT_PLAIN_PERSONAL, ""), **dict.fromkeys(indexes, "")
    )
    # The field history's old values too (a case's details and records go with the case's, by their lookup).
    history = Client.history.model
    history.objects.filter(id=client.pk).update(**_blanks(encrypted[history]), **dict.fromkeys(CLIENT_PLAIN_PERSONAL, ""))
    erasure, _created = Erasure.objects.update_or_create(
        client=client, defaults={"reason": reason, "erased_at": timezone.now()}
    )
    audit_record(actor=actor, action=Action.ERASE, client=client, organisation=client.organisation, request=request,
                 detail=f"client={client.public_id} reason={reason}")
    return erasure


def _lock_person(client_id: int | None) -> None:
    """Every erasure locks the person (the client row) before any of their cases, so two erasures of one
    person wait for each other instead of deadlocking, and no case is opened for them meanwhile. Only the
    row itself: locking the organisation's row too would hold up every insert that names it."""
    lock_row(Client, client_id, hold_off_new_references=True)


@transaction.atomic
def case_erase_personal_data(*, case: Case, actor, reason: str, request=None) -> Erasure:
    """Erase a closed case's personal data, and its client's if no other case of theirs still holds data.
    Refused while the case is on legal hold; a case already erased since its closing is left as it is."""
    _lock_person(case.client_id)
    case = Case.objects.select_for_update(of=("self",)).select_related("organisation", "client").get(pk=case.pk)
    if case.status != Case.Status.CLOSED:
        raise ValidationError(_("Only a closed case's personal data can be erased."))
    if erasure := selectors.case_erasure(case):
        return erasure
    if reasons := selectors.hold_reasons(case):
        raise _refusal([(case, reasons)])
    erasure = _erase_case(case, actor=actor, reason=reason, request=request)
    if not selectors.client_holds_other_data(case.client, besides=case):
        _erase_client(case.client, actor=actor, reason=reason, request=request)
    return erasure


@transaction.atomic
def client_erase_personal_data(*, client: Client, actor, request=None) -> None:
    """Erase a client's data at their request: every case of theirs and their own fields. Refused, with
    nothing erased, while any of their cases is on legal hold. Open cases are closed first as withdrawn:
    there is no working a case for someone whose data is gone."""
    _lock_person(client.pk)
    client = Client.objects.select_related("organisation").get(pk=client.pk)
    cases = list(Case.objects.select_for_update(of=("self",)).select_related("organisation").filter(client=client)
                 .order_by("pk"))
    held = [(case, reasons) for case in cases if (reasons := selectors.hold_reasons(case))]
    if held:
        raise _refusal(held)
    for case in cases:
        if case.status != Case.Status.CLOSED:
            case = case_set_status(case=case, status=Case.Status.CLOSED, changed_by=actor, outcome=Case.Outcome.WITHDRAWN)
        if selectors.case_erasure(case) is None:
            _erase_case(case, actor=actor, reason=Reason.REQUEST, request=request)
    _erase_client(client, actor=actor, reason=Reason.REQUEST, request=request)


# --- Legal holds ---------------------------------------------------------------------------------------


@transaction.atomic
def legal_hold_place(*, case: Case, reason: str, placed_by) -> LegalHold:
    """Keep a case's personal data past retention until released. The case row is locked, so a retention
    erasure running at the same moment either finishes first or sees the hold, and the same hold placed
    twice (a double click) is placed once: the second finds it and returns it."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the case's personal data must be kept.")})
    if selectors.case_erasure(case) is not None:
        raise ValidationError(_("The personal data of this case has already been erased."))
    for hold in case.legal_holds.filter(released_at__isnull=True):  # a few at most; the reason is encrypted
        if hold.reason == reason.strip():
            return hold
    hold = LegalHold.objects.create(case=case, reason=reason.strip(), placed_by=placed_by)
    audit_record(actor=placed_by, action=Action.LEGAL_HOLD_PLACE, case=case, organisation=case.organisation,
                 detail=f"hold={hold.pk}")
    return hold


@transaction.atomic
def legal_hold_release(*, hold: LegalHold, released_by) -> LegalHold:
    hold = LegalHold.objects.select_for_update().get(pk=hold.pk)
    if hold.released_at is not None:
        raise ValidationError(_("This hold was already released."))
    hold.released_at, hold.released_by = timezone.now(), released_by
    hold.save(update_fields=["released_at", "released_by"])
    audit_record(actor=released_by, action=Action.LEGAL_HOLD_RELEASE, case=hold.case,
                 organisation=hold.case.organisation, detail=f"hold={hold.pk}")
    return hold


# --- Subject access ------------------------------------------------------------------------------------


@transaction.atomic
def subject_access_export(*, client: Client, exported_by) -> tuple[list[tuple[str, str]], list[selectors.CaseExport]]:
    """Everything held about a client, for the file handed to them, with the export on record."""
    export = selectors.subject_access_export(client)
    audit_record(actor=exported_by, action=Action.EXPORT, client=client, organisation=client.organisation,
                 detail=f"client={client.public_id}")
    return export


# --- Retention -----------------------------------------------------------------------------------------


def retention_sweep(*, today=None) -> tuple[int, int]:
    """Enqueue the erasure of every case and client past retention (ids only); returns how many of each.
    Each erasure re-checks under a lock, so overlapping or repeated sweeps erase nothing twice."""
    retention_erase = current_app.tasks[RETENTION_ERASE_TASK]  # registered by casework.privacy.tasks
    today = today or timezone.localdate()
    case_ids = list(selectors.cases_due_for_erasure(today).values_list("pk", flat=True))
    client_ids = list(selectors.clients_due_for_erasure(today).values_list("pk", flat=True))
    for start in range(0, len(case_ids), RETENTION_TASK_BATCH):
        retention_erase.delay(case_ids=case_ids[start:start + RETENTION_TASK_BATCH], client_ids=[])
    for start in range(0, len(client_ids), RETENTION_TASK_BATCH):
        retention_erase.delay(case_ids=[], client_ids=client_ids[start:start + RETENTION_TASK_BATCH])
    return len(case_ids), len(client_ids)


@transaction.atomic
def retention_erase_case(*, case_id: int, today=None) -> bool:
    """Erase one case if it is still due (closed past retention, not erased, not held); False if not."""
    today = today or timezone.localdate()
    _lock_person(Case.objects.filter(pk=case_id).values_list("client_id", flat=True).first())
    case = selectors.cases_due_for_erasure(today).select_for_update(of=("self",)).filter(pk=case_id).first()
    if case is None:
        return False
    case_erase_personal_data(case=case, actor=None, reason=Reason.RETENTION)
    return True


@transaction.atomic
def retention_erase_client(*, client_id: int, today=None) -> bool:
    """Erase a client who never had a case, if still due; False if not."""
    today = today or timezone.localdate()
    client = selectors.clients_due_for_erasure(today).select_for_update(of=("self",)).filter(pk=client_id).first()
    if client is None:
        return False
    _erase_client(client, actor=None, reason=Reason.RETENTION, request=None)
    return True


def retention_run(*, today=None) -> tuple[int, int]:
    """Erase everything due now, in this process (manage.py retention); returns cases and clients erased."""
    today = today or timezone.localdate()
    cases = sum(retention_erase_case(case_id=pk, today=today)
                for pk in list(selectors.cases_due_for_erasure(today).values_list("pk", flat=True)))
    clients = sum(retention_erase_client(client_id=pk, today=today)
                  for pk in list(selectors.clients_due_for_erasure(today).values_list("pk", flat=True)))
    return cases, clients
