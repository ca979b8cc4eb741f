import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext, gettext_lazy as _

from casework.audit.history import FieldHistory
from casework.crypto import BLIND_INDEX_LENGTH, EncryptedCharField, EncryptedDateField, EncryptedTextField


class Client(models.Model):
    """A person the organisation helps. Everything that identifies them is encrypted at rest;
    the blind-index columns let us find a name without decrypting every row."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey("orgs.Organisation", on_delete=models.PROTECT, related_name="clients")
    family_name = EncryptedCharField(_("family name"), max_length=200)
    given_names = EncryptedCharField(_("given names"), max_length=200, blank=True)
    other_spellings = EncryptedTextField(
        _("other spellings"), max_length=1000, blank=True, help_text=_("One spelling per line, e.g. as in a passport.")
    )
    date_of_birth = EncryptedDateField(_("date of birth"), null=True, blank=True)
    phones = EncryptedTextField(_("phone numbers"), max_length=500, blank=True)
    addresses = EncryptedTextField(_("addresses"), max_length=2000, blank=True)
    document_numbers = EncryptedTextField(_("document numbers"), max_length=1000, blank=True)
    nationality = models.CharField(_("nationality"), max_length=100, blank=True)
    languages = models.CharField(_("languages"), max_length=200, blank=True)

    # Keyed HMACs of normalised names (casework.crypto): order-insensitive full name, family name,
    # and two fuzzy keys with the birth year for duplicate candidates.
    full_name_bidx = models.CharField(max_length=BLIND_INDEX_LENGTH, db_index=True)
    family_name_bidx = models.CharField(max_length=BLIND_INDEX_LENGTH, db_index=True)
    skeleton_bidx = models.CharField(max_length=BLIND_INDEX_LENGTH, db_index=True)
    phonetic_bidx = models.CharField(max_length=BLIND_INDEX_LENGTH, db_index=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # The token of the form that created the client: a double submit finds it instead of creating twice.
    submission_token = models.UUIDField(null=True, unique=True, editable=False)

    # Who changed which personal field, when, from what to what; not the blind indexes (they follow the names).
    history = FieldHistory(exclude=("public_id", "organisation", "full_name_bidx", "family_name_bidx", "skeleton_bidx",
                                    "phonetic_bidx"))

    class Meta:
        verbose_name = _("client")
        verbose_name_plural = _("clients")
        indexes = [
            models.Index(fields=["organisation", "full_name_bidx"], name="client_org_name_idx"),
            # A common family name matches thousands of clients across organisations; this index finds an
            # organisation's few without reading the others' rows (bench/RESULTS.md).
            models.Index(fields=["organisation", "family_name_bidx"], name="client_org_family_idx"),
            # The registry pages the organisation's clients newest first from this index (casework.paging).
            models.Index(fields=["organisation", "-created_at", "-id"], include=["created_by"],
                         name="client_org_newest_idx"),
        ]

    def __str__(self):
        return " ".join(part for part in (self.family_name, self.given_names) if part) or gettext("(erased)")
