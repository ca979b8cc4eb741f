from django.db.models import QuerySet

from casework import access
from casework.orgs.models import Membership, Organisation


def members_of_my_organisation(user) -> QuerySet[Membership]:
    m = access.require(user, "members.manage")
    return Membership.objects.filter(organisation_id=m.organisation_id).select_related("user").order_by(
        "-is_active", "user__last_name", "user__username"
    )


def get_member_or_404(user, membership_id: int) -> Membership:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(members_of_my_organisation(user), pk=membership_id)


def partner_organisations(user) -> QuerySet[Organisation]:
    m = access.require(user, "case.share")
    return Organisation.objects.exclude(pk=m.organisation_id).order_by("name")
