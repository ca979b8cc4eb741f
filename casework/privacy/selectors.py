"""Reads for retention, legal holds and subject access.

Retention: a closed case's personal data goes once the case has been closed longer than its
organisation's `retention_years`, unless the case is on legal hold:
- an open deadline (someone still has to act in the case);
- an interim measure (European Court Rule 39, UN CAT or HRC) pending or granted: a granted measure
  stays in force until it is lifted, so the matter is alive;
- a European Court application number on the deportation details: the application runs for years
  after the domestic case closes and the app records no end to it, so the number holds the case until
  a caseworker clears it (the Court's final decision is the moment to do so);
- a hold placed by hand and not released.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Exists, JSONField, Model, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from casework.cases.models import AsylumDecision, Case, DeportationDetail, InterimMeasure
from casework.cases.models import DETAIL_MODELS
from casework.clients.models import Client
from casework.clients.services import PERSONAL_FIELDS
from casework.deadlines.models import Deadline
from casework.orgs.models import Organisation
from casework.privacy.models import Erasure, LegalHold

LIVE_INTERIM_MEASURES = (InterimMeasure.Status.PENDING, InterimMeasure.Status.GRANTED)
# Why a case is on legal hold, as shown to users; keys are also the annotation names.
HOLD_KINDS = {
    "held_by_deadline": gettext_lazy("an open or proposed deadline"),
    "held_by_interim_measure": gettext_lazy("an interim measure pending or in force (European Court or UN)"),
    "held_by_european_court": gettext_lazy("an application to the European Court"),
    "held_by_manual_hold": gettext_lazy("a legal hold placed by hand"),
}


def _hold_conditions() -> dict[str, Exists]:
    case = OuterRef("pk")
    return {
        "held_by_deadline": Exists(Deadline.objects.filter(
            case=case, status__in=(Deadline.Status.OPEN, Deadline.Status.PROPOSED))),
        "held_by_interim_measure": Exists(InterimMeasure.objects.filter(case=case, status__in=LIVE_INTERIM_MEASURES)),
        "held_by_european_court": Exists(DeportationDetail.objects.filter(case=case).exclude(echr_application_no="")),
        "held_by_manual_hold": Exists(LegalHold.objects.filter(case=case, released_at__isnull=True)),
    }


def with_holds(cases: QuerySet[Case]) -> QuerySet[Case]:
    """Annotate each hold condition (held_by_*) on the cases."""
    return cases.annotate(**_hold_conditions())


def hold_reasons(case: Case) -> list[str]:
    """What keeps a case on legal hold, in words; empty when nothing does."""
    row = with_holds(Case.objects.filter(pk=case.pk)).values(*HOLD_KINDS).get()
    return [str(label) for kind, label in HOLD_KINDS.items() if row[kind]]


def erased_q() -> Q:
    """Cases whose personal data was erased after their latest closing (a reopened case holds data again)."""
    return Q(Exists(Erasure.objects.filter(case=OuterRef("pk"), case_closed_on=OuterRef("closed_on"))))


def retention_cutoff(today: datetime.date, years: int) -> datetime.date:
    """The same day `years` years before (28 February for 29 February)."""
    try:
        return today.replace(year=today.year - years)
    except ValueError:
        return today.replace(year=today.year - years, day=28)


def _past_retention_q(today: datetime.date, field: str) -> Q:
    """`field` lies before its organisation's retention cutoff; one term per distinct retention period."""
    q = Q(pk__in=[])
    for years in Organisation.objects.values_list("retention_years", flat=True).distinct():
        q |= Q(organisation__retention_years=years, **{f"{field}__lt": retention_cutoff(today, years)})
    return q


def cases_past_retention(today: datetime.date) -> QuerySet[Case]:
    """Closed cases past their retention period whose data is still there, held or not, oldest first."""
    return (
        Case.objects.filter(_past_retention_q(today, "closed_on"), status=Case.Status.CLOSED)
        .exclude(erased_q())
        .order_by("closed_on", "pk")
    )


def cases_due_for_erasure(today: datetime.date) -> QuerySet[Case]:
    """What the retention run erases: the cases past retention that nothing holds."""
    return cases_past_retention(today).filter(*(~condition for condition in _hold_conditions().values()))


def cases_held_past_retention(today: datetime.date) -> QuerySet[Case]:
    """Cases past retention kept by a legal hold, with the held_by_* annotations (for the dry run)."""
    return with_holds(cases_past_retention(today)).filter(
        Q(held_by_deadline=True) | Q(held_by_interim_measure=True) | Q(held_by_european_court=True)
        | Q(held_by_manual_hold=True)
    )


