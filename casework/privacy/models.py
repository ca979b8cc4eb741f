"""Legal holds that keep a case's personal data past its retention period, and the record that a
case's or a client's personal data was erased."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework.crypto import EncryptedTextField


class LegalHold(models.Model):
    """A hold placed by hand (litigation pending, a prosecution, the client's own request): the case's
    personal data is kept until someone releases the hold. The reason may name people, so it is encrypted."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="legal_holds")
    reason = EncryptedTextField(_("reason"), max_length=2000)
    placed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    placed_at = models.DateTimeField(_("placed on"), default=timezone.now)
    released_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    released_at = models.DateTimeField(_("released on"), null=True, blank=True)

    class Meta:
        verbose_name = _("legal hold")
        verbose_name_plural = _("legal holds")
        ordering = ["-placed_at", "-pk"]
        indexes = [models.Index(fields=["case"], condition=Q(released_at__isnull=True), name="legalhold_active_idx")]

    @property
    def is_active(self) -> bool:
        return self.released_at is None


class Erasure(models.Model):
    """The personal data of a case (as closed on `case_closed_on`) or of a client was erased. Keeps the
    retention run from erasing twice and tells pages why the fields are empty; holds no personal data.
    A case reopened and closed again has a new closing date, so the erasure no longer covers it."""

    class Reason(models.TextChoices):
        RETENTION = "retention", _("retention period over")
        REQUEST = "request", _("the client's request")

    case = models.OneToOneField("cases.Case", null=True, on_delete=models.CASCADE, related_name="erasure")
    client = models.OneToOneField("clients.Client", null=True, on_delete=models.CASCADE, related_name="erasure")
    case_closed_on = models.DateField(null=True)
    reason = models.CharField(max_length=20, choices=Reason.choices)
    erased_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(case__isnull=False, client__isnull=True, case_closed_on__isnull=False)
                | Q(case__isnull=True, client__isnull=False, case_closed_on__isnull=True),
                name="erasure_of_a_case_or_a_client",
            ),
        ]
