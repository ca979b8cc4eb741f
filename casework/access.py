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
from casework.orgs.models import Membership, PlatformOperator

if TYPE_CHECKING:
    from django.http import HttpRequest

    from casework.audit.models import AccessEvent
    from casework.cases.models import Case
    from casework.clients.models import Client
    from casework.deadlines.models import Deadline
    from casework.orgs.models import RoleRequest

Role = Membership.Role

# Capabilities a role gives inside its own organisation.
ROLE_CAPABILITIES: dict[str, frozenset[str]] = {
    Role.CASEWORKER: frozenset({"client.create", "client.export", "case.create", "case.edit_assigned"}),
    Role.COORDINATOR: frozenset(
        {"client.create", "client.export", "case.create", "case.edit_assigned", "case.view_all", "case.edit_all",
         "case.reassign", "audit.view", "roles.confirm"}
    ),
    Role.ORG_ADMIN: frozenset({"members.manage", "case.share", "audit.view", "organisation.settings"}),
}
# Roles that work with client data and so may receive a case shared with their organisation.
CASE_ROLES = (Role.CASEWORKER, Role.COORDINATOR)
# How much client data a role reaches: a step up (or an inactive member becoming active in a case role) is what
# four-eyes holds back and what the coordinators are told about.
CLIENT_DATA_REACH = {Role.ORG_ADMIN: 0, Role.CASEWORKER: 1, Role.COORDINATOR: 2}

# What one may do with a case, as case_actions() reports it for the buttons; also the levels of a grant.
VIEW, EDIT, REASSIGN = "view", "edit", "reassign"
GRANT_PERMS = {VIEW: "view_case", EDIT: "change_case"}


def membership(user) -> Membership | None:
    """The user's active membership, fetched once per request object. A member of a suspended organisation
    has none: every page that needs one is a 404 (and the session middleware signs them out)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    if not hasattr(user, "_casework_membership"):
        m = Membership.objects.select_related("organisation").filter(user=user, is_active=True).first()
        user._casework_suspended = m is not None and m.organisation.suspended_at is not None
        user._casework_membership = None if user._casework_suspended else m
    return user._casework_membership


def organisation_suspended(user) -> bool:
    """Whether the user is an active member of a suspended organisation (they may not sign in or stay
    signed in). Answered from the membership already fetched for the request."""
    membership(user)
    return getattr(user, "_casework_suspended", False)


def is_platform_operator(user) -> bool:
    """Someone who runs the deployment: a PlatformOperator row and no membership of any organisation, so
    no organisation's data reaches them through the role table. Remembered for the request."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if not hasattr(user, "_casework_operator"):
        user._casework_operator = PlatformOperator.objects.filter(user=user, user__membership__isnull=True).exists()
    return user._casework_operator


def require_platform_operator(user) -> None:
    """The platform pages exist only for operators: a 404 for everyone else."""
    if not is_platform_operator(user):
        raise Http404


def can(user, capability: str) -> bool:
    m = membership(user)
    return m is not None and capability in ROLE_CAPABILITIES[m.role]


def capabilities(user) -> frozenset[str]:
    """What the user's role allows inside their organisation (for the navigation)."""
    m = membership(user)
    return ROLE_CAPABILITIES[m.role] if m is not None else frozenset()


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


def _visible_case_or_404(user, reference: str) -> Case:
    if membership(user) is None or not is_reference(reference):
        # A reference comes from the URL: anything not shaped like one (a NUL byte would be a
        # database error) does not exist.
        raise Http404
    case = cases_visible_to(user).select_related("client", "assigned_to", "organisation").filter(
        reference=reference
    ).first()
    if case is None:
        raise Http404
    return case


def case_for_view(user, reference: str) -> Case:
    """A case the user sees (for a coordinator, a sensitive case not naming them shows no personal data:
    check shows_personal_data before showing any). Invisible: 404."""
    return _visible_case_or_404(user, reference)


def case_for_personal_data(user, reference: str) -> Case:
    """A case whose personal data (client, records, documents, deadlines' details) the user sees; 404 otherwise."""
    case = _visible_case_or_404(user, reference)
    if not shows_personal_data(user, case):
        raise Http404
    return case


def case_for_edit(user, reference: str) -> Case:
    """A case the user may change. Invisible: 404; visible but read-only: 403."""
    case = _visible_case_or_404(user, reference)
    if not _may_edit(user, case):
        raise PermissionDenied
    return case


