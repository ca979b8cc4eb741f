from django import template

from casework.orgs import selectors
from casework.orgs.models import Membership

register = template.Library()


@register.simple_tag
def role_requests_waiting_count(user) -> int:
    """For the navigation of a coordinator: `{% role_requests_waiting_count user as waiting %}`."""
    return selectors.role_requests_waiting_count(user)


@register.filter
def role_label(role: str) -> str:
    """`{{ member.pending_role|role_label }}`: a role's name in the reader's language."""
    return Membership.Role(role).label if role in Membership.Role.values else ""
