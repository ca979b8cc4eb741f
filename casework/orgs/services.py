import logging
import smtplib
import uuid

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from casework import access
from casework.audit.models import Action
from casework.audit.services import audit_record
from casework.deadlines.models import Notification
from casework.deadlines.services import notifications_deliver
from casework.lib.idempotency import replayed
from casework.lib.locks import lock_key, lock_row
from casework.orgs.models import Membership, Organisation, RoleRequest

User = get_user_model()
log = logging.getLogger(__name__)


# What an organisation's admin sets on the settings page, in the order shown: fields of Organisation, whose
# labels, help texts and validators the page and organisation_settings_update use. A new setting is one
# more name here.
ORGANISATION_SETTINGS = ("reminder_emails", "idle_timeout_minutes", "retention_years", "four_eyes", "quick_exit_url")


@transaction.atomic
def organisation_create(
    *, name: str, slug: str, country: str, created_by, submission_token: uuid.UUID | None = None
) -> Organisation:
    """A new organisation (with the group its shared cases are granted to), recorded as created by
    `created_by` (a platform operator; None for a deployment script). Names and slugs are unique whatever
    their case; a repeated `submission_token` (double submit) returns the organisation it already made."""
    name, slug = name.strip(), slug.strip().lower()
    organisation = Organisation(name=name, slug=slug, country=country, submission_token=submission_token)
    try:
        organisation.full_clean(exclude=["group"], validate_unique=False)
    except ValidationError as error:
        raise ValidationError(error.message_dict) from None
    lock_key("organisation-create")  # one at a time: the checks below then see every earlier one
    if existing := replayed(Organisation.objects.all(), submission_token):
        return existing
    taken = {}
    if Organisation.objects.filter(name__iexact=name).exists():
        taken["name"] = _("An organisation with this name exists already.")
    if Organisation.objects.filter(slug__iexact=slug).exists() or Group.objects.filter(name=f"org:{slug}").exists():
        taken["slug"] = _("This short name is taken by another organisation.")
    if taken:
        raise ValidationError(taken)
    organisation.group = Group.objects.create(name=f"org:{slug}")
    organisation.save()
    audit_record(actor=created_by, action=Action.ORG_CREATE, organisation=organisation)
    return organisation


@transaction.atomic
def organisation_settings_update(*, organisation: Organisation, changed_by, **values) -> list[str]:
    """Change some of ORGANISATION_SETTINGS, each checked against its field's validators; returns the names
    that changed (none: nothing saved or recorded). The row is locked, so two admins saving at once each
    record what they changed. Turning four-eyes off is named in the trail (the page asks to confirm it)."""
    if unknown := set(values) - set(ORGANISATION_SETTINGS):
        raise TypeError(f"Not an organisation setting: {sorted(unknown)}")
    errors, cleaned = {}, {}
    for name, value in values.items():
        try:
            cleaned[name] = Organisation._meta.get_field(name).clean(value, organisation)
        except ValidationError as error:
            errors[name] = error.messages
    if errors:
        raise ValidationError(errors)
    lock_row(Organisation, organisation.pk)
    organisation.refresh_from_db(fields=list(ORGANISATION_SETTINGS))
    changed = [name for name in ORGANISATION_SETTINGS if name in cleaned and cleaned[name] != getattr(organisation, name)]
    if not changed:
        return []
    for name in changed:
        setattr(organisation, name, cleaned[name])
    organisation.save(update_fields=changed)
    detail = "changed=" + "-".join(changed)
    if "four_eyes" in changed:
        detail += " four_eyes=" + ("on" if organisation.four_eyes else "off")
    audit_record(actor=changed_by, action=Action.ORG_SETTINGS, organisation=organisation, detail=detail)
    return changed


@transaction.atomic
def member_create(
    *,
    organisation: Organisation,
    username: str,
    role: str,
    created_by,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    password: str | None = None,
) -> Membership:
    """Create a user in the organisation. Without a password the account waits for its invitation
    (member_invite). `created_by` is the admin who adds them, or None for a script at the shell.

    A caseworker or coordinator added by an admin of a four-eyes organisation starts inactive (cannot sign
    in), waiting for a coordinator's confirmation (RoleRequest); one given such a role at once by an admin is
    told to the coordinators."""
    if role not in Membership.Role.values:
        raise ValidationError({"role": _("Unknown role.")})
    lock_username(username)
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("This username is taken.")})
    _lock_organisation(organisation)
    gains = access.gains_client_data(role=role, was_role=None, was_active=False)
    waits = gains and _four_eyes(organisation, created_by)
    user = User(username=username, first_name=first_name, last_name=last_name, email=email, is_active=not waits)
    user.set_password(password) if password else user.set_unusable_password()
    user.save()
    membership = Membership.objects.create(user=user, organisation=organisation, role=role, is_active=not waits)
    if waits:
        request = _role_request_open(membership, role=role, requested_by=created_by)
    else:
        _groups_follow_role(membership)
        if gains and created_by is not None:
            _tell_coordinators(membership, Notification.Kind.ROLE_GAINED)
    audit_record(actor=created_by, action=Action.MEMBER_CREATE, organisation=organisation,
                 detail=f"member={membership.pk} role={role}")
    if waits:
        _audit_request(request, Action.ROLE_REQUEST, actor=created_by)
    return membership


