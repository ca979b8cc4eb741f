import datetime
import uuid

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm, remove_perm

from casework import access
from casework.cases.models import (
    SCHEDULED_EVENT_KINDS,
    Case,
    CaseEvent,
    CaseGroupObjectPermission,
    CaseUserObjectPermission,
    DeportationDetail,
    EventKind,
)
from casework.cases.workflow import check_dates, details_create
from casework.clients.models import Client
from casework.orgs.models import Organisation


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
    if submission_token and (existing := Case.objects.filter(submission_token=submission_token).first()):
        return existing
    if client.organisation_id != organisation.pk:
        raise ValidationError({"client": _("This client is not registered with your organisation.")})
    if case_type not in Case.Type.values:
        raise ValidationError({"case_type": _("Unknown case type.")})
    if case_type == Case.Type.DEPORTATION and removal_kind not in DeportationDetail.RemovalKind.values:
        raise ValidationError({"removal_kind": _("Choose the kind of removal.")})
    _check_assignee(organisation, assigned_to)
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
                case.save()
                details_create(case=case, removal_kind=removal_kind)
            return case
        except IntegrityError:
            if submission_token and (existing := Case.objects.filter(submission_token=submission_token).first()):
                return existing
            case.reference = Case._meta.get_field("reference").default()
    raise RuntimeError("Could not allocate a unique case reference.")


def case_update(*, case: Case, case_type: str, jurisdiction: str, is_sensitive: bool) -> Case:
    if case_type != case.case_type:
        raise ValidationError(
            {"case_type": _("The type of a case cannot be changed. Close this case and open a new one of the right type.")}
        )
    case.jurisdiction = jurisdiction
    case.is_sensitive = is_sensitive
    case.save(update_fields=["jurisdiction", "is_sensitive", "updated_at"])
    return case


def case_reassign(*, case: Case, assigned_to) -> Case:
    _check_assignee(case.organisation, assigned_to)
    case.assigned_to = assigned_to
    case.save(update_fields=["assigned_to", "updated_at"])
    return case


def _grantee(*, user, organisation: Organisation | None):
    if (user is None) == (organisation is None):
        raise ValueError("Grant to exactly one of a user or an organisation.")
    return user if user is not None else organisation.group


@transaction.atomic
def case_grant(*, case: Case, granted_by, level: str, user=None, organisation: Organisation | None = None) -> None:
    """Share one case with a named user or a partner organisation, for reading or editing."""
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


@transaction.atomic
def case_revoke(*, case: Case, user=None, organisation: Organisation | None = None) -> None:
    grantee = _grantee(user=user, organisation=organisation)
    for perm in access.GRANT_PERMS.values():
        remove_perm(perm, grantee, case)


def _check_event_date(case: Case, kind: str, occurred_on: datetime.date) -> None:
    check_dates(case, {"occurred_on": occurred_on}, may_be_future={"occurred_on"} if kind in SCHEDULED_EVENT_KINDS else ())


def event_record(
    *,
    case: Case,
    kind: str,
    occurred_on: datetime.date,
    recorded_by,
    note: str = "",
    submission_token: uuid.UUID | None = None,
) -> CaseEvent:
    """Add an event to the case's timeline. The deadlines it sets running are proposed, not created:
    the caseworker confirms them (casework.deadlines)."""
    if submission_token and (existing := CaseEvent.objects.filter(submission_token=submission_token).first()):
        return existing
    if kind not in EventKind.values:
        raise ValidationError({"kind": _("Unknown kind of event.")})
    _check_event_date(case, kind, occurred_on)
    return CaseEvent.objects.create(
        case=case, kind=kind, occurred_on=occurred_on, note=note, recorded_by=recorded_by,
        submission_token=submission_token,
    )


@transaction.atomic
def event_correct_date(*, event: CaseEvent, occurred_on: datetime.date, changed_by, reason: str) -> CaseEvent:
    """Correct an event's date; the deadlines it triggered are recomputed and the change recorded."""
    from casework.deadlines.services import deadlines_recompute_for_event

    if not reason.strip():
        raise ValidationError({"reason": _("Say why the date changes.")})
    _check_event_date(event.case, event.kind, occurred_on)
    previous = event.occurred_on
    event.occurred_on = occurred_on
    event.save(update_fields=["occurred_on"])
    deadlines_recompute_for_event(event=event, previous_date=previous, changed_by=changed_by, reason=reason)
    return event
