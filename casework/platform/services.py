"""What a platform operator does: open an organisation with its first admin, suspend and reactivate an
organisation, and (from the command line) add another operator. Each is audited in its transaction; each
invitation goes by e-mail to the person it is for, never to the operator."""

import uuid

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.audit.models import Action
from casework.audit.services import audit_record
from casework.lib.locks import lock_row
from casework.orgs.models import Membership, Organisation, PlatformOperator
from casework.orgs.services import (
    InvitationNotSent, invitation_send, lock_username, member_create, member_invite, organisation_create,
)
from casework.platform import selectors

User = get_user_model()


def _person(username: str, email: str, *, prefix: str = "") -> tuple[str, str]:
    """A username and an e-mail address checked as the account's fields check them (errors keyed
    `prefix` + field name). The address is required: it is where the invitation goes."""
    errors, cleaned = {}, {}
    for name, value in (("username", username.strip()), ("email", email.strip())):
        try:
            cleaned[name] = User._meta.get_field(name).clean(value, None)
        except ValidationError as error:
            errors[prefix + name] = error.messages
    if not errors and not cleaned["email"]:
        errors[prefix + "email"] = [_("An e-mail address is needed: the invitation goes there.")]
    if errors:
        raise ValidationError(errors)
    return cleaned["username"], cleaned["email"]


def _language(language: str) -> str:
    if language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": _("Unknown language.")})
    return language


def organisation_open(
    *, name: str, slug: str, country: str, admin_username: str, admin_email: str, language: str, by,
    submission_token: uuid.UUID | None = None,
) -> Organisation:
    """Create an organisation and its first admin, who gets the set-password link by e-mail (in `language`,
    also their interface's until they choose). An admin sees no client data, so four-eyes has nothing to
    hold back. `by` is the operator (None for a deployment script). A repeated `submission_token` returns
    the organisation made the first time, and invites nobody again.

    The organisation and its admin are made together or not at all, and committed before the e-mail goes
    (member_invite: never while the trail is locked). A mail server that fails leaves them made and the admin
    uninvited: InvitationNotSent, with `organisation` set, and admin_invite sends it again. Call it outside
    a transaction."""
    admin_username, admin_email = _person(admin_username, admin_email, prefix="admin_")
    language = _language(language)
    with transaction.atomic():
        organisation = organisation_create(name=name, slug=slug, country=country, created_by=by,
                                           submission_token=submission_token)
        if organisation.memberships.exists():
            return organisation
        try:
            membership = member_create(organisation=organisation, username=admin_username,
                                       role=Membership.Role.ORG_ADMIN, email=admin_email, created_by=by)
        except ValidationError as error:
            raise ValidationError({f"admin_{field}": messages for field, messages in error.message_dict.items()}) from None
        membership.language = language
        membership.save(update_fields=["language"])
    try:
        member_invite(membership=membership, invited_by=by)
    except InvitationNotSent as error:
        error.organisation = organisation
        raise
    return organisation


def admin_invite(*, organisation: Organisation, by) -> int:
    """A new set-password e-mail to each of the organisation's admins who has not set a password yet: its
    first admin, whose invitation failed, was lost or expired. Returns how many were invited. An admin who
    has set one is invited again by another admin, from the members page. Call it outside a transaction
    (member_invite)."""
    admins = list(selectors.admins_to_invite(organisation))
    if not admins:
        raise ValidationError(_("Every admin of this organisation has set a password already."))
    for membership in admins:
        member_invite(membership=membership, invited_by=by)
    return len(admins)


@transaction.atomic
def organisation_suspend(*, organisation: Organisation, by) -> bool:
    """Keep every member of the organisation out: sign-in is refused and open sessions end at their next
    request (casework.access.membership, the session middleware). Its data stays as it is. Returns whether
    it changed anything (suspending a suspended organisation does not)."""
    return _set_suspended(organisation, timezone.now(), by=by, action=Action.ORG_SUSPEND)


@transaction.atomic
def organisation_reactivate(*, organisation: Organisation, by) -> bool:
    """Let the organisation's members sign in again. Returns whether it changed anything."""
    return _set_suspended(organisation, None, by=by, action=Action.ORG_REACTIVATE)


def _set_suspended(organisation: Organisation, when, *, by, action: str) -> bool:
    lock_row(Organisation, organisation.pk)
    organisation.refresh_from_db(fields=["suspended_at"])
    if (organisation.suspended_at is None) == (when is None):
        return False
    organisation.suspended_at = when
    organisation.save(update_fields=["suspended_at"])
    audit_record(actor=by, action=action, organisation=organisation)
    return True


@transaction.atomic
def operator_create(*, username: str, email: str, language: str, created_by=None) -> PlatformOperator:
    """A new platform operator: an account of no organisation, invited by e-mail to set its password."""
    username, email = _person(username, email)
    language = _language(language)
    lock_username(username)
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("This username is taken.")})
    user = User(username=username, email=email)
    user.set_unusable_password()
    user.save()
    operator = PlatformOperator.objects.create(user=user)
    operator_invite(operator=operator, language=language, invited_by=created_by)
    return operator


@transaction.atomic
def operator_invite(*, operator: PlatformOperator, language: str, invited_by=None) -> None:
    """E-mail the operator a set-password link (a new one for a lost invitation or a forgotten password)."""
    invitation_send(operator.user, language=_language(language))
    audit_record(actor=invited_by, action=Action.INVITATION, detail=f"operator={operator.pk}")
