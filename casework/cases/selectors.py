import datetime
from dataclasses import dataclass

from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, F, Min, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models import Case as CaseWhen
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext

from casework import access
from casework.audit.history import SECTION_SIZE, Entry, HistoryLog, Source
from casework.cases.models import (
    DETAIL_MODELS, RECORD_TYPES, Case, CaseGroupObjectPermission, CaseUserObjectPermission, DeportationDetail,
)
from casework.clients.names import family_name_key, full_name_key
from casework.deadlines.models import Deadline
from casework.lib.paging import ListedIds, PagedParts
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
    shared_with_us: bool = False  # only cases other organisations share with the user's


# The orders a case list offers. "My cases" opens most urgent first, the other lists newest first.
URGENT, NEWEST, OLDEST, NEXT_DEADLINE, NAME = "urgent", "newest", "oldest", "deadline", "name"
SORTS = (URGENT, NEWEST, OLDEST, NEXT_DEADLINE, NAME)
# Names are encrypted, so a list is sorted by name after decrypting them: up to this many cases.
NAME_SORT_LIMIT = 2000


def default_sort(filters: CaseFilters) -> str:
    return URGENT if filters.assigned_to_me else NEWEST


class TooManyToSortByName(Exception):
    """The list holds more than NAME_SORT_LIMIT cases: narrow it with the filters first."""


def _urgent_q() -> Q:
    now = timezone.now()
    return Q(removal_at__gte=now, removal_at__lte=now + URGENT_WINDOW)


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
    if filters.shared_with_us:
        cases = cases.exclude(organisation_id=access.membership(user).organisation_id)
    return cases


# The client's other encrypted fields: a list shows the name only, and each value costs a decryption.
_CLIENT_FIELDS_NOT_LISTED = ("other_spellings", "date_of_birth", "phones", "addresses", "document_numbers")
NEWEST_FIRST = ("-opened_on", "-id")


def _waiting(aggregate) -> Subquery:
    """One figure of the case's proposals waiting for a decision, for a list row."""
    return Subquery(Deadline.objects.filter(case=OuterRef("pk"), status=Deadline.Status.PROPOSED).order_by()
                    .values("case").annotate(figure=aggregate).values("figure"))


def _list_rows(cases: QuerySet[Case], user) -> QuerySet[Case]:
    """What a list row shows, fetched in the same query: the urgent mark, the next deadline (a column of
    the case), the proposals waiting and since when, and the removal still to come."""
    personal = ExpressionWrapper(access.personal_data_q(user), output_field=BooleanField())
    upcoming = CaseWhen(When(removal_at__gt=timezone.now(), then=F("removal_at")), default=None)
    return (
        with_urgency(cases)
        .annotate(shows_personal_data=personal, removal_ahead=upcoming,
                  waiting_proposals=Coalesce(_waiting(Count("pk")), 0), waiting_since=_waiting(Min("created_at")))
        .select_related("client", "assigned_to")
        .defer(*(f"client__{name}" for name in _CLIENT_FIELDS_NOT_LISTED))
        .order_by(*NEWEST_FIRST)
    )


_ORDERINGS = {NEWEST: NEWEST_FIRST, OLDEST: ("opened_on", "id"), NEXT_DEADLINE: ("next_due_date", "id")}


def case_list(user, filters: CaseFilters = CaseFilters(), sort: str = "") -> PagedParts | ListedIds | QuerySet[Case]:
    """The cases the user sees, a page at a time, in the order asked for (`default_sort` if none).

    Newest, oldest and next-deadline orders page part by part on the indexes (any size of organisation);
    most urgent first and by name sort the whole filtered list, meant for one person's cases (a name sort
    of more than NAME_SORT_LIMIT cases raises TooManyToSortByName)."""
    sort = sort or default_sort(filters)
    rows = _list_rows(access.cases_visible_to(user), user)
    if sort in _ORDERINGS:
        return PagedParts(
            parts=[_filtered(part, user, filters) for part in access.cases_visible_parts(user)],
            rows=rows, ordering=_ORDERINGS[sort], nulls_last=frozenset({"next_due_date"}),
        )
    listed = _filtered(access.cases_visible_to(user), user, filters)
    if sort == NAME:
        return ListedIds(_ids_by_name(listed, user), rows)
    return _by_urgency(_list_rows(listed, user))


def _by_urgency(rows: QuerySet[Case]) -> QuerySet[Case]:
    """Overdue first, then a removal to come (soonest first), then proposals waiting, then by next deadline."""
    today = timezone.localdate()
    waiting = Exists(Deadline.objects.filter(case=OuterRef("pk"), status=Deadline.Status.PROPOSED))
    rank = CaseWhen(
        When(next_due_date__lt=today, then=Value(0)),
        When(removal_ahead__isnull=False, then=Value(1)),
        When(waiting, then=Value(2)),
        When(next_due_date__isnull=False, then=Value(3)),
        default=Value(4),
    )
    return rows.annotate(urgency=rank).order_by(
        "urgency", F("removal_ahead").asc(nulls_last=True), F("next_due_date").asc(nulls_last=True), *NEWEST_FIRST
    )


def _ids_by_name(cases: QuerySet[Case], user) -> list[int]:
    """Ids in the order of the clients' names as written (family name, then given names). A sensitive case
    hidden from the user goes last, by reference: its place among the names would hint at the name."""
    if cases.count() > NAME_SORT_LIMIT:
        raise TooManyToSortByName
    personal = ExpressionWrapper(access.personal_data_q(user), output_field=BooleanField())
    rows = cases.annotate(shown=personal).values_list("pk", "shown", "reference", "client__family_name",
                                                       "client__given_names")

    def key(row):
        pk, shown, reference, family, given = row
        name = f"{family} {given}".casefold().replace("ё", "е")
        return (0, name, pk) if shown else (1, reference, pk)

    return [row[0] for row in sorted(rows, key=key)]


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
    # Only organisations' groups are partners; another group holding a grant (none in the app) is not one.
    group_rows = CaseGroupObjectPermission.objects.filter(content_object=case, group__organisation__isnull=False).select_related(
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


# Where a person can be found: on a sensitive case shown only on its whereabouts page (access.REVEAL_WHEREABOUTS),
# so its history names the field and keeps its values back.
WHEREABOUTS_FIELDS = {DeportationDetail: frozenset({"detention_place"})}


def case_history_log(case: Case, user) -> HistoryLog:
    """Who changed which field of the case, its details and its records, newest first: with old and new values
    for those who see the case's personal data (but a sensitive case's whereabouts), field names for the others."""
    def hidden(model) -> frozenset[str]:
        return WHEREABOUTS_FIELDS.get(model, frozenset()) if case.is_sensitive else frozenset()

    detail = DETAIL_MODELS[case.case_type]
    sources = [Source(Case, {"id": case.pk}, gettext("Case")),
               Source(detail, {"case_id": case.pk}, gettext("Details"), hidden(detail))]
    sources += [Source(model, {"case_id": case.pk}, capfirst(model._meta.verbose_name), hidden(model), dated=True)
                for model, types in RECORD_TYPES.items() if case.case_type in types]
    return HistoryLog(sources, values_shown=access.shows_personal_data(user, case))


def case_history(case: Case, user, limit: int = SECTION_SIZE) -> list[Entry]:
    """The latest changes for the case page: one query however long the history."""
    return case_history_log(case, user)[:limit]
