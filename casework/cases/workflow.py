"""Writes of the case workflows: type details, status, notes, documents and the per-type records
(decisions, challenges, interim measures, wage claims). Kept apart from services.py, which opens,
shares and assigns cases."""

import datetime
import mimetypes
import secrets
import uuid
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.cases.models import (
    OUTCOMES_BY_TYPE,
    AsylumDecision,
    AsylumDetail,
    Case,
    CaseDocument,
    CaseNote,
    DeportationDetail,
    DomesticChallenge,
    Employer,
    InterimMeasure,
    StatusChange,
    WageClaim,
    WageDetail,
)
from casework.crypto import blind_index, encrypt_bytes, fold

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
DETAIL_MODELS = {Case.Type.ASYLUM: AsylumDetail, Case.Type.DEPORTATION: DeportationDetail, Case.Type.UNPAID_WAGES: WageDetail}
# Which per-type records a case of each type can hold.
RECORD_TYPES = {
    AsylumDecision: {Case.Type.ASYLUM},
    DomesticChallenge: {Case.Type.DEPORTATION, Case.Type.ASYLUM},
    InterimMeasure: {Case.Type.DEPORTATION, Case.Type.ASYLUM},
    WageClaim: {Case.Type.UNPAID_WAGES},
}
FUTURE_ALLOWED = {"scheduled_removal_at", "status_renewal_date", "reentry_ban_until", "detained_until"}
# A year outside these is a typing mistake (and year 1 cannot even be stored as a time of day in UTC).
PLAUSIBLE_YEARS = range(1900, 2101)


def check_dates(case: Case, values: dict, *, may_be_future=FUTURE_ALLOWED) -> None:
    """No date before the client's birth; none in the future except those that are scheduled by nature;
    no year no one could mean."""
    born = case.client.date_of_birth
    today = timezone.localdate()
    errors = {}
    for name, value in values.items():
        if isinstance(value, datetime.datetime):
            value = timezone.localdate(value) if timezone.is_aware(value) else value.date()
        if not isinstance(value, datetime.date):
            continue
        if value.year not in PLAUSIBLE_YEARS:
            errors[name] = _("Check the year of this date.")
        elif born and value < born:
            errors[name] = _("The date cannot be before the client's date of birth.")
        elif value > today and name not in may_be_future:
            errors[name] = _("The date cannot be in the future.")
    if errors:
        raise ValidationError(errors)


def details_create(*, case: Case, removal_kind: str = "") -> Model:
    """The empty type-detail row every new case gets, so its page can always show and edit it."""
    model = DETAIL_MODELS[case.case_type]
    extra = {"removal_kind": removal_kind or DeportationDetail.RemovalKind.DEPORTATION} if model is DeportationDetail else {}
    return model.objects.create(case=case, **extra)


def employer_name_key(name: str) -> str:
    """Blind index of an employer's name, the same in any script or spelling of the company form."""
    return blind_index("employer", fold(name))


def employer_find_or_create(*, organisation, name: str, director: str = "", address: str = "",
                            registration_number: str = "") -> Employer:
    """Employers are reused across the organisation's cases: the same name (in any script) finds the record."""
    key = employer_name_key(name)
    employer = Employer.objects.filter(organisation=organisation, name_bidx=key).first()
    if employer is None:
        employer = Employer.objects.create(
            organisation=organisation, name=name, director=director, address=address,
            registration_number=registration_number, name_bidx=key,
        )
    return employer


@transaction.atomic
def details_update(*, case: Case, **values) -> Model:
    """Save the type details of a case; wage cases may name a new employer by `new_employer_*` values."""
    check_dates(case, values)
    if case.case_type == Case.Type.UNPAID_WAGES:
        _check_wages(values)
        new_name = values.pop("new_employer_name", "").strip()
        employer_fields = {k.removeprefix("new_employer_"): values.pop(k) for k in list(values) if k.startswith("new_employer_")}
        if new_name:
            values["employer"] = employer_find_or_create(organisation=case.organisation, name=new_name, **employer_fields)
        elif values.get("employer") and values["employer"].organisation_id != case.organisation_id:
            raise ValidationError({"employer": _("Choose an employer of your organisation.")})
    detail = DETAIL_MODELS[case.case_type].objects.select_for_update().get(case=case)
    for name, value in values.items():
        setattr(detail, name, value)
    detail.full_clean()
    detail.save()
    return detail


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


def record_add(*, case: Case, model: type[Model], **values) -> Model:
    """Add a decision, challenge, interim-measure request or wage claim to a case of the right type."""
    if case.case_type not in RECORD_TYPES[model]:
        raise ValidationError(_("This kind of record does not belong to a case of this type."))
    check_dates(case, values)
    record = model(case=case, **values)
    record.full_clean()
    record.save()
    return record


def record_update(*, record: Model, **values) -> Model:
    check_dates(record.case, values)
    for name, value in values.items():
        setattr(record, name, value)
    record.full_clean()
    record.save()
    return record


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
    case.save(update_fields=["status", "outcome", "closed_on", "updated_at"])
    return case


def _waive_open_deadlines(case: Case, changed_by) -> None:
    """A closed case needs no more reminders: its open deadlines are waived, on record."""
    from casework.deadlines.models import Deadline
    from casework.deadlines.services import deadline_complete

    for deadline in Deadline.objects.filter(case=case, status=Deadline.Status.OPEN):
        deadline_complete(deadline=deadline, status=Deadline.Status.WAIVED, completed_by=changed_by,
                          note=_("The case was closed."))


def note_add(*, case: Case, text: str, author, submission_token: uuid.UUID | None = None) -> CaseNote:
    if submission_token and (existing := CaseNote.objects.filter(submission_token=submission_token).first()):
        return existing
    if not text.strip():
        raise ValidationError({"text": _("The note is empty.")})
    return CaseNote.objects.create(case=case, text=text, author=author, submission_token=submission_token)


def documents_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / "documents"


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
    storage_name = secrets.token_hex(16)
    folder = documents_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / storage_name
    path.write_bytes(encrypt_bytes(data))
    try:
        return CaseDocument.objects.create(
            case=case, title=title.strip() or Path(upload.name).stem, filename=Path(upload.name).name,
            content_type=content_type or mimetypes.guess_type(upload.name)[0] or "application/octet-stream",
            size=len(data), storage_name=storage_name, uploaded_by=uploaded_by,
        )
    except Exception:
        path.unlink(missing_ok=True)
        raise


def _is_text(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return b"\x00" not in data