def clients_due_for_erasure(today: datetime.date) -> QuerySet[Client]:
    """Clients registered longer ago than the retention period who never had a case: nothing else
    would ever erase them."""
    registered_before = Q(pk__in=[])
    for years in Organisation.objects.values_list("retention_years", flat=True).distinct():
        registered_before |= Q(organisation__retention_years=years, created_at__date__lt=retention_cutoff(today, years))
    return (
        Client.objects.filter(registered_before)
        .filter(~Exists(Case.objects.filter(client=OuterRef("pk"))), ~Exists(Erasure.objects.filter(client=OuterRef("pk"))))
        .order_by("created_at", "pk")
    )


def client_holds_other_data(client: Client, *, besides: Case) -> bool:
    """Whether a case of the client other than `besides` still holds personal data."""
    return Case.objects.filter(client=client).exclude(pk=besides.pk).exclude(erased_q()).exists()


def case_erasure(case: Case) -> Erasure | None:
    """The erasure that covers the case as it stands (None if its data is there)."""
    if case.closed_on is None:
        return None
    return Erasure.objects.filter(case=case, case_closed_on=case.closed_on).first()


def client_erasure(client: Client) -> Erasure | None:
    return Erasure.objects.filter(client=client).first()


# --- Who may act ---------------------------------------------------------------------------------------


def case_legal_holds(case: Case) -> QuerySet[LegalHold]:
    return LegalHold.objects.filter(case=case).select_related("placed_by", "released_by")


def active_hold_of_case_or_404(case: Case, hold_id: int) -> LegalHold:
    return get_object_or_404(LegalHold, case=case, pk=hold_id, released_at__isnull=True)


def client_cases(client: Client) -> list[tuple[Case, list[str]]]:
    """The client's cases, each with what holds it (for the confirmation pages)."""
    cases = with_holds(Case.objects.filter(client=client)).order_by("opened_on", "pk")
    return [(case, [str(label) for kind, label in HOLD_KINDS.items() if getattr(case, kind)]) for case in cases]


# --- Subject access export -----------------------------------------------------------------------------


def _shown(instance: Model, field) -> str:
    """A field's value as a person reads it: choice labels, yes/no, names of related records."""
    if field.choices:
        return getattr(instance, f"get_{field.name}_display")()
    value = getattr(instance, field.name)
    if isinstance(instance, AsylumDecision) and isinstance(field, JSONField):
        return ", ".join(str(label) for label in instance.grounds_display)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime.datetime):
        return formats.localize(timezone.localtime(value))
    return "" if value is None else str(formats.localize(value))


def _first_upper(label) -> str:
    """Capitalise a verbose name without lowering the rest ("European Court application number")."""
    label = str(label)
    return label[:1].upper() + label[1:]


def facts(instance: Model, *, only: tuple[str, ...] | None = None, skip: tuple[str, ...] = ()) -> list[tuple[str, str]]:
    """(label, value) for the fields of a record, in model order, leaving out keys and bookkeeping."""
    rows = []
    for field in instance._meta.concrete_fields:
        if only is not None and field.name not in only:
            continue
        if field.primary_key or field.name in skip or field.name in ("case", "submission_token"):
            continue
        rows.append((_first_upper(field.verbose_name), _shown(instance, field)))
    return rows


@dataclass
class CaseExport:
    case: Case
    details: list[tuple[str, str]]
    records: list[tuple[str, list[list[tuple[str, str]]]]]


def _details(case: Case) -> list[tuple[str, str]]:
    try:
        return facts(DETAIL_MODELS[case.case_type].objects.get(case=case))
    except ObjectDoesNotExist:
        return []


def subject_access_export(client: Client) -> tuple[list[tuple[str, str]], list[CaseExport]]:
    """Everything held about a client, for them: their own fields, and per case its facts, type details,
    decisions, challenges, interim measures, claims, timeline, notes, status history and document list."""
    cases = (
        Case.objects.filter(client=client)
        .select_related("organisation")
        .prefetch_related("events", "notes", "documents", "status_changes", "asylum_decisions",
                          "domestic_challenges", "interim_measures", "wage_claims")
        .order_by("opened_on", "pk")
    )
    exports = []
    for case in cases:
        records = [
            (_first_upper(related.model._meta.verbose_name_plural), [facts(record) for record in related.all()])
            for related in (case.asylum_decisions, case.domestic_challenges, case.interim_measures, case.wage_claims)
        ]
        exports.append(CaseExport(case, _details(case), [(title, rows) for title, rows in records if rows]))
    return facts(client, only=PERSONAL_FIELDS), exports

