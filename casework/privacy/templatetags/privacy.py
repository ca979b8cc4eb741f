"""What the case and client pages show about retention, for templates/privacy/_case_panel.html and
_client_panel.html (included at the end of the pages' content)."""

from django import template

from casework import access
from casework.privacy import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def case_privacy(context, case) -> dict:
    user = context["request"].user
    return {
        "erasure": selectors.case_erasure(case),
        "hold_reasons": selectors.hold_reasons(case),
        "may_manage_holds": access.may_manage_legal_holds(user, case),
    }


@register.simple_tag(takes_context=True)
def client_privacy(context, client) -> dict:
    user = context["request"].user
    return {
        "erasure": selectors.client_erasure(client),
        "may_use_subject_access": access.may_use_subject_access(user, client),
    }
