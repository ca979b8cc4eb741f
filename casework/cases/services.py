"""Writes of cases: opening, editing, sharing and assigning them, their timeline, type details, status,
notes, documents and per-type records (decisions, challenges, interim measures, wage claims).

Cases come before deadlines: closing a case and correcting an event's date act on the deadlines through
casework.deadlines.services, which itself needs only the case models."""

import datetime
import mimetypes
import uuid
from decimal import Decimal
from pathlib import Path

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm, remove_perm

from casework import access
from casework.audit.models import Action
from casework.audit.services import audit_record
from casework.cases.models import (
    DETAIL_MODELS,
    OUTCOMES_BY_TYPE,
    RECORD_TYPES,
    SCHEDULED_EVENT_KINDS,
    Case,
    CaseDocument,
    CaseEvent,
    CaseGroupObjectPermission,
    CaseNote,
    CaseUserObjectPermission,
    DeportationDetail,
    Employer,
    EventKind,
    StatusChange,
)
from casework.clients.models import Client
from casework.crypto import blind_index, fold
from casework.deadlines.models import Deadline
from casework.deadlines.services import (
    deadline_complete,
    deadlines_recompute_for_event,
    lock_case,
    proposals_dismiss_for_closed_case,
    proposals_sync,
)
from casework.lib.dates import require_plausible
from casework.lib.idempotency import replayed, replayed_or_refuse
from casework.lib.locks import lock_row
from casework.lib.storage import document_remove, document_store
from casework.orgs.models import Organisation

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
# Extension -> (content type, leading bytes the file must start with, or None for plain text).
DOCUMENT_TYPES = {
    ".pdf": ("application/pdf", b"%PDF"),
    ".jpg": ("image/jpeg", b"\xff\xd8\xff"),
    ".jpeg": ("image/jpeg", b"\xff\xd8\xff"),
    ".png": ("image/png", b"\x89PNG"),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", b"PK\x03\x04"),
    ".odt": ("application/vnd.oasis.opendocument.text", b"PK\x03\x04"),
    ".txt": ("text/plain", None),
}
FUTURE_ALLOWED = {"scheduled_removal_at", "status_renewal_date", "reentry_ban_until", "detained_until"}


def check_dates(case: Case, values: dict, *, may_be_future=FUTURE_ALLOWED) -> None:
    """No date before the client's birth; none in the future except those that are scheduled by nature;
    no year no one could mean (casework.lib.dates)."""
    require_plausible(**values)
    born = case.client.date_of_birth
    today = timezone.localdate()
    errors = {}
    for name, value in values.items():
        if isinstance(value, datetime.datetime):
            value = timezone.localdate(value) if timezone.is_aware(value) else value.date()
        if not isinstance(value, datetime.date):
            continue
        if born and value < born:
            errors[name] = _("The date cannot be before the client's date of birth.")
        elif value > today and name not in may_be_future:
            errors[name] = _("The date cannot be in the future.")
    if errors:
        raise ValidationError(errors)


def _details_create(*, case: Case, created_by, removal_kind: str = "") -> Model:
    """The empty type-detail row every new case gets, so its page can always show and edit it."""
    model = DETAIL_MODELS[case.case_type]
    extra = {"removal_kind": removal_kind or DeportationDetail.RemovalKind.DEPORTATION} if model is DeportationDetail else {}
    detail = model(case=case, **extra)
    _save_as(detail, created_by)
    return detail


def employer_name_key(name: str) -> str:
    """Blind index of an employer's name, the same in any script or spelling of the company form."""
    return blind_index("employer", fold(name))


def _employer_find_or_create(*, organisation, name: str, director: str = "", address: str = "",
                            registration_number: str = "") -> Employer:
    """Employers are reused across the organisation's cases: the same name (in any script) finds the record.
    The organisation's row is locked first, so two people naming the same new employer at once make one."""
    lock_row(Organisation, organisation.pk)
    key = employer_name_key(name)
    employer = Employer.objects.filter(organisation=organisation, name_bidx=key).first()
    if employer is None:
        employer = Employer.objects.create(
            organisation=organisation, name=name, director=director, address=address,
            registration_number=registration_number, name_bidx=key,
        )
    return employer


