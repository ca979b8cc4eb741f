from dataclasses import dataclass

from django.db.models import QuerySet

from casework import access
from casework.cases.models import Case, CaseGroupObjectPermission, CaseUserObjectPermission


@dataclass(frozen=True)
class CaseFilters:
    case_type: str = ""
    status: str = ""
    assigned_to_me: bool = False


def case_list(user, filters: CaseFilters = CaseFilters()) -> QuerySet[Case]:
    """The cases the user sees, newest first, with what the list shows fetched in the same query."""
    cases = access.cases_visible_to(user)
    if filters.case_type:
        cases = cases.filter(case_type=filters.case_type)
    if filters.status:
        cases = cases.filter(status=filters.status)
    if filters.assigned_to_me:
        cases = cases.filter(assigned_to=user)
    return cases.select_related("client", "assigned_to", "organisation").order_by("-opened_on", "-pk")


def cases_for_sharing(user) -> QuerySet[Case]:
    """An organisation admin's view of their organisation's cases: references only, no client data."""
    m = access.require(user, "case.share")
    return (
        Case.objects.filter(organisation_id=m.organisation_id)
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
