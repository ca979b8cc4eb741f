"""What a platform operator reads: the organisations, each with how many members and cases it has. Nothing
about a member, a client or a case reaches these pages."""

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from casework import access
from casework.cases.models import Case
from casework.orgs.models import Membership, Organisation


def _per_organisation(rows: QuerySet) -> Coalesce:
    """How many of `rows` belong to the organisation, as a subquery (each answered from the rows' index on
    their organisation; 0 for none)."""
    counted = rows.filter(organisation_id=OuterRef("pk")).order_by().values("organisation_id")
    return Coalesce(Subquery(counted.annotate(n=Count("*")).values("n")), 0)


def organisations_overview(user) -> QuerySet[Organisation]:
    """Every organisation with its member and case counts, in one query; 404 for anyone but an operator."""
    access.require_platform_operator(user)
    return (
        Organisation.objects.only("name", "slug", "country", "suspended_at")
        .annotate(
            members_total=_per_organisation(Membership.objects.all()),
            members_active=_per_organisation(Membership.objects.filter(is_active=True)),
            cases_total=_per_organisation(Case.objects.all()),
        )
        .order_by("name")
    )


def get_organisation_or_404(user, slug: str) -> Organisation:
    return get_object_or_404(organisations_overview(user), slug=slug)


def admins_to_invite(organisation: Organisation) -> QuerySet[Membership]:
    """The organisation's active admins who have never set a password (an invitation not sent, lost or
    expired): the only members an operator may send a set-password link to."""
    return (access.active_admins(organisation.pk).filter(user__password__startswith=UNUSABLE_PASSWORD_PREFIX)
            .select_related("organisation", "user").order_by("pk"))
