from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from casework.choices import ChoiceLabels


class AppendOnlyError(Exception):
    """Raised on any attempt to change or remove an audit event: the trail is evidence."""


class Action(models.TextChoices):
    VIEW_CASE = "view_case", _("Viewed a case")
    VIEW_CLIENT = "view_client", _("Viewed a client")
    DOWNLOAD_DOCUMENT = "download_document", _("Downloaded a document")
    EXPORT = "export", _("Exported data")
    SEARCH = "search", _("Searched")
    GRANT = "grant", _("Shared a case")
    REVOKE = "revoke", _("Revoked a share")
    SIGN_IN = "sign_in", _("Signed in")
    SIGN_IN_FAILED = "sign_in_failed", _("Failed sign-in")
    SIGN_OUT = "sign_out", _("Signed out")
    REVEAL_SENSITIVE = "reveal_sensitive", _("Revealed sensitive details")
    ERASE = "erase", _("Erased personal data")
    RECOVERY_CODES = "recovery_codes", _("Made new recovery codes")
    AUTHENTICATOR = "authenticator", _("Set up an authenticator app")
    PASSWORD_CHANGE = "password_change", _("Changed the password")
    # Writes, each recorded by its service in the same transaction (DESIGN.md, "Audit").
    CLIENT_CREATE = "client_create", _("Registered a client")
    CLIENT_UPDATE = "client_update", _("Changed a client's details")
    CASE_CREATE = "case_create", _("Opened a case")
    CASE_UPDATE = "case_update", _("Changed a case")
    CASE_REASSIGN = "case_reassign", _("Reassigned a case")
    CASE_STATUS = "case_status", _("Changed a case's status")
    DETAILS_UPDATE = "details_update", _("Changed a case's type details")
    RECORD_ADD = "record_add", _("Added a record to a case")
    RECORD_UPDATE = "record_update", _("Changed a record of a case")
    NOTE_ADD = "note_add", _("Added a note")
    DOCUMENT_UPLOAD = "document_upload", _("Uploaded a document")
    EVENT_RECORD = "event_record", _("Recorded an event")
    EVENT_CORRECT = "event_correct", _("Corrected an event's date")
    DEADLINE_CONFIRM = "deadline_confirm", _("Confirmed a deadline")
    DEADLINE_DISMISS = "deadline_dismiss", _("Dismissed a proposed deadline")
    DEADLINE_CREATE = "deadline_create", _("Added a deadline")
    DEADLINE_EDIT = "deadline_edit", _("Changed a deadline")
    DEADLINE_COMPLETE = "deadline_complete", _("Completed a deadline")
    LEGAL_HOLD_PLACE = "legal_hold_place", _("Placed a legal hold")
    LEGAL_HOLD_RELEASE = "legal_hold_release", _("Released a legal hold")
    CALENDAR_FEED = "calendar_feed", _("Changed the calendar feed")
    MEMBER_CREATE = "member_create", _("Added a member")
    ROLE_CHANGE = "role_change", _("Changed a member's role")
    ROLE_REQUEST = "role_request", _("Asked for a client-data role")
    ROLE_CONFIRM = "role_confirm", _("Confirmed a client-data role")
    ROLE_REFUSE = "role_refuse", _("Refused a client-data role")
    ROLE_WITHDRAW = "role_withdraw", _("Withdrew a request for a client-data role")
    MEMBER_DEACTIVATE = "member_deactivate", _("Deactivated a member")
    MEMBER_REACTIVATE = "member_reactivate", _("Reactivated a member")
    INVITATION = "invitation", _("Sent an invitation")
    SESSIONS_END = "sessions_end", _("Ended a member's sessions")
    ORG_SETTINGS = "org_settings", _("Changed the organisation's settings")
    ORG_CREATE = "org_create", _("Created an organisation")
    ORG_SUSPEND = "org_suspend", _("Suspended an organisation")
    ORG_REACTIVATE = "org_reactivate", _("Reactivated an organisation")


class AccessEventQuerySet(models.QuerySet):
    """Bulk changes bypass save() and delete(), so they are refused here too."""

    def update(self, **kwargs):
        raise AppendOnlyError("Audit events cannot be changed.")

    def bulk_update(self, objs, fields, batch_size=None):
        raise AppendOnlyError("Audit events cannot be changed.")

    def delete(self):
        raise AppendOnlyError("Audit events cannot be deleted.")


class AccessEvent(ChoiceLabels, models.Model):
    """Who touched what, when and from where. Written only by casework.audit.services.audit_record,
    never changed (the ORM refuses here, a trigger refuses in PostgreSQL), each row hash-chained to the
    one before so that a change made behind both is found by `manage.py audit_verify`.

    Foreign keys PROTECT: deleting a user, case or organisation would have to rewrite the trail."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("who")
    )
    organisation = models.ForeignKey(
        "orgs.Organisation", null=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("organisation")
    )
    case = models.ForeignKey(
        "cases.Case", null=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("case")
    )
    # The client a client-level event was about (a page, an export, an erasure), so the client's own
    # organisation finds a partner's view of it in its trail as it finds views of its cases.
    client = models.ForeignKey(
        "clients.Client", null=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("client")
    )
    action = models.CharField(_("action"), max_length=30, choices=Action.choices)
    at = models.DateTimeField(_("when"))
    ip_address = models.GenericIPAddressField(_("address"), null=True)
    # Ids and references only ("document=<uuid>"), checked by the service: never a name or free text.
    detail = models.CharField(_("detail"), max_length=200, blank=True)
    previous_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    objects = AccessEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("access event")
        verbose_name_plural = _("access events")
        constraints = [
            # One successor per event: even a writer that skipped the lock cannot fork the chain.
            models.UniqueConstraint(fields=["previous_hash"], name="audit_chain_no_fork"),
        ]
        indexes = [models.Index(fields=["organisation", "-id"], name="audit_org_newest_idx")]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("Audit events cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Audit events cannot be deleted.")