def lock_username(username: str) -> None:
    """Until the transaction ends, one writer per username in any case ("Alice", "alice"): the second of two
    people creating it at once then finds it taken."""
    lock_key("username:" + username.lower())


def _lock_organisation(organisation: Organisation) -> None:
    """Changes to an organisation's members take turns (its row is locked): two admins demoting each other at
    once cannot leave it with none, and two coordinators deciding one request (or a decision racing its
    withdrawal) give one outcome. The settings are re-read as they are now."""
    lock_row(Organisation, organisation.pk)
    organisation.refresh_from_db(fields=["four_eyes", "reminder_emails", "suspended_at"])


def _lock_members(membership: Membership) -> None:
    """_lock_organisation, then the membership re-read as the other change left it."""
    _lock_organisation(membership.organisation)
    membership.refresh_from_db(fields=["role", "is_active"])


def _four_eyes(organisation: Organisation, actor) -> bool:
    """Whether a client-data role asked for by `actor` waits for a coordinator. A script at the shell (no
    actor: seed data, a deployment) has nobody to ask and nobody to warn, since whoever runs it could change
    the database anyway; its writes stand in the trail without an actor."""
    return organisation.four_eyes and actor is not None


def _groups_follow_role(membership: Membership) -> None:
    """Cases shared with the organisation reach its caseworkers and coordinators, never an admin by role."""
    if membership.role == Membership.Role.ORG_ADMIN:
        membership.user.groups.remove(membership.organisation.group)
    else:
        membership.user.groups.add(membership.organisation.group)


def _tell_coordinators(membership: Membership, kind: str, *, told_by=None) -> None:
    """A content-free notice to every active coordinator of the organisation (not the member themselves, nor
    the coordinator who just confirmed it, `told_by`): how
    many requests wait (ROLE_PENDING), or that one more member reaches client data (ROLE_GAINED). E-mailed
    where the organisation sends reminder e-mails and is not suspended (notifications_deliver)."""
    organisation = membership.organisation
    count = 1
    if kind == Notification.Kind.ROLE_PENDING:
        count = RoleRequest.objects.filter(membership__organisation=organisation,
                                           status=RoleRequest.Status.PENDING).count()
    now = timezone.now()
    coordinators = (access.active_coordinators(organisation.pk).exclude(user_id=membership.user_id)
                    .exclude(user_id=getattr(told_by, "pk", None)).select_related("user"))
    notifications_deliver([Notification(recipient=m.user, kind=kind, count=count, created_at=now) for m in coordinators],
                          organisation=organisation, now=now)


def _pending_request(membership: Membership) -> RoleRequest | None:
    return membership.role_requests.filter(status=RoleRequest.Status.PENDING).first()


def _role_request_open(membership: Membership, *, role: str, requested_by) -> RoleRequest:
    """The request that holds a client-data role back until a coordinator confirms it (audited by the caller,
    last). The coordinators are told."""
    request = RoleRequest.objects.create(membership=membership, role=role, requested_by=requested_by,
                                         requested_at=timezone.now())
    _tell_coordinators(membership, Notification.Kind.ROLE_PENDING)
    return request


def _audit_request(request: RoleRequest, action: str, *, actor) -> None:
    audit_record(actor=actor, action=action, organisation=request.membership.organisation,
                 detail=f"member={request.membership_id} request={request.pk} role={request.role}")


def invitation_path(user) -> str:
    """Where a member sets their own password, once (Django's password-reset link): e-mailed to them by
    member_invite, or printed for a deployment script."""
    return reverse(
        "password_reset_confirm",
        kwargs={"uidb64": urlsafe_base64_encode(force_bytes(user.pk)), "token": default_token_generator.make_token(user)},
    )


def _ensure_an_admin_remains(membership: Membership) -> None:
    others = Membership.objects.filter(
        organisation_id=membership.organisation_id, role=Membership.Role.ORG_ADMIN, is_active=True
    ).exclude(pk=membership.pk)
    if membership.role == Membership.Role.ORG_ADMIN and not others.exists():
        raise ValidationError(_("The organisation must keep at least one active admin."))


def _ensure_no_open_cases(membership: Membership) -> None:
    """A member without a case role (deactivated, or admin) could no longer see the cases assigned to them."""
    if membership.user.assigned_cases.exclude(status="closed").exists():
        raise ValidationError(_("Reassign this member's open cases first."))