@transaction.atomic
def details_update(*, case: Case, changed_by, **values) -> Model:
    """Save the type details of a case; wage cases may name a new employer by `new_employer_*` values. A
    scheduled removal is copied onto the case (Case.removal_at)."""
    check_dates(case, values)
    if case.case_type == Case.Type.UNPAID_WAGES:
        _check_wages(values)
        new_name = values.pop("new_employer_name", "").strip()
        employer_fields = {k.removeprefix("new_employer_"): values.pop(k) for k in list(values) if k.startswith("new_employer_")}
        if new_name:
            values["employer"] = _employer_find_or_create(organisation=case.organisation, name=new_name, **employer_fields)
        elif values.get("employer") and values["employer"].organisation_id != case.organisation_id:
            raise ValidationError({"employer": _("Choose an employer of your organisation.")})
    detail = DETAIL_MODELS[case.case_type].objects.select_for_update().get(case=case)
    for name, value in values.items():
        setattr(detail, name, value)
    detail.full_clean()
    _save_as(detail, changed_by)
    if case.case_type == Case.Type.DEPORTATION:
        Case.objects.filter(pk=case.pk).update(removal_at=detail.scheduled_removal_at)
    audit_record(actor=changed_by, action=Action.DETAILS_UPDATE, case=case)
    return detail


def _save_as(instance: Model, changed_by, **kwargs) -> None:
    """Save, naming who did it for the field history (django-simple-history reads `_history_user`)."""
    instance._history_user = changed_by
    instance.save(**kwargs)


