"""Views of cases: lists, the case page, opening, editing, sharing, and the case's working life (timeline,
notes, documents, details, status and per-type records). Thin: access decides, services write."""

import io

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from casework import access
from casework.audit import history
from casework.audit.models import Action
from casework.audit.services import audit_record
from casework.cases import forms, selectors, services
from casework.cases.models import DETAIL_MODELS, RECORD_KINDS, RECORD_TYPES, Case, CaseDocument, CaseEvent
from casework.lib.forms import add_service_errors, submit
from casework.lib.storage import document_read
from casework.orgs.selectors import partner_organisations
from casework.security.sessions import step_up


def home(request):
    """Send each role to its work: case people to their cases, admins to their members, platform operators to
    the organisations."""
    if access.can(request.user, "case.create"):
        return redirect(reverse("case_list") + "?mine=on")
    if access.can(request.user, "members.manage"):
        return redirect("member_list")
    if access.is_platform_operator(request.user):
        return redirect("platform_organisations")
    return render(request, "no_membership.html")


def case_list(request):
    """Filters travel in the query string; a search is POSTed so that no client name lands in a URL."""
    m = access.require(request.user, "case.create")
    form = forms.CaseFilterForm(request.GET or None, organisation_id=m.organisation_id)
    search = forms.CaseSearchForm(request.POST or None)
    filters, sort = selectors.CaseFilters(), ""
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
                assigned_to_me=data["mine"], urgent=data["urgent"], shared_with_us=data["shared"],
            )
            sort = data["sort"]
        try:
            cases = selectors.case_list(request.user, filters, sort)
        except selectors.TooManyToSortByName:
            messages.warning(request, _(
                "Sorting by name works for up to %(limit)s cases. Narrow the list with the filters first; "
                "it is shown in the usual order meanwhile."
            ) % {"limit": number_format(selectors.NAME_SORT_LIMIT, force_grouping=True)})
            sort = ""
            cases = selectors.case_list(request.user, filters)
        page = Paginator(cases, settings.CASES_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "cases/list.html", {
        "form": form, "search": search, "page": page, "filters": filters,
        "sort": sort or selectors.default_sort(filters),
    })


def case_detail(request, reference):
    case = access.case_for_view(request.user, reference)
    if not access.shows_personal_data(request.user, case):
        # A sensitive case seen by a coordinator not named on it: that it exists, no personal data.
        return render(request, "cases/detail_restricted.html", {"case": case, "history": selectors.case_history(case, request.user)})
    case = selectors.case_page(case)
    audit_record(actor=request.user, action=Action.VIEW_CASE, case=case, request=request)
    return render(
        request,
        "cases/detail.html",
        {
            "case": case,
            "actions": access.case_actions(request.user, case),
            "event_form": forms.EventForm(),
            "note_form": forms.NoteForm(),
            "record_sections": record_sections(case),
            "grants": selectors.case_grants(case),
            "history": selectors.case_history(case, request.user),
        },
    )


def case_history(request, reference):
    """Every change of the case, its details and its records, a page at a time (names only where the case's
    personal data is not the user's to see)."""
    case = access.case_for_view(request.user, reference)
    values_shown = access.shows_personal_data(request.user, case)
    page = Paginator(selectors.case_history_log(case, request.user), history.PAGE_SIZE).get_page(request.GET.get("page"))
    if values_shown:
        audit_record(actor=request.user, action=Action.VIEW_CASE, case=case, request=request, detail="page=history")
    return render(request, "audit/field_history.html", {
        "case": case, "page": page, "values_shown": values_shown,
        "back_url": reverse("case_detail", args=[case.reference]) + "#changes",
    })


def case_open(request, public_id):
    """Open a case for a client of the user's organisation."""
    m = access.require(request.user, "case.create")
    client = access.get_client_or_404(request.user, public_id)
    if not access.works_with_client(request.user, client):
        raise Http404
    form = forms.CaseCreateForm(request.POST or None, organisation=m.organisation, initial={"assigned_to": request.user})
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
    case = access.case_for_edit(request.user, reference)
    form = forms.CaseEditForm(
        request.POST or None,
        initial={"case_type": case.case_type, "jurisdiction": case.jurisdiction, "is_sensitive": case.is_sensitive},
    )
    if not access.may_set_sensitivity(request.user, case):
        del form.fields["is_sensitive"]
    if submit(form, lambda data: services.case_update(case=case, changed_by=request.user, **{"is_sensitive": case.is_sensitive, **data})):
        messages.success(request, _("Case updated."))
        return redirect("case_detail", reference=case.reference)
    return render(request, "cases/edit.html", {"form": form, "case": case})


