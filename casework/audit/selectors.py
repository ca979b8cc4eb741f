from dataclasses import dataclass

from django.db.models import QuerySet

from casework import access
from casework.audit.models import AccessEvent


@dataclass(frozen=True)
class AuditFilters:
    actor_id: int | None = None
    case_reference: str = ""
    action: str = ""


def audit_trail(user, filters: AuditFilters = AuditFilters()) -> QuerySet[AccessEvent]:
    """What the organisation's members did, and whatever anyone did with the organisation's cases and
    clients (a partner's views of a case shared with it and of that case's client), newest first."""
    events = access.audit_events_visible_to(user)
    if filters.actor_id:
        events = events.filter(actor_id=filters.actor_id)
    if filters.case_reference:
        events = events.filter(case__reference=filters.case_reference)
    if filters.action:
        events = events.filter(action=filters.action)
    return events.select_related("actor", "organisation", "case").order_by("-pk")


def audit_members(user) -> QuerySet:
    """Everyone who is or was a member of the organisation, to filter the trail by."""
    return access.organisation_people(user, "audit.view").order_by(
        "last_name", "first_name", "username"
    )
