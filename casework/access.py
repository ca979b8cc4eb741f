"""Who may see or do what: the only module that decides.

Rules (DESIGN.md, "Access"):
- a caseworker sees the cases of their organisation assigned to them, plus cases granted to them
  or to their organisation;
- a coordinator sees every case of their organisation, plus granted ones;
- an organisation admin manages members and sharing, and sees no client data by that role alone;
- a sensitive case is seen only by the users named on it: its assignee and users granted it by name;
- anything not visible is a 404, so its existence does not leak.
Lists stay fast: the membership and the granted case ids are fetched first (one indexed query
each), then cases are filtered by them; guardian's get_objects_for_user is never used on a list.
"""

from __future__ import annotations

import functools
import operator
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import BooleanField, Exists, OuterRef, Q, QuerySet, Value
from django.http import Http404

from casework.lib.references import is_reference
from casework.orgs.models import Membership

if TYPE_CHECKING:
    from casework.cases.models import Case
    from casework.clients.models import Client

Role = Membership.Role

# Capabilities a role gives inside its own organisation.
ROLE_CAPABILITIES: dict[str, frozenset[str]] = {
    Role.CASEWORKER: frozenset({"client.create", "client.export", "case.create", "case.edit_assigned"}),
    Role.COORDINATOR: frozenset(
        {"client.create", "client.export", "case.create", "case.edit_assigned", "case.view_all", "case.edit_all",
         "case.reassign", "audit.view"}
    ),
    Role.ORG_ADMIN: frozenset({"members.manage", "case.share", "audit.view"}),
}
# Roles that work with client data and so may receive a case shared with their organisation.
CASE_ROLES = (Role.CASEWORKER, Role.COORDINATOR)

# Actions on one case. PERSONAL: see its personal data (documents, client details), which a
# sensitive case keeps from everyone not named on it.
VIEW, PERSONAL, EDIT, REASSIGN, SHARE = "view", "personal", "edit", "reassign", "share"
GRANT_PERMS = {VIEW: "view_case", EDIT: "change_case"}


