from django.conf import settings
from django.contrib.auth.models import Group
from django.core.validators import MaxValueValidator, MinValueValidator, URLValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from casework.choices import ChoiceLabels

JURISDICTIONS = [
    ("RU", _("Russia")),
    ("KZ", _("Kazakhstan")),
    ("KG", _("Kyrgyzstan")),
    ("TJ", _("Tajikistan")),
    ("UZ", _("Uzbekistan")),
    ("TM", _("Turkmenistan")),
    ("BY", _("Belarus")),
    ("AM", _("Armenia")),
    ("AZ", _("Azerbaijan")),
    ("GE", _("Georgia")),
    ("MD", _("Moldova")),
    ("UA", _("Ukraine")),
]


class WebAddressField(models.URLField):
    """A public web page's address, http(s) only: a javascript: or data: address is no page to flee to, and
    may run script."""

    MESSAGE = _("Enter a web address that starts with https:// (or http://).")
    default_validators = [URLValidator(schemes=["http", "https"], message=MESSAGE)]

    def formfield(self, **kwargs):
        return super().formfield(**{"error_messages": {"invalid": self.MESSAGE}, "assume_scheme": "https", **kwargs})


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    country = models.CharField(_("country"), max_length=2, choices=JURISDICTIONS)
    # Cases shared with this organisation are granted to this group (guardian group permissions).
    group = models.OneToOneField(Group, on_delete=models.PROTECT, related_name="organisation")
    reminder_emails = models.BooleanField(
        _("send deadline reminders by e-mail"), default=True,
        help_text=_("Reminders always appear in the app; e-mails carry only a count and a link."),
    )
    # Bounds: shorter than 5 minutes signs people out while they read a decision; longer than a working day
    # leaves a forgotten session open overnight.
    idle_timeout_minutes = models.PositiveSmallIntegerField(
        _("sign out after idle minutes"), default=30, validators=[MinValueValidator(5), MaxValueValidator(480)]
    )
    retention_years = models.PositiveSmallIntegerField(
        _("keep closed cases for years"), default=5, validators=[MinValueValidator(1), MaxValueValidator(50)]
    )
    # Four-eyes: a role that sees client data becomes active only once a coordinator (not the admin who
    # asked) confirms it, so an admin cannot give themselves or a friend a way into the files.
    four_eyes = models.BooleanField(
        _("four-eyes for client-data roles"), default=True,
        help_text=_("A new caseworker or coordinator, or a change to one of those roles, takes effect only "
                    "after a coordinator confirms it."),
    )
    # Where "Quick exit" lands: a page that looks ordinary to whoever sees the screen next. Blank: the
    # deployment's QUICK_EXIT_URL.
    quick_exit_url = WebAddressField(
        _("quick exit page"), blank=True,
        help_text=_("The ordinary public page (weather, news) that “Quick exit” opens after signing you "
                    "out. Blank: the default page of this service."),
    )
    # Set by a platform operator: no member can sign in while it is set; the data stays as it is.
    suspended_at = models.DateTimeField(_("suspended since"), null=True, blank=True)
    # The create form's token (casework.lib.idempotency): a double submit makes one organisation.
    submission_token = models.UUIDField(null=True, unique=True, editable=False)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Membership(ChoiceLabels, models.Model):
    class Role(models.TextChoices):
        CASEWORKER = "caseworker", _("Caseworker")
        COORDINATOR = "coordinator", _("Coordinator")
        ORG_ADMIN = "org_admin", _("Organisation admin")

    # One organisation per person: a caseworker always knows whose data they are looking at.
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    is_active = models.BooleanField(_("active"), default=True)
    # The interface language the person last chose: used where no browser asks (e-mails) and on a
    # device that has not chosen yet. Blank: the site's default.
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self):
        return f"{self.user} @ {self.organisation} ({self.role})"


class RoleRequest(ChoiceLabels, models.Model):
    """A role that sees client data, asked for by an admin in a four-eyes organisation and waiting for a
    coordinator's decision. A new member waits inactive; an existing one keeps their old role meanwhile."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for confirmation")
        CONFIRMED = "confirmed", _("Confirmed")
        REFUSED = "refused", _("Refused")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="role_requests")
    role = models.CharField(_("role"), max_length=20, choices=Membership.Role.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("asked by")
    )
    requested_at = models.DateTimeField(_("asked on"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided on"), null=True, blank=True)

    class Meta:
        verbose_name = _("role request")
        verbose_name_plural = _("role requests")
        constraints = [
            # One open request per member: a second click or a second admin finds the first.
            models.UniqueConstraint(
                fields=["membership"], condition=models.Q(status="pending"), name="role_request_one_pending"
            ),
        ]


class PlatformOperator(models.Model):
    """Someone who runs the deployment: creates, suspends and reactivates organisations and sees how many
    members and cases each has. Not a member of any organisation, so no client or case data reaches them."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="platform_operator")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("platform operator")
        verbose_name_plural = _("platform operators")
