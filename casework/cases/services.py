import datetime
import uuid

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm, remove_perm

from casework import access
from casework.cases.models import Case, CaseGroupObjectPermission, CaseUserObjectPermission
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
    submission_token: uuid.UUID | None = None,
) -> Case:
    """Open a case. A repeated `submission_token` (double submit) returns the case it already opened."""
    if submission_token and (existing := Case.objects.filter(submission_token=submission_token).first()):
        return existing
    if client.organisation_id != organisation.pk:
        raise ValidationError({"client": _("This client is not registered with your organisation.")})
    if case_type not in Case.Type.values:
        raise ValidationError({"case_type": _("Unknown case type.")})
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
            return case
        except IntegrityError:
            if submission_token and (existing := Case.objects.filter(submission_token=submission_token).first()):
                return existing
            case.reference = Case._meta.get_field("reference").default()
    raise RuntimeError("Could not allocate a unique case reference.")


def case_update(*, case: Case, jurisdiction: str, is_sensitive: bool) -> Case:
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
