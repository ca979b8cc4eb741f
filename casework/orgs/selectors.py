from django.db.models import OuterRef, QuerySet, Subquery
from django.http import Http404

from casework import access
from casework.orgs.models import Membership, Organisation, RoleRequest

PENDING = RoleRequest.Status.PENDING


def members_of_my_organisation(user) -> QuerySet[Membership]:
    """The admin's organisation's members, each with `pending_role`: the role waiting for a coordinator's
    confirmation, if any."""
    m = access.require(user, "members.manage")
    pending = RoleRequest.objects.filter(membership=OuterRef("pk"), status=PENDING).values("role")
    return Membership.objects.filter(organisation_id=m.organisation_id).select_related("user").annotate(
        pending_role=Subquery(pending[:1])
    ).order_by("-is_active", "user__last_name", "user__username")


def get_member_or_404(user, membership_id: int) -> Membership:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(members_of_my_organisation(user), pk=membership_id)


def partner_organisations(user) -> QuerySet[Organisation]:
    m = access.require(user, "case.share")
    return Organisation.objects.exclude(pk=m.organisation_id).order_by("name")


def organisation_for_settings(user) -> Organisation:
    """The admin's own organisation, read afresh for its settings page (the form works on this copy, not on
    the one the request's membership holds)."""
    m = access.require(user, "organisation.settings")
    return Organisation.objects.get(pk=m.organisation_id)


def pending_role_request(membership: Membership) -> RoleRequest | None:
    """The role waiting for a coordinator's confirmation for this member (one at most)."""
    return membership.role_requests.filter(status=PENDING).select_related("requested_by").first()


def role_requests_waiting(user) -> QuerySet[RoleRequest]:
    """What waits for the user's decision, oldest first, with who it is for and who asked."""
    return (access.role_requests_for_decision(user).filter(status=PENDING)
            .select_related("membership__user", "membership__organisation", "requested_by").order_by("requested_at", "pk"))


def role_requests_waiting_count(user) -> int:
    """For the navigation of those who decide (one indexed count)."""
    return access.role_requests_for_decision(user).filter(status=PENDING).count()


def get_role_request_or_404(user, request_id: int) -> RoleRequest:
    """A request the user may decide, whatever its status (a repeated click finds it decided)."""
    request = access.role_requests_for_decision(user).select_related("membership__user", "membership__organisation").filter(
        pk=request_id).first()
    if request is None:
        raise Http404
    return request


def members_with_client_data(user) -> QuerySet[Membership]:
    """For a coordinator: who in the organisation reaches client data now (its active caseworkers and
    coordinators), newest member first."""
    m = access.require(user, "roles.confirm")
    return access.assignable_members(m.organisation_id).filter(user__is_active=True).select_related("user").order_by(
        "-created_at", "-pk")
