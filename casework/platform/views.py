from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from casework import access
from casework.lib.forms import submit
from casework.orgs.selectors import role_requests_waiting
from casework.platform import selectors, services
from casework.platform.forms import OrganisationOpenForm, SuspendForm

PAGE_SIZE = 50


def organisation_list(request):
    page = Paginator(selectors.organisations_overview(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "platform/organisations.html", {"page": page})


def organisation_open(request):
    access.require_platform_operator(request.user)
    form = OrganisationOpenForm(request.POST or None, initial={"language": translation.get_language()})
    if organisation := submit(form, lambda data: services.organisation_open(by=request.user, **data)):
        messages.success(request, _("The organisation was created. Its first admin was sent an invitation by e-mail."))
        return redirect("platform_organisation", slug=organisation.slug)
    return render(request, "platform/organisation_open.html", {"form": form})


def organisation_detail(request, slug):
    """The organisation's counts and state; its suspension form posts here (and shows its error here)."""
    organisation = selectors.get_organisation_or_404(request.user, slug)
    form = SuspendForm(request.POST or None)
    if form.is_valid():
        if services.organisation_suspend(organisation=organisation, by=request.user):
            messages.success(request, _("The organisation is suspended: its members are signed out and cannot sign in."))
        else:
            messages.info(request, _("The organisation was already suspended."))
        return redirect("platform_organisation", slug=organisation.slug)
    return render(request, "platform/organisation.html", {"organisation": organisation, "form": form})


@require_POST
def organisation_reactivate(request, slug):
    organisation = selectors.get_organisation_or_404(request.user, slug)
    if services.organisation_reactivate(organisation=organisation, by=request.user):
        messages.success(request, _("The organisation is active again: its members can sign in."))
    else:
        messages.info(request, _("The organisation was already active."))
    return redirect("platform_organisation", slug=organisation.slug)


def role_requests(request):
    """Roles waiting for a confirmation that nobody inside their organisation can give (it has no active
    coordinator yet, e.g. a new organisation's first coordinator). Decided through the members' own form."""
    access.require_platform_operator(request.user)
    return render(request, "platform/role_requests.html", {"waiting": role_requests_waiting(request.user)})