def case_for_reassign(user, reference: str) -> Case:
    case = _visible_case_or_404(user, reference)
    if REASSIGN not in case_actions(user, case):
        raise PermissionDenied
    return case


def case_for_sharing(user, reference: str) -> Case:
    """A case of the admin's own organisation. Admins share without seeing client data, so this does not
    require visibility; to everyone else the sharing pages do not exist."""
    from casework.cases.models import Case

    m = require(user, "case.share")
    case = Case.objects.filter(organisation_id=m.organisation_id, reference=reference).first() if is_reference(reference) else None
    if case is None:
        raise Http404
    return case


def case_for_legal_holds(user, reference: str) -> Case:
    """A case whose legal holds the user may see and change: one they may edit and whose personal data
    they see (a hold's reason is personal), of their own organisation (retention is the owner's decision,
    not a partner's)."""
    case = case_for_personal_data(user, reference)
    if not may_manage_legal_holds(user, case):
        raise PermissionDenied
    return case


def may_manage_legal_holds(user, case: Case) -> bool:
    """Whether to offer the legal-hold page on the case page (the page itself checks again)."""
    m = membership(user)
    return (m is not None and case.organisation_id == m.organisation_id and shows_personal_data(user, case)
            and _may_edit(user, case))


def cases_shareable_by(user) -> QuerySet[Case]:
    """An organisation admin's organisation's cases (references only: the admin sees no client data)."""
    from casework.cases.models import Case

    m = require(user, "case.share")
    return Case.objects.filter(organisation_id=m.organisation_id)


def cases_assigned_to(user) -> QuerySet[Case]:
    """The visible cases assigned to the user: their own work list, deadlines and calendar feed."""
    return cases_visible_to(user).filter(assigned_to=user)


def organisation_deadlines(user) -> QuerySet[Deadline]:
    """Every deadline of the coordinator's organisation, sensitive cases' too (shown by reference only
    where shows_personal_data is False). A deadline carries its case's organisation (set from the case
    when it is made; a case never changes organisation), so the dashboard counts from the deadlines' index
    alone (bench/RESULTS.md); case__in=cases_visible_to(user) added 100 ms and changed nothing, since
    case.view_all is every case of the organisation."""
    from casework.deadlines.models import Deadline

    m = require(user, "case.view_all")
    return Deadline.objects.filter(organisation_id=m.organisation_id)


def organisation_cases(user) -> QuerySet[Case]:
    """Every case of the coordinator's organisation (the dashboard's removals), sensitive ones too: shown by
    reference only where personal_data_q does not admit them."""
    from casework.cases.models import Case

    m = require(user, "case.view_all")
    return Case.objects.filter(organisation_id=m.organisation_id)


def overdue_recipients(organisation_id: int) -> QuerySet[Membership]:
    """Who is told, besides the caseworker, that a deadline of the organisation is overdue: its active
    coordinators."""
    return active_coordinators(organisation_id)


def active_admins(organisation_id: int) -> QuerySet[Membership]:
    """The organisation's active admins (an operator may re-send a first admin's invitation)."""
    return Membership.objects.filter(organisation_id=organisation_id, role=Role.ORG_ADMIN, is_active=True)


def active_coordinators(organisation_id: int) -> QuerySet[Membership]:
    """The organisation's active coordinators: told of overdue deadlines and of new access to client data, and
    the ones who confirm such access under four-eyes."""
    return assignable_members(organisation_id).filter(role=Role.COORDINATOR, user__is_active=True)


# --- Roles that see client data (four-eyes) ---------------------------------------------------------------


def gains_client_data(*, role: str, was_role: str | None, was_active: bool) -> bool:
    """Whether becoming an active member with `role` (from `was_role`, active or not; None for a new member)
    reaches client data the member did not reach before."""
    if role not in CASE_ROLES:
        return False
    return not was_active or was_role is None or CLIENT_DATA_REACH[role] > CLIENT_DATA_REACH[was_role]


def role_requests_for_decision(user) -> QuerySet[RoleRequest]:
    """Role requests the user may decide, of any status (a decided one answers a repeated click): for a
    coordinator, their organisation's; for a platform operator, those of organisations without an active
    coordinator (a first coordinator needs someone to confirm them). Never one the user asked for or is about."""
    from casework.orgs.models import Organisation, RoleRequest

    m = membership(user)
    if m is not None and "roles.confirm" in ROLE_CAPABILITIES[m.role]:
        requests = RoleRequest.objects.filter(membership__organisation_id=m.organisation_id)
    elif is_platform_operator(user):
        coordinated = Exists(active_coordinators(OuterRef("pk")))
        requests = RoleRequest.objects.filter(membership__organisation__in=Organisation.objects.exclude(coordinated))
    else:
        return RoleRequest.objects.none()
    return requests.exclude(requested_by=user).exclude(membership__user=user)


