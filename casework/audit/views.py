from django.core.paginator import Paginator
from django.shortcuts import render

from casework.audit import selectors
from casework.audit.forms import AuditFilterForm

PAGE_SIZE = 50


def audit_trail(request):
    form = AuditFilterForm(request.GET or None, members=selectors.audit_members(request.user))
    filters = selectors.AuditFilters()
    if form.is_valid():
        data = form.cleaned_data
        filters = selectors.AuditFilters(
            actor_id=data["actor"].pk if data["actor"] else None, case_reference=data["case"], action=data["action"]
        )
    page = Paginator(selectors.audit_trail(request.user, filters), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "audit/trail.html", {"form": form, "page": page})