def case_reassign(request, reference):
    case = access.case_for_reassign(request.user, reference)
    form = forms.ReassignForm(request.POST or None, organisation_id=case.organisation_id, initial={"assigned_to": case.assigned_to})
    if form.is_valid():
        try:
            services.case_reassign(case=case, assigned_to=form.cleaned_data["assigned_to"], changed_by=request.user)
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
    case = access.case_for_sharing(request.user, reference)
    form = forms.GrantForm(request.POST or None, partners=partner_organisations(request.user))
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
            messages.success(request, _("Case %(reference)s shared.") % {"reference": case.reference})
            return redirect("case_sharing", reference=case.reference)
    return render(request, "cases/sharing.html", {"case": case, "form": form, "grants": selectors.case_grants(case)})


@require_POST
def case_revoke(request, reference):
    case = access.case_for_sharing(request.user, reference)
    form = forms.RevokeForm(request.POST)
    if form.is_valid():
        grantee = next(
            (g.grantee for g in selectors.case_grants(case)
             if g.kind == form.cleaned_data["grantee_kind"] and g.grantee.pk == form.cleaned_data["grantee_id"]),
            None,
        )
        if grantee is not None:
            services.case_revoke(case=case, revoked_by=request.user,
                                 **{"user" if form.cleaned_data["grantee_kind"] == "user" else "organisation": grantee})
            messages.success(request, _("Access revoked."))
            return redirect("case_sharing", reference=case.reference)
    messages.error(request, _("This grant no longer exists."))
    return redirect("case_sharing", reference=case.reference)


def record_sections(case: Case) -> list[tuple[str, str, list]]:
    """(slug, heading, records) for each kind of record a case of this type holds (prefetched by case_page)."""
    return [
        (kind, model._meta.verbose_name_plural, list(getattr(case, related).all()))
        for kind, (model, related) in RECORD_KINDS.items()
        if case.case_type in RECORD_TYPES[model]
    ]


def _back(case: Case, anchor: str = ""):
    return redirect(reverse("case_detail", args=[case.reference]) + (f"#{anchor}" if anchor else ""))


def case_details_edit(request, reference):
    case = access.case_for_edit(request.user, reference)
    if access.needs_fresh_second_factor(request, access.EDIT_WHEREABOUTS, case=case):
        # The form holds the place of detention: the same fresh check as the whereabouts page.
        return step_up(request)
    detail = DETAIL_MODELS[case.case_type].objects.get(case=case)
    form_class = forms.DETAIL_FORMS[case.case_type]
    extra = {"organisation_id": case.organisation_id} if form_class is forms.WageDetailForm else {}
    form = form_class(request.POST or None, instance=detail, **extra)
    if submit(form, lambda data: services.details_update(case=case, changed_by=request.user, **data)):
        messages.success(request, _("Case details saved."))
        return _back(case, "details")
    return render(request, "cases/form_page.html", {"case": case, "form": form, "title": _("Case details"), "multipart": False})


def event_add(request, reference):
    case = access.case_for_edit(request.user, reference)
    form = forms.EventForm(request.POST or None)
    if (event := submit(form, lambda data: services.event_record(case=case, recorded_by=request.user, **data))):
        messages.success(request, _("Event recorded."))
        try:
            return redirect("deadline_proposals", reference=case.reference, event_id=event.pk)
        except NoReverseMatch:
            return _back(case, "timeline")
    return render(request, "cases/form_page.html", {"case": case, "form": form, "title": _("Record an event")})


def event_correct(request, reference, event_id):
    case = access.case_for_edit(request.user, reference)
    event = get_object_or_404(CaseEvent, case=case, pk=event_id)
    form = forms.EventCorrectForm(request.POST or None, initial={"occurred_on": event.occurred_on})
    if submit(form, lambda data: services.event_correct_date(event=event, changed_by=request.user, **data)):
        messages.success(request, _("Date corrected; the deadlines that follow from it were recomputed."))
        return _back(case, "timeline")
    title = _("Correct the date of “%(event)s”") % {"event": event.get_kind_display()}
    return render(request, "cases/form_page.html", {"case": case, "form": form, "title": title})