@transaction.atomic
def member_change_role(*, membership: Membership, role: str, changed_by) -> Membership:
    """Give a member another role. A step towards more client data for an active member of a four-eyes
    organisation waits for a coordinator instead (the member keeps their role meanwhile); one given at once
    is told to the coordinators. An inactive member's step is held back when they are reactivated."""
    if role not in Membership.Role.values:
        raise ValidationError({"role": _("Unknown role.")})
    _lock_members(membership)
    if (pending := _pending_request(membership)) is not None:
        if pending.role == role:
            return membership  # the same request again: it already waits
        raise ValidationError(_("A role for this member is waiting for a coordinator's confirmation. "
                                "Withdraw it first."))
    if role == membership.role:
        return membership
    _ensure_an_admin_remains(membership)
    if role == Membership.Role.ORG_ADMIN:
        _ensure_no_open_cases(membership)
    gains = membership.is_active and access.gains_client_data(role=role, was_role=membership.role, was_active=True)
    if gains and _four_eyes(membership.organisation, changed_by):
        request = _role_request_open(membership, role=role, requested_by=changed_by)
        _audit_request(request, Action.ROLE_REQUEST, actor=changed_by)
        return membership
    previous, membership.role = membership.role, role
    membership.save(update_fields=["role"])
    _groups_follow_role(membership)
    if gains and changed_by is not None:
        _tell_coordinators(membership, Notification.Kind.ROLE_GAINED)
    audit_record(actor=changed_by, action=Action.ROLE_CHANGE, organisation=membership.organisation,
                 detail=f"member={membership.pk} role={role} previous={previous}")
    return membership


def _activate(membership: Membership, active: bool) -> None:
    membership.is_active = active
    membership.save(update_fields=["is_active"])
    membership.user.is_active = active
    membership.user.save(update_fields=["is_active"])


@transaction.atomic
def member_set_active(*, membership: Membership, active: bool, changed_by) -> Membership:
    """Deactivate (the person can no longer sign in; a role waiting for them is withdrawn) or reactivate a
    member. Reactivating a caseworker or coordinator opens client data again: in a four-eyes organisation it
    waits for a coordinator's confirmation, otherwise the coordinators are told."""
    _lock_members(membership)
    pending = _pending_request(membership)
    if active == membership.is_active or (active and pending is not None):
        return membership  # already so, or already waiting: a repeated click changes nothing
    if not active:
        _ensure_an_admin_remains(membership)
        _ensure_no_open_cases(membership)
        if pending is not None:
            _role_request_close(pending, RoleRequest.Status.WITHDRAWN, by=changed_by)
        _activate(membership, False)
        if pending is not None:
            _audit_request(pending, Action.ROLE_WITHDRAW, actor=changed_by)
        audit_record(actor=changed_by, action=Action.MEMBER_DEACTIVATE, organisation=membership.organisation,
                     detail=f"member={membership.pk}")
        return membership
    gains = access.gains_client_data(role=membership.role, was_role=membership.role, was_active=False)
    if gains and _four_eyes(membership.organisation, changed_by):
        request = _role_request_open(membership, role=membership.role, requested_by=changed_by)
        _audit_request(request, Action.ROLE_REQUEST, actor=changed_by)
        return membership
    _activate(membership, True)
    _groups_follow_role(membership)
    if gains and changed_by is not None:
        _tell_coordinators(membership, Notification.Kind.ROLE_GAINED)
    audit_record(actor=changed_by, action=Action.MEMBER_REACTIVATE, organisation=membership.organisation,
                 detail=f"member={membership.pk}")
    return membership


def _role_request_close(request: RoleRequest, status: str, *, by) -> None:
    request.status, request.decided_by, request.decided_at = status, by, timezone.now()
    request.save(update_fields=["status", "decided_by", "decided_at"])


def _lock_request(request: RoleRequest) -> None:
    """The organisation's members lock, then the request as the other decision or withdrawal left it."""
    _lock_members(request.membership)
    request.refresh_from_db(fields=["status", "role", "decided_by", "decided_at"])