def may_decide_role_request(user, role_request: RoleRequest) -> bool:
    """Whether the user may confirm or refuse this request (checked again by the service, under its lock)."""
    return role_requests_for_decision(user).filter(pk=role_request.pk).exists()


def user_for_named_grant(username: str):
    """The active user a case may be shared with by name, or None."""
    from django.contrib.auth import get_user_model

    username = username.strip()
    return get_user_model().objects.filter(username__iexact=username, is_active=True).first() if username else None


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
        # Reassigning a sensitive case to oneself would open its personal data.
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


def client_sensitive_case(user, client: Client) -> tuple[Case | None, bool]:
    """Where a client has a sensitive case, their addresses are shown only through its whereabouts page,
    and only to the people named on it (not to a colleague who once registered the client): the sensitive
    case naming the user (None if none does), and whether the client has any sensitive case."""
    sensitive = client.cases.filter(is_sensitive=True)
    named = sensitive.filter(personal_data_q(user)).first()
    return named, named is not None or sensitive.exists()


def may_edit_client(user, client: Client) -> bool:
    """Whether the user may change the client record: one they manage (works_with_client); where the client
    has a sensitive case, only the people named on it (the form holds the addresses)."""
    if not works_with_client(user, client):
        return False
    named, any_sensitive = client_sensitive_case(user, client)
    return named is not None or not any_sensitive


def client_for_subject_access(user, public_id) -> Client:
    """A client whose data the user may export for them or erase: their organisation's client, and the
    user sees the personal data of every case of the client (a partial export would mislead the client,
    a partial erasure would touch cases the user cannot see). Otherwise 404, also when the user sees the
    client but not all of their cases: a 403 would tell them a case they may not see exists."""
    from casework.cases.models import Case

    m = require(user, "client.export")
    client = get_client_or_404(user, public_id)
    if client.organisation_id != m.organisation_id:
        raise Http404
    seen = cases_visible_to(user).filter(personal_data_q(user)).values("pk")
    if Case.objects.filter(client=client).exclude(pk__in=seen).exists():
        raise Http404
    return client


def may_use_subject_access(user, client: Client) -> bool:
    """Whether to offer export and erasure on the client page (the pages themselves check again)."""
    try:
        client_for_subject_access(user, client.public_id)
    except Http404:
        return False
    return True


def audit_events_visible_to(user) -> QuerySet[AccessEvent]:
    """What the organisation's members did, and whatever anyone did with the organisation's cases and
    clients (a partner's views of a case shared with it and of that case's client)."""
    from casework.audit.models import AccessEvent

    org = require(user, "audit.view").organisation_id
    return AccessEvent.objects.filter(Q(organisation_id=org) | Q(case__organisation_id=org) | Q(client__organisation_id=org))


def organisation_people(user, capability: str):
    """Everyone who is or was a member of the user's organisation (to filter its trail or lists by), for a
    user holding `capability`."""
    from django.contrib.auth import get_user_model

    m = require(user, capability)
    return get_user_model().objects.filter(membership__organisation_id=m.organisation_id)


# --- Fresh second factor ("step-up") --------------------------------------------------------------------
# What hands over, changes or destroys what would let someone find a person needs a second-factor check
# from the last few minutes (casework.security.sessions.STEP_UP_SECONDS): a borrowed or stolen open
# session is not enough.
REVEAL_WHEREABOUTS = "reveal_whereabouts"      # a sensitive case's addresses and place of detention
EDIT_WHEREABOUTS = "edit_whereabouts"          # the forms that hold them (sensitive case details, client)
SUBJECT_ACCESS = "subject_access"              # export or erase everything about a person


def needs_fresh_second_factor(request: HttpRequest, action: str, *, case: Case | None = None,
                              client: Client | None = None) -> bool:
    """Whether `action` needs the code again before it goes ahead: the one step-up policy."""
    from casework.security.sessions import verified_recently

    if action == EDIT_WHEREABOUTS:
        applies = case.is_sensitive if case is not None else client_sensitive_case(request.user, client)[1]
    elif action in (REVEAL_WHEREABOUTS, SUBJECT_ACCESS):
        applies = True
    else:
        raise ValueError(f"Unknown step-up action {action!r}.")
    return applies and not verified_recently(request)