def membership(user) -> Membership | None:
    """The user's active membership, fetched once per request object."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    if not hasattr(user, "_casework_membership"):
        user._casework_membership = (
            Membership.objects.select_related("organisation").filter(user=user, is_active=True).first()
        )
    return user._casework_membership


def can(user, capability: str) -> bool:
    m = membership(user)
    return m is not None and capability in ROLE_CAPABILITIES[m.role]


def require(user, capability: str) -> Membership:
    """The membership of a user who holds `capability`; otherwise a 404 (pages of other roles do not exist)."""
    m = membership(user)
    if m is None or capability not in ROLE_CAPABILITIES[m.role]:
        raise Http404
    return m


def _granted_case_ids(user, m: Membership, perms: tuple[str, ...]) -> tuple[frozenset[int], frozenset[int]]:
    """Ids of cases granted to the user by name, and to the user's organisation, with any of `perms`.
    Every grant is read in one query, remembered on the user object for the rest of the request."""
    from casework.cases.models import CaseGroupObjectPermission, CaseUserObjectPermission

    cache = user.__dict__.setdefault("_casework_grants", {})
    if "rows" not in cache:
        rows = CaseUserObjectPermission.objects.filter(user=user).values_list(
            "content_object_id", Value(False, output_field=BooleanField()), "permission__codename"
        )
        if m.role in CASE_ROLES:
            by_org = CaseGroupObjectPermission.objects.filter(group_id=m.organisation.group_id).values_list(
                "content_object_id", Value(True, output_field=BooleanField()), "permission__codename"
            )
            rows = rows.union(by_org, all=True)
        cache["rows"] = list(rows)
    if perms not in cache:
        named, shared = set(), set()
        for case_id, via_org, codename in cache["rows"]:
            if codename in perms:
                (shared if via_org else named).add(case_id)
        cache[perms] = frozenset(named), frozenset(shared)
    return cache[perms]


VIEW_PERMS, EDIT_PERMS = ("view_case", "change_case"), ("change_case",)


def _named_q(user, named: frozenset[int]) -> Q:
    return Q(assigned_to=user) | Q(pk__in=named)


def _visibility(user, m: Membership, perms: tuple[str, ...]) -> tuple[Q | None, Q | None]:
    """The cases the user may act on, in two parts: by role inside the organisation, and by grant."""
    named, shared = _granted_case_ids(user, m, perms)
    granted = (Q(pk__in=named) | Q(pk__in=shared, is_sensitive=False)) if named or shared else None
    own = Q(organisation_id=m.organisation_id)
    if "case.view_all" in ROLE_CAPABILITIES[m.role]:
        # Coordinators see every case of the organisation, sensitive ones too (that they exist, and
        # their deadlines); the personal data of a sensitive case stays with the people named on it.
        return (own if perms == VIEW_PERMS else own & (Q(is_sensitive=False) | Q(assigned_to=user))), granted
    if "case.edit_assigned" in ROLE_CAPABILITIES[m.role]:
        return own & Q(assigned_to=user), granted
    return None, granted


def _visible_q(user, m: Membership, perms: tuple[str, ...]) -> Q:
    by_role, granted = _visibility(user, m, perms)
    if by_role is None or granted is None:
        return by_role or granted or Q(pk__in=[])
    return by_role | granted


def personal_data_q(user) -> Q:
    """Cases whose personal data the user may see: not sensitive, or naming the user."""
    m = membership(user)
    if m is None:
        return Q(pk__in=[])
    named, _shared = _granted_case_ids(user, m, VIEW_PERMS)
    return Q(is_sensitive=False) | _named_q(user, named)


def shows_personal_data(user, case: Case) -> bool:
    m = membership(user)
    if m is None:
        return False
    named, _shared = _granted_case_ids(user, m, VIEW_PERMS)
    return not case.is_sensitive or case.assigned_to_id == user.pk or case.pk in named


def cases_visible_to(user) -> QuerySet[Case]:
    from casework.cases.models import Case

    m = membership(user)
    if m is None:
        return Case.objects.none()
    return Case.objects.filter(_visible_q(user, m, VIEW_PERMS))


def cases_visible_parts(user) -> list[QuerySet[Case]]:
    """cases_visible_to(user) as disjoint querysets, each answered by one index (the organisation's or the
    assignee's cases; the few granted from outside them). A list counts and pages through each part on
    its index instead of sorting the union of thousands of cases (bench/RESULTS.md)."""
    from casework.cases.models import Case

    m = membership(user)
    if m is None:
        return []
    by_role, granted = _visibility(user, m, VIEW_PERMS)
    parts = [Case.objects.filter(by_role)] if by_role is not None else []
    if granted is not None:
        from_grants = Case.objects.filter(granted)
        parts.append(from_grants.exclude(by_role) if by_role is not None else from_grants)
    return parts


def cases_editable_by(user) -> QuerySet[Case]:
    from casework.cases.models import Case

    m = membership(user)
    if m is None:
        return Case.objects.none()
    return Case.objects.filter(_visible_q(user, m, EDIT_PERMS))


def get_case_or_404(user, reference: str, action: str = VIEW) -> Case:
    """The case the user may act on. Invisible: 404. Visible but not allowed: 403."""
    from casework.cases.models import Case

    m = membership(user)
    if m is None or not is_reference(reference):
        # A reference comes from the URL: anything not shaped like one (a NUL byte would be a
        # database error) does not exist.
        raise Http404
    if action == SHARE:
        # Admins share without seeing client data, so this does not require visibility.
        if "case.share" not in ROLE_CAPABILITIES[m.role]:
            raise Http404
        case = Case.objects.filter(organisation_id=m.organisation_id, reference=reference).first()
        if case is None:
            raise Http404
        return case
    case = cases_visible_to(user).select_related("client", "assigned_to", "organisation").filter(
        reference=reference
    ).first()
    if case is None:
        raise Http404
    if action == PERSONAL and not shows_personal_data(user, case):
        raise Http404
    if action == EDIT and not _may_edit(user, case):
        raise PermissionDenied
    if action == REASSIGN and not (
        "case.reassign" in ROLE_CAPABILITIES[m.role]
        and case.organisation_id == m.organisation_id
        # Reassigning a sensitive case to oneself would open its personal data.
        and shows_personal_data(user, case)
    ):
        raise PermissionDenied
    return case


def may_set_sensitivity(user, case: Case) -> bool:
    """Sensitivity is the owning organisation's decision: a partner with edit access could otherwise
    hide the case from the owner's coordinator, or open it to the partner organisation as a whole."""
    m = membership(user)
    return m is not None and case.organisation_id == m.organisation_id


def _may_edit(user, case: Case) -> bool:
    """Remembered per case for the request: a page asks for its buttons, panels and links."""
    cache = user.__dict__.setdefault("_casework_editable", {})
    if case.pk not in cache:
        cache[case.pk] = cases_editable_by(user).filter(pk=case.pk).exists()
    return cache[case.pk]


def case_actions(user, case: Case) -> set[str]:
    """What the user may do with a case they can see, for showing the right buttons."""
    m = membership(user)
    actions = {VIEW}
    if _may_edit(user, case):
        actions.add(EDIT)
    if (
        m and "case.reassign" in ROLE_CAPABILITIES[m.role] and case.organisation_id == m.organisation_id
        and shows_personal_data(user, case)
    ):
        actions.add(REASSIGN)
    return actions


def _client_parts_q(user, m: Membership) -> list[Q]:
    """The clients of cases whose personal data the user sees; for caseworkers and coordinators also the
    clients they registered, and for coordinators every client of the organisation -- except, in both
    cases, a client of a sensitive case that does not name the user. Disjoint: the organisation's own
    clients, then those of cases granted from other organisations."""
    from casework.cases.models import Case

    # Own clients are checked with EXISTS on their own cases, which PostgreSQL answers from a small hash
    # (the organisation's sensitive cases hidden from the user, each checked once for a case of the same
    # client that the user does see) while it walks the organisation's newest-first index, instead of
    # first collecting the clients of every case the user sees (bench/RESULTS.md).
    org = m.organisation_id
    shows = cases_visible_to(user).filter(personal_data_q(user))
    seen = Q(Exists(shows.filter(client_id=OuterRef("pk"))))
    hidden = (Case.objects.filter(organisation_id=org, client_id=OuterRef("pk")).exclude(personal_data_q(user))
              .exclude(Exists(shows.filter(client_id=OuterRef("client_id")))))
    if "case.view_all" in ROLE_CAPABILITIES[m.role]:
        seen = ~Q(Exists(hidden))  # every client but those hidden and not seen through another case
    elif m.role in CASE_ROLES:
        seen = (Q(created_by=user) & ~Q(Exists(hidden))) | seen
    parts = [Q(organisation_id=org) & seen]
    _by_role, granted = _visibility(user, m, VIEW_PERMS)
    if granted is not None:
        from_partners = Case.objects.filter(granted, personal_data_q(user)).exclude(organisation_id=org)
        parts.append(Q(pk__in=from_partners.values("client_id")) & ~Q(organisation_id=org))
    return parts


def clients_visible_parts(user) -> list[QuerySet[Client]]:
    """clients_visible_to(user) as disjoint querysets, for paging part by part (casework.lib.paging)."""
    from casework.clients.models import Client

    m = membership(user)
    return [Client.objects.filter(q) for q in _client_parts_q(user, m)] if m is not None else []


def clients_visible_to(user) -> QuerySet[Client]:
    from casework.clients.models import Client

    m = membership(user)
    if m is None:
        return Client.objects.none()
    return Client.objects.filter(functools.reduce(operator.or_, _client_parts_q(user, m)))


def works_with_client(user, client: Client) -> bool:
    """Whether the user may edit the client and open cases for them: a caseworker or coordinator of the
    client's own organisation (a partner sees a shared case's client but does not manage the record)."""
    m = membership(user)
    return m is not None and m.role in CASE_ROLES and client.organisation_id == m.organisation_id


def get_client_or_404(user, public_id) -> Client:
    client = clients_visible_to(user).filter(public_id=public_id).first()
    if client is None:
        raise Http404
    return client


def assignable_members(organisation_id: int) -> QuerySet[Membership]:
    """Who may be assigned a case of this organisation: its active caseworkers and coordinators."""
    return Membership.objects.filter(organisation_id=organisation_id, is_active=True, role__in=CASE_ROLES)
