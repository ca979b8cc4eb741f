import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from casework.audit.history import FieldHistory
from casework.choices import ChoiceLabels
from casework.crypto import BLIND_INDEX_LENGTH, EncryptedCharField, EncryptedDateField, EncryptedTextField
from casework.orgs.models import JURISDICTIONS

from casework.lib.references import new_reference


class Case(ChoiceLabels, models.Model):
    class Type(models.TextChoices):
        ASYLUM = "asylum", _("Asylum")
        DEPORTATION = "deportation", _("Deportation or extradition")
        UNPAID_WAGES = "unpaid_wages", _("Unpaid wages")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        ACTIVE = "active", _("Active")
        CLOSED = "closed", _("Closed")

    class Outcome(models.TextChoices):
        PROTECTION_GRANTED = "protection_granted", _("Protection granted")
        PROTECTION_REFUSED = "protection_refused", _("Protection finally refused")
        RESETTLED = "resettled", _("Resettled to a third country")
        REMOVAL_STOPPED = "removal_stopped", _("Removal stopped")
        REMOVED = "removed", _("Removed from the country")
        RELEASED = "released", _("Released from detention")
        WAGES_RECOVERED = "wages_recovered", _("Wages recovered in full")
        WAGES_PARTLY_RECOVERED = "wages_partly_recovered", _("Wages partly recovered")
        WAGES_NOT_RECOVERED = "wages_not_recovered", _("Wages not recovered")
        WITHDRAWN = "withdrawn", _("Client withdrew")
        LOST_CONTACT = "lost_contact", _("Contact lost")
        REFERRED = "referred", _("Referred elsewhere")

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
    outcome = models.CharField(_("outcome"), max_length=30, choices=Outcome.choices, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submission_token = models.UUIDField(null=True, unique=True, editable=False)
    # The earliest legal last day of the case's open deadlines and pending proposals, kept by
    # casework.deadlines.services in the same transaction as the deadline it follows, so lists sort and
    # page by it on an index instead of reading every case's deadlines.
    next_due_date = models.DateField(_("next deadline"), null=True, blank=True, editable=False)
    # The deportation details' scheduled removal, copied by services.details_update in the same transaction:
    # the dashboard and the lists find an organisation's removals on a small index of its own.
    removal_at = models.DateTimeField(_("scheduled removal"), null=True, blank=True, editable=False)

    # Field history: not the columns kept from other rows (next deadline, removal), nor those no service changes.
    history = FieldHistory(exclude=("reference", "organisation", "client", "case_type", "next_due_date", "removal_at"))

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        indexes = [
            # The included columns let lists filtered by them, and the deadline dashboard's join from an
            # organisation's deadlines to their cases' assignees, read the index alone (bench/RESULTS.md).
            models.Index(fields=["organisation", "-opened_on", "-id"], name="case_org_newest_idx",
                         include=["assigned_to", "case_type", "status", "jurisdiction", "is_sensitive"]),
            models.Index(fields=["assigned_to", "-opened_on", "-id"], name="case_assignee_newest_idx",
                         include=["organisation", "case_type", "status", "jurisdiction", "is_sensitive"]),
            # Sensitive cases by client: which clients a coordinator may not see (access.clients_visible_to).
            models.Index(fields=["organisation", "client"], condition=Q(is_sensitive=True), include=["assigned_to"],
                         name="case_sensitive_client_idx"),
            # Lists sorted by next deadline, paged part by part like the newest-first ones.
            models.Index(fields=["organisation", "next_due_date", "id"], name="case_org_next_due_idx"),
            models.Index(fields=["assigned_to", "next_due_date", "id"], name="case_assignee_next_due_idx"),
            models.Index(fields=["organisation", "removal_at"], include=["assigned_to", "status"],
                         condition=Q(removal_at__isnull=False), name="case_org_removal_idx"),
        ]

    def __str__(self):
        return self.reference


_COMMON_OUTCOMES = {Case.Outcome.WITHDRAWN, Case.Outcome.LOST_CONTACT, Case.Outcome.REFERRED}
# Which outcomes close which kind of case.
OUTCOMES_BY_TYPE = {
    Case.Type.ASYLUM: {Case.Outcome.PROTECTION_GRANTED, Case.Outcome.PROTECTION_REFUSED, Case.Outcome.RESETTLED,
                       Case.Outcome.REMOVED} | _COMMON_OUTCOMES,
    Case.Type.DEPORTATION: {Case.Outcome.REMOVAL_STOPPED, Case.Outcome.REMOVED, Case.Outcome.RELEASED,
                            Case.Outcome.PROTECTION_GRANTED} | _COMMON_OUTCOMES,
    Case.Type.UNPAID_WAGES: {Case.Outcome.WAGES_RECOVERED, Case.Outcome.WAGES_PARTLY_RECOVERED,
                             Case.Outcome.WAGES_NOT_RECOVERED} | _COMMON_OUTCOMES,
}


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


class EventKind(models.TextChoices):
    """The timeline's fixed list of what can happen in a case; deadline rules key off these values
    (casework.deadlines.rules.EVENT_KINDS)."""

    ARRIVAL = "arrival", _("Arrived in the country")
    APPLICATION_LODGED = "application_lodged", _("Application lodged")
    INTERVIEW = "interview", _("Interview")
    DECISION_SERVED = "decision_served", _("Decision served")
    APPEAL_LODGED = "appeal_lodged", _("Appeal lodged")
    APPEAL_REJECTED = "appeal_rejected", _("Appeal rejected")
    HEARING = "hearing", _("Hearing")
    COURT_DECISION_FINAL_FORM = "court_decision_final_form", _("Court decision in final form")
    COURT_RULING_ISSUED = "court_ruling_issued", _("Court ruling issued")
    COURT_DECISION_IN_FORCE = "court_decision_in_force", _("Court decision entered into force")
    FINAL_DOMESTIC_DECISION = "final_domestic_decision", _("Final domestic decision served")
    EXPULSION_RULING_RECEIVED = "expulsion_ruling_received", _("Expulsion ruling received")
    EXTRADITION_DECISION_NOTIFIED = "extradition_decision_notified", _("Extradition decision notified")
    REMOVAL_SCHEDULED = "removal_scheduled", _("Removal scheduled")
    DETAINED = "detained", _("Detained")
    RELEASED = "released", _("Released")
    REMOVED = "removed", _("Removed from the country")
    INTERIM_MEASURE_REQUESTED = "interim_measure_requested", _("Interim measure requested")
    INTERIM_MEASURE_DECIDED = "interim_measure_decided", _("Interim measure decided")
    STATUS_GRANTED = "status_granted", _("Status granted")
    DISMISSED = "dismissed", _("Dismissed from work")
    WAGES_DUE = "wages_due", _("Wages due and unpaid")
    PAYMENT_RECEIVED = "payment_received", _("Payment received")
    CLAIM_FILED = "claim_filed", _("Claim filed")
    OTHER = "other", _("Other")


# Kinds that may lie in the future: they are scheduled, not yet happened.
SCHEDULED_EVENT_KINDS = frozenset({EventKind.REMOVAL_SCHEDULED, EventKind.HEARING, EventKind.INTERVIEW})


class CaseEvent(ChoiceLabels, models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("what happened"), max_length=40, choices=EventKind.choices)
    occurred_on = models.DateField(_("date"))
    note = EncryptedTextField(_("note"), max_length=5000, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    submission_token = models.UUIDField(null=True, unique=True, editable=False)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["-occurred_on", "-pk"]
        indexes = [models.Index(fields=["case", "-occurred_on"], name="event_case_date_idx")]


class CaseNote(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    text = EncryptedTextField(_("note"), max_length=20000)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    submission_token = models.UUIDField(null=True, unique=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]


class CaseDocument(models.Model):
    """An uploaded file, kept encrypted on disk under MEDIA_ROOT and served only through an access-checked view."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="documents")
    title = EncryptedCharField(_("title"), max_length=200)
    filename = EncryptedCharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    storage_name = models.CharField(max_length=100, unique=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-uploaded_at", "-pk"]


class StatusChange(models.Model):
    """Every move between open, active and closed (and reopening), with who and why."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=10, choices=Case.Status.choices)
    to_status = models.CharField(max_length=10, choices=Case.Status.choices)
    outcome = models.CharField(max_length=30, blank=True)
    reason = EncryptedTextField(max_length=2000, blank=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-changed_at", "-pk"]


# --- Asylum ---------------------------------------------------------------------------------

class AsylumDetail(models.Model):
    class Procedure(models.TextChoices):
        NATIONAL = "national", _("National procedure")
        UNHCR = "unhcr_mandate", _("UNHCR mandate")

    class Stage(models.TextChoices):
        APPLICATION = "application", _("Application")
        INTERVIEW = "interview", _("Interview")
        FIRST_DECISION = "first_decision", _("First decision")
        ADMINISTRATIVE_APPEAL = "administrative_appeal", _("Administrative appeal")
        COURT = "court", _("Court")
        FINAL = "final", _("Final")

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="asylum", primary_key=True)
    country_of_origin = models.CharField(_("country of origin"), max_length=100, blank=True)
    arrival_date = models.DateField(_("date of arrival"), null=True, blank=True)
    procedure = models.CharField(_("claim lodged under"), max_length=20, choices=Procedure.choices, default=Procedure.NATIONAL)
    stage = models.CharField(_("stage"), max_length=30, choices=Stage.choices, default=Stage.APPLICATION)
    status_renewal_date = models.DateField(_("status renewal date"), null=True, blank=True,
                                           help_text=_("Where the status granted is temporary."))
    resettlement_country = models.CharField(_("resettled to"), max_length=100, blank=True)
    resettled_on = models.DateField(_("resettled on"), null=True, blank=True)
    history = FieldHistory()


class AsylumDecision(models.Model):
    class Outcome(models.TextChoices):
        REFUGEE_STATUS = "refugee_status", _("Refugee status granted")
        TEMPORARY_ASYLUM = "temporary_asylum", _("Temporary asylum granted")
        COMPLEMENTARY = "complementary", _("Complementary protection granted")
        REFUSED = "refused", _("Refused")
        NOT_EXAMINED = "not_examined", _("Refused to examine on the merits")
        QUASHED = "quashed", _("Earlier decision quashed")

    class Ground(models.TextChoices):
        ILLEGAL_ENTRY = "illegal_entry", _("Illegal entry")
        SAFE_THIRD_COUNTRY = "safe_third_country", _("Safe third country")
        INCONSISTENCIES = "inconsistencies", _("Minor inconsistencies in the account")
        LATE_APPLICATION = "late_application", _("Application lodged late")
        NO_WELL_FOUNDED_FEAR = "no_well_founded_fear", _("No well-founded fear")
        ECONOMIC_MOTIVES = "economic_motives", _("Economic motives")
        OTHER = "other", _("Other")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="asylum_decisions")
    stage = models.CharField(_("stage"), max_length=30, choices=AsylumDetail.Stage.choices)
    decided_on = models.DateField(_("decided on"))
    served_on = models.DateField(_("served on"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=30, choices=Outcome.choices)
    refusal_grounds = models.JSONField(_("grounds of refusal"), default=list, blank=True)
    history = FieldHistory(list_choices={"refusal_grounds": Ground.choices})

    @property
    def grounds_display(self) -> list[str]:
        labels = dict(self.Ground.choices)
        return [labels.get(ground, ground) for ground in self.refusal_grounds]

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["-decided_on", "-pk"]


# --- Deportation and extradition ---------------------------------------------------------------

class DeportationDetail(models.Model):
    class RemovalKind(models.TextChoices):
        EXPULSION = "administrative_expulsion", _("Administrative expulsion")
        DEPORTATION = "deportation", _("Deportation")
        EXTRADITION = "extradition", _("Extradition")

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="deportation", primary_key=True)
    removal_kind = models.CharField(_("removal kind"), max_length=30, choices=RemovalKind.choices)
    requesting_state = models.CharField(_("requesting state"), max_length=100, blank=True,
                                        help_text=_("For extradition."))
    charges = EncryptedTextField(_("charges as alleged"), max_length=5000, blank=True)
    detention_place = EncryptedTextField(_("place of detention"), max_length=1000, blank=True)
    detained_from = EncryptedDateField(_("detained from"), null=True, blank=True)
    detained_until = EncryptedDateField(_("detained until"), null=True, blank=True)
    # Plain on purpose: the urgent flag filters on it in every list, and a time says nothing of who.
    scheduled_removal_at = models.DateTimeField(_("scheduled removal"), null=True, blank=True, db_index=True)
    echr_application_no = models.CharField(_("European Court application number"), max_length=30, blank=True)
    reentry_ban_until = models.DateField(_("re-entry ban ends"), null=True, blank=True)
    history = FieldHistory()


class DomesticChallenge(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="domestic_challenges")
    forum = models.CharField(_("court or authority"), max_length=200)
    lodged_on = models.DateField(_("lodged on"))
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=200, blank=True)
    history = FieldHistory()

    class Meta:
        verbose_name = _("domestic challenge")
        verbose_name_plural = _("domestic challenges")
        ordering = ["-lodged_on", "-pk"]


class InterimMeasure(models.Model):
    class Body(models.TextChoices):
        ECHR_RULE_39 = "echr_rule39", _("European Court, Rule 39")
        UN_CAT = "un_cat", _("UN Committee against Torture")
        UN_HRC = "un_hrc", _("UN Human Rights Committee")

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        GRANTED = "granted", _("Granted")
        REFUSED = "refused", _("Refused")
        LIFTED = "lifted", _("Lifted")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="interim_measures")
    body = models.CharField(_("body"), max_length=20, choices=Body.choices)
    requested_on = models.DateField(_("requested on"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    history = FieldHistory()

    class Meta:
        verbose_name = _("interim measure request")
        verbose_name_plural = _("interim measure requests")
        ordering = ["-requested_on", "-pk"]


# --- Unpaid wages ----------------------------------------------------------------------------

class Employer(models.Model):
    """An employer as far as workers know it; its own record, reused across the organisation's cases."""

    organisation = models.ForeignKey("orgs.Organisation", on_delete=models.PROTECT, related_name="employers")
    name = EncryptedCharField(_("company name"), max_length=300)
    director = EncryptedCharField(_("director"), max_length=300, blank=True)
    address = EncryptedTextField(_("address"), max_length=1000, blank=True)
    registration_number = EncryptedCharField(_("registration number"), max_length=50, blank=True)
    name_bidx = models.CharField(max_length=BLIND_INDEX_LENGTH, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return self.name


CURRENCIES = [(code, code) for code in ("RUB", "KZT", "KGS", "TJS", "UZS", "BYN", "AMD", "AZN", "GEL", "MDL", "UAH", "USD", "EUR")]


class WageDetail(models.Model):
    class Sector(models.TextChoices):
        CONSTRUCTION = "construction", _("Construction")
        AGRICULTURE = "agriculture", _("Agriculture")
        DOMESTIC = "domestic", _("Domestic work")
        TRADE = "trade", _("Trade and markets")
        SERVICES = "services", _("Services")
        MANUFACTURING = "manufacturing", _("Manufacturing")
        TRANSPORT = "transport", _("Transport")
        OTHER = "other", _("Other")

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="wages", primary_key=True)
    employer = models.ForeignKey(Employer, null=True, blank=True, on_delete=models.SET_NULL, related_name="wage_cases",
                                 verbose_name=_("employer"))
    intermediary = EncryptedTextField(_("intermediary"), max_length=1000, blank=True)
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices, blank=True)
    work_from = models.DateField(_("worked from"), null=True, blank=True)
    work_to = models.DateField(_("worked until"), null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3, choices=CURRENCIES, default="RUB")
    amount_owed = models.DecimalField(_("amount owed"), max_digits=14, decimal_places=2, default=0)
    amount_recovered = models.DecimalField(_("amount recovered"), max_digits=14, decimal_places=2, default=0)
    passport_held_by_employer = models.BooleanField(_("employer holds the passport"), null=True, blank=True)
    written_contract = models.BooleanField(_("written contract"), null=True, blank=True)
    history = FieldHistory()

    @property
    def recovery_ratio(self):
        """Share of the amount owed that was recovered (None while nothing is owed)."""
        return None if not self.amount_owed else self.amount_recovered / self.amount_owed

    @property
    def recovery_percent(self):
        ratio = self.recovery_ratio
        return None if ratio is None else ratio * 100


class WageClaim(models.Model):
    class Forum(models.TextChoices):
        LABOUR_INSPECTORATE = "labour_inspectorate", _("Labour inspectorate")
        PROSECUTOR = "prosecutor", _("Prosecutor")
        COURT = "court", _("Court")
        TRADE_UNION = "trade_union", _("Trade union")

    class Outcome(models.TextChoices):
        PENDING = "pending", _("Pending")
        UPHELD = "upheld", _("Upheld")
        PARTLY_UPHELD = "partly_upheld", _("Partly upheld")
        REJECTED = "rejected", _("Rejected")
        SETTLED = "settled", _("Settled")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="wage_claims")
    forum = models.CharField(_("filed with"), max_length=30, choices=Forum.choices)
    filed_on = models.DateField(_("filed on"))
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, default=Outcome.PENDING)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    history = FieldHistory()

    class Meta:
        verbose_name = _("claim")
        verbose_name_plural = _("claims")
        ordering = ["-filed_on", "-pk"]


# Every case has one type-detail row of its type's model.
DETAIL_MODELS = {Case.Type.ASYLUM: AsylumDetail, Case.Type.DEPORTATION: DeportationDetail, Case.Type.UNPAID_WAGES: WageDetail}
# Which per-type records a case of each type can hold.
RECORD_TYPES = {
    AsylumDecision: {Case.Type.ASYLUM},
    DomesticChallenge: {Case.Type.DEPORTATION, Case.Type.ASYLUM},
    InterimMeasure: {Case.Type.DEPORTATION, Case.Type.ASYLUM},
    WageClaim: {Case.Type.UNPAID_WAGES},
}
# The records' URL slugs (and demo-data keys): slug -> (model, related name on Case).
RECORD_KINDS = {
    "decisions": (AsylumDecision, "asylum_decisions"),
    "challenges": (DomesticChallenge, "domestic_challenges"),
    "interim-measures": (InterimMeasure, "interim_measures"),
    "claims": (WageClaim, "wage_claims"),
}