def _check_wages(values: dict) -> None:
    errors = {}
    for name in ("amount_owed", "amount_recovered"):
        if values.get(name) is not None and values[name] < Decimal(0):
            errors[name] = _("An amount cannot be negative.")
    start, end = values.get("work_from"), values.get("work_to")
    if start and end and end < start:
        errors["work_to"] = _("The work cannot end before it began.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def record_add(*, case: Case, model: type[Model], changed_by, **values) -> Model:
    """Add a decision, challenge, interim-measure request or wage claim to a case of the right type."""
    if case.case_type not in RECORD_TYPES[model]:
        raise ValidationError(_("This kind of record does not belong to a case of this type."))
    check_dates(case, values)
    record = model(case=case, **values)
    record.full_clean()
    _save_as(record, changed_by)
    audit_record(actor=changed_by, action=Action.RECORD_ADD, case=case, detail=_record_detail(record))
    return record


@transaction.atomic
def record_update(*, record: Model, changed_by, **values) -> Model:
    check_dates(record.case, values)
    for name, value in values.items():
        setattr(record, name, value)
    record.full_clean()
    _save_as(record, changed_by)
    audit_record(actor=changed_by, action=Action.RECORD_UPDATE, case=record.case, detail=_record_detail(record))
    return record


def _record_detail(record: Model) -> str:
    return f"{record._meta.model_name}={record.pk}"


@transaction.atomic
def case_set_status(*, case: Case, status: str, changed_by, outcome: str = "", reason: str = "") -> Case:
    """Move a case between open, active and closed. Closing needs an outcome of the case's type;
    reopening needs a reason. Every move is recorded."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if status not in Case.Status.values:
        raise ValidationError({"status": _("Unknown status.")})
    if status == case.status:
        raise ValidationError({"status": _("The case already has this status.")})
    if status == Case.Status.CLOSED:
        if outcome not in OUTCOMES_BY_TYPE[case.case_type]:
            raise ValidationError({"outcome": _("Choose the outcome of the case to close it.")})
        case.outcome, case.closed_on = outcome, timezone.localdate()
    elif case.status == Case.Status.CLOSED:
        if not reason.strip():
            raise ValidationError({"reason": _("Say why the case is reopened.")})
        case.outcome, case.closed_on = "", None
    if status == Case.Status.CLOSED:
        _waive_open_deadlines(case, changed_by)
    StatusChange.objects.create(
        case=case, from_status=case.status, to_status=status, outcome=case.outcome, reason=reason, changed_by=changed_by
    )
    case.status = status
    _save_as(case, changed_by, update_fields=["status", "outcome", "closed_on", "updated_at"])
    audit_record(actor=changed_by, action=Action.CASE_STATUS, case=case, detail=f"status={status}")
    return case


def _waive_open_deadlines(case: Case, changed_by) -> None:
    """A closed case needs no more reminders: its open deadlines are waived and its proposals dismissed,
    on record."""
    for deadline in Deadline.objects.filter(case=case, status=Deadline.Status.OPEN):
        deadline_complete(deadline=deadline, status=Deadline.Status.WAIVED, completed_by=changed_by,
                          note=_("The case was closed."))
    proposals_dismiss_for_closed_case(case=case, dismissed_by=changed_by)


@transaction.atomic
def note_add(*, case: Case, text: str, author, submission_token: uuid.UUID | None = None) -> CaseNote:
    """Add a note; a repeated `submission_token` returns the note it already added (and records nothing)."""
    if existing := replayed(case.notes.all(), submission_token):
        return existing
    if not text.strip():
        raise ValidationError({"text": _("The note is empty.")})
    try:
        with transaction.atomic():
            note = CaseNote.objects.create(case=case, text=text, author=author, submission_token=submission_token)
    except IntegrityError:
        return replayed_or_refuse(case.notes.all(), submission_token)
    audit_record(actor=author, action=Action.NOTE_ADD, case=case, detail=f"note={note.pk}")
    return note


def document_upload(*, case: Case, upload, title: str, uploaded_by) -> CaseDocument:
    """Store an upload encrypted on disk. Only known document types within the size limit are taken,
    and the file must really be what its name says."""
    suffix = Path(upload.name).suffix.lower()
    if suffix not in DOCUMENT_TYPES:
        raise ValidationError({"upload": _("Upload a PDF, JPEG, PNG, DOCX, ODT or TXT file.")})
    if upload.size > MAX_DOCUMENT_BYTES:
        raise ValidationError({"upload": _("The file is larger than 10 MB.")})
    data = upload.read()
    content_type, magic = DOCUMENT_TYPES[suffix]
    if not data or (magic and not data.startswith(magic)) or (magic is None and not _is_text(data)):
        raise ValidationError({"upload": _("The file's content does not match its type.")})
    storage_name = document_store(data)
    try:
        with transaction.atomic():
            document = CaseDocument.objects.create(
                case=case, title=title.strip() or Path(upload.name).stem, filename=Path(upload.name).name,
                content_type=content_type or mimetypes.guess_type(upload.name)[0] or "application/octet-stream",
                size=len(data), storage_name=storage_name, uploaded_by=uploaded_by,
            )
            audit_record(actor=uploaded_by, action=Action.DOCUMENT_UPLOAD, case=case, detail=f"document={document.pk}")
    except Exception:
        document_remove(storage_name)
        raise
    return document


def _is_text(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return b"\x00" not in data


def _check_assignee(organisation: Organisation, assigned_to) -> None:
    if not access.assignable_members(organisation.pk).filter(user=assigned_to).exists():
        raise ValidationError({"assigned_to": _("Choose a caseworker or coordinator of your organisation.")})


def case_create(
    *,
    organisation: Organisation,
    client: Client,
    case_type: str,
    jurisdiction: str,
    assigned_to,
    created_by,
    is_sensitive: bool = False,
    opened_on: datetime.date | None = None,
    removal_kind: str = "",
    submission_token: uuid.UUID | None = None,
) -> Case:
    """Open a case with its empty type details. A repeated `submission_token` (double submit) returns
    the case it already opened."""
    if existing := replayed(Case.objects.filter(organisation=organisation), submission_token):
        return existing
    if client.organisation_id != organisation.pk:
        raise ValidationError({"client": _("This client is not registered with your organisation.")})
    if case_type not in Case.Type.values:
        raise ValidationError({"case_type": _("Unknown case type.")})
    if case_type == Case.Type.DEPORTATION and removal_kind not in DeportationDetail.RemovalKind.values:
        raise ValidationError({"removal_kind": _("Choose the kind of removal.")})
    _check_assignee(organisation, assigned_to)
    require_plausible(opened_on=opened_on)
    case = Case(
        organisation=organisation,
        client=client,
        case_type=case_type,
        jurisdiction=jurisdiction,
        assigned_to=assigned_to,
        created_by=created_by,
        is_sensitive=is_sensitive,
        opened_on=opened_on or timezone.localdate(),
        submission_token=submission_token,
    )
    for _attempt in range(5):
        try:
            with transaction.atomic():
                _save_as(case, created_by)
                _details_create(case=case, created_by=created_by, removal_kind=removal_kind)
                audit_record(actor=created_by, action=Action.CASE_CREATE, case=case, client=client,
                             detail=f"type={case_type}")
            return case
        except IntegrityError:
            if submission_token and Case.objects.filter(submission_token=submission_token).exists():
                return replayed_or_refuse(Case.objects.filter(organisation=organisation), submission_token)
            case.reference = Case._meta.get_field("reference").default()
    raise RuntimeError("Could not allocate a unique case reference.")


@transaction.atomic
def case_update(*, case: Case, changed_by, case_type: str, jurisdiction: str, is_sensitive: bool) -> Case:
    if case_type != case.case_type:
        raise ValidationError(
            {"case_type": _("The type of a case cannot be changed. Close this case and open a new one of the right type.")}
        )
    was_sensitive = case.is_sensitive
    case.jurisdiction = jurisdiction
    case.is_sensitive = is_sensitive
    _save_as(case, changed_by, update_fields=["jurisdiction", "is_sensitive", "updated_at"])
    detail = f"sensitive={'yes' if is_sensitive else 'no'}" if was_sensitive != is_sensitive else ""
    audit_record(actor=changed_by, action=Action.CASE_UPDATE, case=case, detail=detail)
    return case


@transaction.atomic
def case_reassign(*, case: Case, assigned_to, changed_by) -> Case:
    _check_assignee(case.organisation, assigned_to)
    case.assigned_to = assigned_to
    _save_as(case, changed_by, update_fields=["assigned_to", "updated_at"])
    Deadline.objects.filter(case=case).update(assigned_to=assigned_to)  # the dashboard counts by this copy
    audit_record(actor=changed_by, action=Action.CASE_REASSIGN, case=case, detail=f"assignee={assigned_to.pk}")
    return case


def _grantee(*, user, organisation: Organisation | None):
    if (user is None) == (organisation is None):
        raise ValueError("Grant to exactly one of a user or an organisation.")
    return user if user is not None else organisation.group


@transaction.atomic
def case_grant(*, case: Case, granted_by, level: str, user=None, organisation: Organisation | None = None) -> None:
    """Share one case with a named user or a partner organisation, for reading or editing. Grants and
    revocations of a case take turns (its row is locked), so the last one decided is what stays."""
    if level not in access.GRANT_PERMS:
        raise ValidationError({"level": _("Choose read or edit.")})
    if organisation is not None and organisation.pk == case.organisation_id:
        raise ValidationError({"organisation": _("The case already belongs to this organisation.")})
    if user is not None and not user.is_active:
        raise ValidationError({"user": _("This user is deactivated.")})
    if user is not None and user.pk == granted_by.pk:
        # An admin's role gives no client data; granting a case to oneself would get round that.
        raise ValidationError({"user": _("You cannot share a case with yourself.")})
    grantee = _grantee(user=user, organisation=organisation)
    lock_case(case.pk)
    wanted = {access.GRANT_PERMS[access.VIEW]} | ({access.GRANT_PERMS[access.EDIT]} if level == access.EDIT else set())
    for perm in set(access.GRANT_PERMS.values()) - wanted:
        remove_perm(perm, grantee, case)
    for perm in wanted:
        assign_perm(perm, grantee, case)
    rows = (
        CaseGroupObjectPermission.objects.filter(group=grantee)
        if isinstance(grantee, Group)
        else CaseUserObjectPermission.objects.filter(user=grantee)
    )
    rows.filter(content_object=case).update(granted_by=granted_by, granted_at=timezone.now())
    audit_record(actor=granted_by, action=Action.GRANT, case=case, detail=f"{_grantee_detail(user, organisation)} level={level}")


@transaction.atomic
def case_revoke(*, case: Case, revoked_by, user=None, organisation: Organisation | None = None) -> None:
    grantee = _grantee(user=user, organisation=organisation)
    lock_case(case.pk)
    for perm in access.GRANT_PERMS.values():
        remove_perm(perm, grantee, case)
    audit_record(actor=revoked_by, action=Action.REVOKE, case=case, detail=_grantee_detail(user, organisation))


def _grantee_detail(user, organisation: Organisation | None) -> str:
    return f"user={user.pk}" if user is not None else f"organisation={organisation.pk}"


def _check_event_date(case: Case, kind: str, occurred_on: datetime.date) -> None:
    check_dates(case, {"occurred_on": occurred_on}, may_be_future={"occurred_on"} if kind in SCHEDULED_EVENT_KINDS else ())


@transaction.atomic
def event_record(
    *,
    case: Case,
    kind: str,
    occurred_on: datetime.date,
    recorded_by,
    note: str = "",
    submission_token: uuid.UUID | None = None,
) -> CaseEvent:
    """Add an event to the case's timeline. The deadlines it sets running are proposed, not created: they
    wait, counted and reminded, for the caseworker to confirm or dismiss them (casework.deadlines)."""
    if existing := replayed(case.events.all(), submission_token):
        return existing
    if kind not in EventKind.values:
        raise ValidationError({"kind": _("Unknown kind of event.")})
    _check_event_date(case, kind, occurred_on)
    try:
        with transaction.atomic():
            event = CaseEvent.objects.create(
                case=case, kind=kind, occurred_on=occurred_on, note=note, recorded_by=recorded_by,
                submission_token=submission_token,
            )
    except IntegrityError:
        return replayed_or_refuse(case.events.all(), submission_token)
    proposals_sync(case=case, proposed_by=recorded_by, event=event)
    audit_record(actor=recorded_by, action=Action.EVENT_RECORD, case=case, detail=f"event={event.pk} kind={kind}")
    return event


@transaction.atomic
def event_correct_date(*, event: CaseEvent, occurred_on: datetime.date, changed_by, reason: str) -> CaseEvent:
    """Correct an event's date; the deadlines it triggered are recomputed and the change recorded."""
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the date changes.")})
    _check_event_date(event.case, event.kind, occurred_on)
    previous = event.occurred_on
    event.occurred_on = occurred_on
    event.save(update_fields=["occurred_on"])  # the event's row, then its case's: the deadlines' lock order
    lock_case(event.case_id)
    deadlines_recompute_for_event(event=event, previous_date=previous, changed_by=changed_by, reason=reason)
    audit_record(actor=changed_by, action=Action.EVENT_CORRECT, case=event.case, detail=f"event={event.pk}")
    return event
