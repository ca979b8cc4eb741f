import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from casework.orgs.models import JURISDICTIONS

# No 0/O, 1/I/L, 5/S, 2/Z: references are read aloud on the phone and copied by hand.
REFERENCE_ALPHABET = "346789ABCDEFGHJKMNPQRTUVWXY"


def new_reference() -> str:
    """Random, unguessable (27^9 ≈ 7.6e12) reference such as 'K7Q-4FD-93X'."""
    chars = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(9))
    return f"{chars[:3]}-{chars[3:6]}-{chars[6:]}"


class Case(models.Model):
    class Type(models.TextChoices):
        ASYLUM = "asylum", _("Asylum")
        DEPORTATION = "deportation", _("Deportation or extradition")
        UNPAID_WAGES = "unpaid_wages", _("Unpaid wages")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        ACTIVE = "active", _("Active")
        CLOSED = "closed", _("Closed")

    reference = models.CharField(_("reference"), max_length=11, unique=True, default=new_reference, editable=False)
    organisation = models.ForeignKey("orgs.Organisation", on_delete=models.PROTECT, related_name="cases")
    client = models.ForeignKey("clients.Client", on_delete=models.PROTECT, related_name="cases", verbose_name=_("client"))
    case_type = models.CharField(_("case type"), max_length=20, choices=Type.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    jurisdiction = models.CharField(_("jurisdiction"), max_length=2, choices=JURISDICTIONS)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assigned_cases", verbose_name=_("assigned to")
    )
    is_sensitive = models.BooleanField(
        _("sensitive"), default=False, help_text=_("Only the people named on the case may see it.")
    )
    opened_on = models.DateField(_("opened on"), default=timezone.localdate)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submission_token = models.UUIDField(null=True, unique=True, editable=False)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        indexes = [
            models.Index(fields=["organisation", "-opened_on", "-id"], name="case_org_newest_idx"),
            models.Index(fields=["assigned_to", "-opened_on", "-id"], name="case_assignee_newest_idx"),
        ]

    def __str__(self):
        return self.reference


class CaseUserObjectPermission(UserObjectPermissionBase):
    """A case granted to a named user (guardian direct foreign key table), with who granted it and when."""

    content_object = models.ForeignKey(Case, on_delete=models.CASCADE)
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    granted_at = models.DateTimeField(default=timezone.now)


class CaseGroupObjectPermission(GroupObjectPermissionBase):
    """A case granted to a partner organisation (its group), with who granted it and when."""

    content_object = models.ForeignKey(Case, on_delete=models.CASCADE)
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    granted_at = models.DateTimeField(default=timezone.now)
