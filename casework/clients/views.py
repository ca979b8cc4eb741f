from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from casework import access
from casework.audit import history
from casework.audit.models import Action
from casework.audit.services import audit_record
from casework.cases.selectors import with_urgency
from casework.clients import selectors, services
from casework.clients.forms import ClientEditForm, ClientForm, ClientSearchForm
from casework.security.sessions import step_up


def client_list(request):
    """The client registry. A name search is POSTed, so no name ever lands in a URL, a log or history."""
    access.require(request.user, "client.create")
    form = ClientSearchForm(request.POST or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    if query:
        audit_record(actor=request.user, action=Action.SEARCH, request=request, detail="list=clients")
        clients = selectors.client_search(request.user, query)
        page = Paginator(clients, settings.CASES_PAGE_SIZE).get_page(1)
    else:
        page = Paginator(selectors.client_list(request.user), settings.CASES_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "clients/list.html", {"form": form, "page": page, "query": query})


def client_create(request):
    m = access.require(request.user, "client.create")
    form = ClientForm(request.POST or None)
    if form.is_valid():
        client = services.client_create(organisation=m.organisation, created_by=request.user, **form.cleaned_data)
        messages.success(request, _("Client registered."))
        return redirect("client_detail", public_id=client.public_id)
    return render(request, "clients/form.html", {"form": form})


def client_detail(request, public_id):
    client = access.get_client_or_404(request.user, public_id)
    cases = with_urgency(access.cases_visible_to(request.user).filter(client=client)).select_related("assigned_to")
    cases = cases.order_by("-opened_on")
    can_open_case = access.works_with_client(request.user, client)
    sensitive_case, addresses_hidden = access.client_sensitive_case(request.user, client)
    audit_record(actor=request.user, action=Action.VIEW_CLIENT, client=client, request=request,
                 detail=f"client={client.public_id}")
    return render(
        request,
        "clients/detail.html",
        {"client": client, "cases": cases, "can_open_case": can_open_case, "sensitive_case": sensitive_case,
         "addresses_hidden": addresses_hidden,
         "history": selectors.client_history(client, addresses_hidden=addresses_hidden)},
    )


def client_history(request, public_id):
    """Every change of the client's fields, a page at a time."""
    client = access.get_client_or_404(request.user, public_id)
    _named, addresses_hidden = access.client_sensitive_case(request.user, client)
    log = selectors.client_history_log(client, addresses_hidden=addresses_hidden)
    page = Paginator(log, history.PAGE_SIZE).get_page(request.GET.get("page"))
    audit_record(actor=request.user, action=Action.VIEW_CLIENT, client=client, request=request,
                 detail=f"client={client.public_id} page=history")
    return render(request, "audit/field_history.html", {
        "client": client, "page": page, "values_shown": True,
        "back_url": reverse("client_detail", args=[client.public_id]) + "#changes",
    })


def client_edit(request, public_id):
    access.require(request.user, "client.create")
    client = access.get_client_or_404(request.user, public_id)
    if not access.may_edit_client(request.user, client):
        return redirect("client_detail", public_id=client.public_id)
    if access.needs_fresh_second_factor(request, access.EDIT_WHEREABOUTS, client=client):
        return step_up(request)
    form = ClientEditForm(request.POST or None, instance=client)
    if form.is_valid():
        services.client_update(client=client, changed_by=request.user, **{name: form.cleaned_data[name] for name in ClientEditForm.Meta.fields})
        messages.success(request, _("Client updated."))
        return redirect("client_detail", public_id=client.public_id)
    return render(request, "clients/form.html", {"form": form, "client": client})
