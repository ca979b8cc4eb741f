import datetime
from dataclasses import dataclass

from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet
from django.utils import timezone

from casework import access
from casework.cases.models import Case, CaseGroupObjectPermission, CaseUserObjectPermission
from casework.clients.names import family_name_key, full_name_key
from casework.lib.paging import PagedParts
from casework.lib.references import TYPED_REFERENCE

# A case whose removal is scheduled within this window is urgent wherever it is listed.
URGENT_WINDOW = datetime.timedelta(hours=72)


@dataclass(frozen=True)
class CaseFilters:
    case_type: str = ""
    status: str = ""
    jurisdiction: str = ""
    assigned_to_id: int | None = None
    assigned_to_me: bool = False
    urgent: bool = False


def _urgent_q() -> Q:
    now = timezone.now()
    return Q(deportation__scheduled_removal_at__gte=now, deportation__scheduled_removal_at__lte=now + URGENT_WINDOW)


def with_urgency(cases: QuerySet[Case]) -> QuerySet[Case]:
    """Annotate `is_urgent`: removal scheduled within the next 72 hours."""
    return cases.annotate(is_urgent=ExpressionWrapper(_urgent_q(), output_field=BooleanField()))


def _filtered(cases: QuerySet[Case], user, filters: CaseFilters) -> QuerySet[Case]:
    if filters.case_type:
        cases = cases.filter(case_type=filters.case_type)
    if filters.status:
        cases = cases.filter(status=filters.status)
    if filters.jurisdiction:
        cases = cases.filter(jurisdiction=filters.jurisdiction)
    if filters.assigned_to_id:
        cases = cases.filter(assigned_to_id=filters.assigned_to_id)
    if filters.assigned_to_me:
        cases = cases.filter(assigned_to=user)
    if filters.urgent:
        cases = cases.filter(_urgent_q())
    return cases


# The client's other encrypted fields: a list shows the name only, and each value costs a decryption.
_CLIENT_FIELDS_NOT_LISTED = ("other_spellings", "date_of_birth", "phones", "addresses", "document_numbers")
NEWEST_FIRST = ("-opened_on", "-id")


def _list_rows(cases: QuerySet[Case], user) -> QuerySet[Case]:
    """What a list row shows, fetched in the same query."""
    personal = ExpressionWrapper(access.personal_data_q(user), output_field=BooleanField())
    return (
        with_urgency(cases)
        .annotate(shows_personal_data=personal)
        .select_related("client", "assigned_to")
        .defer(*(f"client__{name}" for name in _CLIENT_FIELDS_NOT_LISTED))
        .order_by(*NEWEST_FIRST)
    )


def case_list(user, filters: CaseFilters = CaseFilters()) -> PagedParts:
    """The cases the user sees, newest first, a page at a time."""
    return PagedParts(
        parts=[_filtered(part, user, filters) for part in access.cases_visible_parts(user)],
        rows=_list_rows(access.cases_visible_to(user), user),
        ordering=NEWEST_FIRST,
    )


def case_search(user, query: str) -> QuerySet[Case]:
    """Cases by reference, or by the client's exact name through the blind indexes (never by decrypting)."""
    query = query.strip()[:200]
    cases = _list_rows(access.cases_visible_to(user), user)
    if TYPED_REFERENCE.match(query.upper()):
        plain = query.upper().replace("-", "")
        return cases.filter(reference=f"{plain[:3]}-{plain[3:6]}-{plain[6:]}")
    # A name never confirms a sensitive case to someone not named on it.
    return cases.filter(access.personal_data_q(user)).filter(
        Q(client__full_name_bidx=full_name_key(query)) | Q(client__family_name_bidx=family_name_key(query))
    )


def case_page(case: Case) -> Case:
    """Everything the case page shows, in a fixed number of queries whatever the case holds."""
    related = ["events__recorded_by", "notes__author", "documents", "status_changes__changed_by"]
    related += {
        Case.Type.ASYLUM: ["asylum_decisions", "domestic_challenges", "interim_measures"],
        Case.Type.DEPORTATION: ["domestic_challenges", "interim_measures"],
        Case.Type.UNPAID_WAGES: ["wage_claims"],
    }[case.case_type]
    detail = {Case.Type.ASYLUM: "asylum", Case.Type.DEPORTATION: "deportation", Case.Type.UNPAID_WAGES: "wages__employer"}
    return (
        with_urgency(Case.objects.filter(pk=case.pk))
        .select_related("client", "assigned_to", "organisation", detail[case.case_type])
        .prefetch_related(*related)
        .get()
    )


def cases_for_sharing(user) -> QuerySet[Case]:
    """An organisation admin's view of their organisation's cases: references only, no client data."""
    return (
        with_urgency(access.cases_shareable_by(user))
        .select_related("assigned_to")
        .only("reference", "case_type", "status", "jurisdiction", "opened_on", "assigned_to__username",
              "assigned_to__first_name", "assigned_to__last_name")
        .order_by("-opened_on", "-pk")
    )


@dataclass(frozen=True)
class Grant:
    kind: str  # "user" or "organisation"
    grantee: object
    level: str
    granted_by: object
    granted_at: object


def case_grants(case: Case) -> list[Grant]:
    """Who the case is shared with, one line per grantee, edit winning over view."""
    grants: dict[tuple[str, int], Grant] = {}
    user_rows = CaseUserObjectPermission.objects.filter(content_object=case).select_related(
        "user", "permission", "granted_by"
    )
    group_rows = CaseGroupObjectPermission.objects.filter(content_object=case).select_related(
        "group__organisation", "permission", "granted_by"
    )
    for kind, rows, grantee_of in (
        ("user", user_rows, lambda row: row.user),
        ("organisation", group_rows, lambda row: row.group.organisation),
    ):
        for row in rows:
            grantee = grantee_of(row)
            level = access.EDIT if row.permission.codename == access.GRANT_PERMS[access.EDIT] else access.VIEW
            key = (kind, grantee.pk)
            if key not in grants or level == access.EDIT:
                grants[key] = Grant(kind, grantee, level, row.granted_by, row.granted_at)
    return sorted(grants.values(), key=lambda g: g.granted_at)
