from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from casework.lib.locks import lock_row
from casework.orgs.models import Membership, Organisation

User = get_user_model()


@transaction.atomic
def organisation_create(*, name: str, slug: str, country: str) -> Organisation:
    group = Group.objects.create(name=f"org:{slug}")
    return Organisation.objects.create(name=name, slug=slug, country=country, group=group)


@transaction.atomic
def member_create(
    *,
    organisation: Organisation,
    username: str,
    role: str,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    password: str | None = None,
) -> Membership:
    """Create a user in the organisation. Without a password the account waits for the invitation link."""
    _lock_username(username)
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("This username is taken.")})
    user = User(username=username, first_name=first_name, last_name=last_name, email=email)
    user.set_password(password) if password else user.set_unusable_password()
    user.save()
    membership = Membership.objects.create(user=user, organisation=organisation, role=role)
    if role != Membership.Role.ORG_ADMIN:
        user.groups.add(organisation.group)
    return membership


def _lock_username(username: str) -> None:
    """Until the transaction ends, one writer per username in any case ("Alice", "alice"): the second of two
    people creating it at once then finds it taken. No row to lock exists yet, so an advisory lock keyed on
    the name. SQLite has one writer at a time anyway."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", ["username:" + username.lower()])


def _lock_members(membership: Membership) -> None:
    """Changes to an organisation's members take turns (its row is locked), so two admins demoting each
    other at once cannot leave it with none. The membership is re-read as the other change left it."""
    lock_row(Organisation, membership.organisation_id)
    membership.refresh_from_db(fields=["role", "is_active"])


def invitation_path(user) -> str:
    """Where a new member sets their own password; handed over in person, not by e-mail."""
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
def member_change_role(*, membership: Membership, role: str) -> Membership:
    if role not in Membership.Role.values:
        raise ValidationError({"role": _("Unknown role.")})
    _lock_members(membership)
    if role != membership.role:
        _ensure_an_admin_remains(membership)
    if role == Membership.Role.ORG_ADMIN:
        _ensure_no_open_cases(membership)
    membership.role = role
    membership.save(update_fields=["role"])
    # Cases shared with the organisation reach its caseworkers and coordinators, never an admin by role.
    if role == Membership.Role.ORG_ADMIN:
        membership.user.groups.remove(membership.organisation.group)
    else:
        membership.user.groups.add(membership.organisation.group)
    return membership


@transaction.atomic
def member_set_active(*, membership: Membership, active: bool) -> Membership:
    """Deactivate (the person can no longer sign in) or reactivate a member."""
    _lock_members(membership)
    if not active:
        _ensure_an_admin_remains(membership)
        _ensure_no_open_cases(membership)
    membership.is_active = active
    membership.save(update_fields=["is_active"])
    membership.user.is_active = active
    membership.user.save(update_fields=["is_active"])
    return membership


def member_set_language(*, user, language: str) -> None:
    """Remember the interface language a person chose (an unknown code is ignored)."""
    if language in dict(settings.LANGUAGES):
        Membership.objects.filter(user=user).update(language=language)