@require_POST
def note_add(request, reference):
    case = access.case_for_edit(request.user, reference)
    form = forms.NoteForm(request.POST)
    if submit(form, lambda data: services.note_add(case=case, author=request.user, **data)):
        messages.success(request, _("Note added."))
    else:
        messages.error(request, _("The note was not saved: %(errors)s") % {"errors": " ".join(m for ms in form.errors.values() for m in ms)})
    return _back(case, "notes")


def document_upload(request, reference):
    case = access.case_for_edit(request.user, reference)
    form = forms.DocumentForm(request.POST or None, request.FILES or None)
    if submit(form, lambda data: services.document_upload(case=case, uploaded_by=request.user, **data)):
        messages.success(request, _("Document uploaded."))
        return _back(case, "documents")
    return render(request, "cases/form_page.html", {"case": case, "form": form, "title": _("Upload a document"), "multipart": True})


def document_download(request, reference, document_id):
    """Decrypt and hand over a document; only through here, never from a public URL."""
    case = access.case_for_personal_data(request.user, reference)
    document = get_object_or_404(CaseDocument, case=case, public_id=document_id)
    try:
        data = document_read(document.storage_name)
    except FileNotFoundError:
        raise Http404 from None
    audit_record(actor=request.user, action=Action.DOWNLOAD_DOCUMENT, case=case, request=request,
                 detail=f"document={document.public_id}")
    response = FileResponse(io.BytesIO(data), as_attachment=True, filename=document.filename, content_type=document.content_type)
    response["Cache-Control"] = "no-store"
    return response


def case_status(request, reference):
    case = access.case_for_edit(request.user, reference)
    form = forms.StatusForm(request.POST or None, case=case)
    if submit(form, lambda data: services.case_set_status(case=case, changed_by=request.user, **data)):
        messages.success(request, _("Status changed."))
        return _back(case)
    return render(request, "cases/form_page.html", {"case": case, "form": form, "title": _("Change status")})


@never_cache
def case_reveal(request, reference):
    """A sensitive case's whereabouts (client addresses, detention place), shown only after a fresh
    second-factor check: a borrowed or stolen open session is not enough to find the person."""
    case = access.case_for_personal_data(request.user, reference)
    if not case.is_sensitive:
        return _back(case)
    if access.needs_fresh_second_factor(request, access.REVEAL_WHEREABOUTS, case=case):
        return step_up(request)
    detention_place = case.deportation.detention_place if case.case_type == Case.Type.DEPORTATION else ""
    audit_record(actor=request.user, action=Action.REVEAL_SENSITIVE, case=case, request=request)
    return render(request, "cases/reveal.html", {"case": case, "detention_place": detention_place})


def _record_kind(case: Case, kind: str):
    if kind not in RECORD_KINDS or case.case_type not in RECORD_TYPES[RECORD_KINDS[kind][0]]:
        raise Http404
    model = RECORD_KINDS[kind][0]
    return model, forms.RECORD_FORMS[model]


def record_add(request, reference, kind):
    case = access.case_for_edit(request.user, reference)
    model, form_class = _record_kind(case, kind)
    form = form_class(request.POST or None)
    if submit(form, lambda data: services.record_add(case=case, model=model, changed_by=request.user, **data)):
        messages.success(request, _("Saved."))
        return _back(case, kind)
    return render(request, "cases/form_page.html", {"case": case, "form": form, "title": model._meta.verbose_name.capitalize()})


def record_edit(request, reference, kind, record_id):
    case = access.case_for_edit(request.user, reference)
    model, form_class = _record_kind(case, kind)
    record = get_object_or_404(model, case=case, pk=record_id)
    form = form_class(request.POST or None, instance=record)
    if submit(form, lambda data: services.record_update(record=record, changed_by=request.user, **data)):
        messages.success(request, _("Saved."))
        return _back(case, kind)
    return render(request, "cases/form_page.html", {"case": case, "form": form, "title": model._meta.verbose_name.capitalize()})
