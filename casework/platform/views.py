from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from casework import access
from casework.lib.forms import submit
from casework.orgs.selectors import role_requests_waiting
from casework.orgs.services import InvitationNotSent
from casework.platform import selectors, services
from casework.platform.forms import OrganisationOpenForm, SuspendForm

PAGE_SIZE = 50


def organisation_list(request):
    page = Paginator(selectors.organisations_overview(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "platform/organisations.html", {"page": page})


@transaction.non_atomic_requests  # the organisation is committed before the invitation goes (services)
def organisation_open(request):
    access.require_platform_operator(request.user)
    form = OrganisationOpenForm(request.POST or None, initial={"language": translation.get_language()})

    not_sent = []

    def open_(data):
        try:
            return services.organisation_open(by=request.user, **data)
        except InvitationNotSent as error:
            not_sent.append(error)
            return error.organisation

    if organisation := submit(form, open_):
        if not_sent:
            messages.error(request, _("The organisation was created, but the invitation e-mail to its admin could "
                                      "not be sent. Send it again below once the mail server works."))
        else:
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
    return render(request, "platform/organisation.html", {
        "organisation": organisation, "form": form, "admin_uninvited": selectors.admins_to_invite(organisation).exists(),
    })


@transaction.non_atomic_requests  # services.admin_invite sends outside a transaction
@require_POST
def organisation_admin_invite(request, slug):
    """A new set-password e-mail for the organisation's admin who has not set a password yet."""
    organisation = selectors.get_organisation_or_404(request.user, slug)
    try:
        services.admin_invite(organisation=organisation, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Its admin was sent a new invitation by e-mail."))
    return redirect("platform_organisation", slug=organisation.slug)


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
