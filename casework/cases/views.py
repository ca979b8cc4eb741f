from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.conf import settings
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from casework import access
from casework.audit.models import Action
from casework.audit.services import audit_record
from casework.cases import selectors, services
from casework.cases.forms import (
    CaseCreateForm,
    CaseEditForm,
    CaseFilterForm,
    CaseSearchForm,
    EventForm,
    GrantForm,
    NoteForm,
    ReassignForm,
    RevokeForm,
)
from casework.cases.views_workflow import record_sections
from casework.forms import add_service_errors, submit
from casework.orgs.selectors import partner_organisations


def home(request):
    """Send each role to its work: case people to their cases, admins to their members."""
    if access.can(request.user, "case.create"):
        return redirect(reverse("case_list") + "?mine=on")
    if access.can(request.user, "members.manage"):
        return redirect("member_list")
    return render(request, "no_membership.html")


def case_list(request):
    """Filters travel in the query string; a search is POSTed so that no client name lands in a URL."""
    m = access.require(request.user, "case.create")
    form = CaseFilterForm(request.GET or None, organisation_id=m.organisation_id)
    search = CaseSearchForm(request.POST or None)
    filters = selectors.CaseFilters()
    if search.is_valid():
        audit_record(actor=request.user, action=Action.SEARCH, request=request, detail="list=cases")
        cases = selectors.case_search(request.user, search.cleaned_data["q"])[: settings.CASES_PAGE_SIZE]
        page = Paginator(cases, settings.CASES_PAGE_SIZE).get_page(1)
    else:
        if form.is_valid():
            data = form.cleaned_data
            filters = selectors.CaseFilters(
                case_type=data["case_type"], status=data["status"], jurisdiction=data["jurisdiction"],
                assigned_to_id=data["assigned_to"].pk if data["assigned_to"] else None,
                assigned_to_me=data["mine"], urgent=data["urgent"],
            )
        page = Paginator(selectors.case_list(request.user, filters), settings.CASES_PAGE_SIZE).get_page(
            request.GET.get("page")
        )
    return render(request, "cases/list.html", {"form": form, "search": search, "page": page, "filters": filters})


def case_detail(request, reference):
    case = access.get_case_or_404(request.user, reference)
    if not access.shows_personal_data(request.user, case):
        # A sensitive case seen by a coordinator not named on it: that it exists, no personal data.
        return render(request, "cases/detail_restricted.html", {"case": case})
    case = selectors.case_page(case)
    audit_record(actor=request.user, action=Action.VIEW_CASE, case=case, request=request)
    return render(
        request,
        "cases/detail.html",
        {
            "case": case,
            "actions": access.case_actions(request.user, case),
            "event_form": EventForm(),
            "note_form": NoteForm(),
            "record_sections": record_sections(case),
        },
    )


def case_open(request, public_id):
    """Open a case for a client of the user's organisation."""
    m = access.require(request.user, "case.create")
    client = access.get_client_or_404(request.user, public_id)
    if not access.works_with_client(request.user, client):
        raise Http404
    form = CaseCreateForm(request.POST or None, organisation=m.organisation, initial={"assigned_to": request.user})
    if (case := submit(form, lambda data: services.case_create(organisation=m.organisation, client=client, created_by=request.user, **data))):
        messages.success(request, _("Case %(reference)s opened.") % {"reference": case.reference})
        if access.cases_visible_to(request.user).filter(pk=case.pk).exists():
            return redirect("case_detail", reference=case.reference)
        # Opened for a colleague (or sensitive and named to someone else): the opener may not see it.
        if access.clients_visible_to(request.user).filter(pk=client.pk).exists():
            return redirect("client_detail", public_id=client.public_id)
        return redirect("case_list")
    return render(request, "cases/open.html", {"form": form, "client": client})


def case_edit(request, reference):
    case = access.get_case_or_404(request.user, reference, access.EDIT)
    form = CaseEditForm(
        request.POST or None,
        initial={"case_type": case.case_type, "jurisdiction": case.jurisdiction, "is_sensitive": case.is_sensitive},
    )
    if not access.may_set_sensitivity(request.user, case):
        del form.fields["is_sensitive"]
    if submit(form, lambda data: services.case_update(case=case, **{"is_sensitive": case.is_sensitive, **data})):
        messages.success(request, _("Case updated."))
        return redirect("case_detail", reference=case.reference)
    return render(request, "cases/edit.html", {"form": form, "case": case})


def case_reassign(request, reference):
    case = access.get_case_or_404(request.user, reference, access.REASSIGN)
    form = ReassignForm(request.POST or None, organisation_id=case.organisation_id, initial={"assigned_to": case.assigned_to})
    if form.is_valid():
        try:
            services.case_reassign(case=case, assigned_to=form.cleaned_data["assigned_to"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Case reassigned."))
            return redirect("case_detail", reference=case.reference)
    return render(request, "cases/reassign.html", {"form": form, "case": case})


def sharing_overview(request):
    page = Paginator(selectors.cases_for_sharing(request.user), settings.CASES_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "cases/sharing_overview.html", {"page": page})


def case_sharing(request, reference):
    case = access.get_case_or_404(request.user, reference, access.SHARE)
    form = GrantForm(request.POST or None, partners=partner_organisations(request.user))
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.case_grant(
                case=case,
                granted_by=request.user,
                level=data["level"],
                user=data.get("user") if data["grantee_kind"] == "user" else None,
                organisation=data["organisation"] if data["grantee_kind"] == "organisation" else None,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            grantee = data["user"] if data["grantee_kind"] == "user" else data["organisation"]
            audit_record(actor=request.user, action=Action.GRANT, case=case, request=request,
                         detail=f"{data['grantee_kind']}={grantee.pk} level={data['level']}")
            messages.success(request, _("Case %(reference)s shared.") % {"reference": case.reference})
            return redirect("case_sharing", reference=case.reference)
    return render(request, "cases/sharing.html", {"case": case, "form": form, "grants": selectors.case_grants(case)})


@require_POST
def case_revoke(request, reference):
    case = access.get_case_or_404(request.user, reference, access.SHARE)
    form = RevokeForm(request.POST)
    if form.is_valid():
        grantee = next(
            (g.grantee for g in selectors.case_grants(case)
             if g.kind == form.cleaned_data["grantee_kind"] and g.grantee.pk == form.cleaned_data["grantee_id"]),
            None,
        )
        if grantee is not None:
            services.case_revoke(case=case, **{"user" if form.cleaned_data["grantee_kind"] == "user" else "organisation": grantee})
            audit_record(actor=request.user, action=Action.REVOKE, case=case, request=request,
                         detail=f"{form.cleaned_data['grantee_kind']}={grantee.pk}")
            messages.success(request, _("Access revoked."))
            return redirect("case_sharing", reference=case.reference)
    messages.error(request, _("This grant no longer exists."))
    return redirect("case_sharing", reference=case.reference)