@transaction.atomic
def role_request_decide(*, request: RoleRequest, decided_by, confirm: bool) -> RoleRequest:
    """A coordinator (not the admin who asked), or a platform operator while the organisation has no active
    coordinator, confirms or refuses a waiting role (access.may_decide_role_request). Confirming activates the
    member with the role, or gives an active member the new role, and tells the coordinators; refusing
    leaves the member as they were (a new member stays inactive). The second of two decisions finds the
    request decided and changes nothing."""
    _lock_request(request)
    if request.status != RoleRequest.Status.PENDING:
        raise ValidationError(_("This request was already decided or withdrawn."))
    if not access.may_decide_role_request(decided_by, request):
        raise PermissionDenied
    if not confirm:
        _role_request_close(request, RoleRequest.Status.REFUSED, by=decided_by)
        _audit_request(request, Action.ROLE_REFUSE, actor=decided_by)
        return request
    membership = request.membership
    if membership.is_active:
        _ensure_an_admin_remains(membership)  # an admin who asked to become a caseworker
    membership.role = request.role
    membership.save(update_fields=["role"])
    if not membership.is_active:
        _activate(membership, True)
    _groups_follow_role(membership)
    _role_request_close(request, RoleRequest.Status.CONFIRMED, by=decided_by)
    _tell_coordinators(membership, Notification.Kind.ROLE_GAINED, told_by=decided_by)
    _audit_request(request, Action.ROLE_CONFIRM, actor=decided_by)
    return request


@transaction.atomic
def role_request_withdraw(*, request: RoleRequest, withdrawn_by) -> RoleRequest:
    """The admin takes back a waiting role; the member stays as they were. Withdrawing twice is harmless; a
    request decided meanwhile stays decided."""
    _lock_request(request)
    if request.status == RoleRequest.Status.WITHDRAWN:
        return request
    if request.status != RoleRequest.Status.PENDING:
        raise ValidationError(_("This request was already decided or withdrawn."))
    _role_request_close(request, RoleRequest.Status.WITHDRAWN, by=withdrawn_by)
    _audit_request(request, Action.ROLE_WITHDRAW, actor=withdrawn_by)
    return request


def member_invite(*, membership: Membership, invited_by, show_link: bool = False) -> str | None:
    """Let the member set their own password, once. The link goes by e-mail to the member's own address; only
    where four-eyes is off may it instead be returned, to be shown once to the admin (`show_link`). Audited
    either way (shown=yes/no). A member waiting for confirmation may set a password already: they can sign
    in once confirmed.

    The e-mail goes first and is recorded once the mail server took it (its only write is the audit event, in
    audit_record's own transaction). Call it outside a transaction that has recorded anything: audit_record
    holds the trail's one lock until that transaction commits, and the mail server may take EMAIL_TIMEOUT to
    answer, while every audited page of every organisation waits. (Not on commit: the admin's page could no
    longer say that the e-mail failed, and the trail would name an invitation nobody got.) So the member is
    created in a transaction of its own, and the pages that invite run without ATOMIC_REQUESTS."""
    organisation, user = membership.organisation, membership.user
    organisation.refresh_from_db(fields=["four_eyes"])
    if show_link:
        if organisation.four_eyes:
            raise ValidationError(_("This member has no e-mail address. With four-eyes on, an invitation goes only "
                                    "to the member's own address."))
        path = invitation_path(user)
        audit_record(actor=invited_by, action=Action.INVITATION, organisation=organisation,
                     detail=f"member={membership.pk} shown=yes")
        return path
    if not user.email:
        raise ValidationError(_("This member has no e-mail address, so no invitation can be sent."))
    invitation_send(user, language=membership.language or translation.get_language() or settings.LANGUAGE_CODE)
    audit_record(actor=invited_by, action=Action.INVITATION, organisation=organisation,
                 detail=f"member={membership.pk} shown=no")
    return None


class InvitationNotSent(ValidationError):
    """The mail server refused the invitation or did not answer: nothing of it was recorded."""

    organisation = None  # set by platform.organisation_open: the organisation made, its admin uninvited


def invitation_send(user, *, language: str) -> None:
    """E-mail the person their set-password link (for member_invite, and a platform operator's invitation),
    before the invitation is recorded (member_invite says why); a mail server that fails is InvitationNotSent,
    which the caller's page shows."""
    try:
        _invitation_email(user, language=language).send()
    except (OSError, smtplib.SMTPException):
        log.exception("Invitation e-mail could not be sent (user %d)", user.pk)
        raise InvitationNotSent(_("The invitation e-mail could not be sent. Try again later.")) from None


def _invitation_email(user, *, language: str) -> EmailMessage:
    """What a password-reset e-mail says: the username and the link, nothing about the organisation or its
    work (mailboxes are read by others)."""
    with translation.override(language):
        body = _(
            "An account on Casework was made for you, or a new set-password link was asked for.\n\n"
            "Your username: %(username)s\n"
            "Set your password here (the link works once, within %(days)d days): %(link)s\n\n"
            "If you did not expect this e-mail, ignore it.\n"
        ) % {
            "username": user.get_username(),
            "days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400),
            "link": settings.SITE_URL.rstrip("/") + invitation_path(user),
        }
        return EmailMessage(subject=_("Casework: set your password"), body=body, to=[user.email])


def member_set_language(*, user, language: str) -> None:
    """Remember the interface language a person chose (an unknown code is ignored)."""
    if language in dict(settings.LANGUAGES):
        Membership.objects.filter(user=user).update(language=language)
