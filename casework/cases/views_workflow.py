"""Views of a case's working life: timeline, notes, documents, details, status and per-type records."""

import io

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from casework import access
from casework.audit.models import Action
from casework.audit.services import audit_record
from casework.cases import forms, services, workflow
from casework.cases.models import AsylumDecision, Case, CaseDocument, CaseEvent, DomesticChallenge, InterimMeasure, WageClaim
from casework.crypto import decrypt_bytes
from casework.forms import submit
from casework.security.sessions import step_up, verified_recently

DETAIL_FORMS = {
    Case.Type.ASYLUM: forms.AsylumDetailForm,
    Case.Type.DEPORTATION: forms.DeportationDetailForm,
    Case.Type.UNPAID_WAGES: forms.WageDetailForm,
}
# URL slug -> (model, form, related name on Case)
RECORDS = {
    "decisions": (AsylumDecision, forms.AsylumDecisionForm, "asylum_decisions"),
    "challenges": (DomesticChallenge, forms.DomesticChallengeForm, "domestic_challenges"),
    "interim-measures": (InterimMeasure, forms.InterimMeasureForm, "interim_measures"),
    "claims": (WageClaim, forms.WageClaimForm, "wage_claims"),
}


def record_sections(case: Case) -> list[tuple[str, str, list]]:
    """(slug, heading, records) for each kind of record a case of this type holds (prefetched by case_page)."""
    return [
        (kind, model._meta.verbose_name_plural, list(getattr(case, related).all()))
        for kind, (model, _form, related) in RECORDS.items()
        if case.case_type in workflow.RECORD_TYPES[model]
    ]


def _back(case: Case, anchor: str = ""):
    return redirect(reverse("case_detail", args=[case.reference]) + (f"#{anchor}" if anchor else ""))


def case_details_edit(request, reference):
    case = access.get_case_or_404(request.user, reference, access.EDIT)
    if case.is_sensitive and not verified_recently(request):
        # The form holds the place of detention: the same fresh check as the whereabouts page.
        return step_up(request)
    detail = workflow.DETAIL_MODELS[case.case_type].objects.get(case=case)
    form_class = DETAIL_FORMS[case.case_type]
    extra = {"organisation_id": case.organisation_id} if form_class is forms.WageDetailForm else {}
    form = form_class(request.POST or None, instance=detail, **extra)
    if submit(form, lambda data: workflow.details_update(case=case, **data)):
        messages.success(request, _("Case details saved."))
        return _back(case, "details")
    return render(request, "cases/form_page.html", {"case": case, "form": form, "title": _("Case details"), "multipart": False})


def event_add(request, reference):
    case = access.get_case_or_404(request.user, reference, access.EDIT)
    form = forms.EventForm(request.POST or None)
    if (event := submit(form, lambda data: services.event_record(case=case, recorded_by=request.user, **data))):
        messages.success(request, _("Event recorded."))
        try:
            return redirect("deadline_proposals", reference=case.reference, event_id=event.pk)
        except NoReverseMatch:
            return _back(case, "timeline")
    return render(request, "cases/form_page.html", {"case": case, "form": form, "title": _("Record an event")})


def event_correct(request, reference, event_id):
    case = access.get_case_or_404(request.user, reference, access.EDIT)
    event = get_object_or_404(CaseEvent, case=case, pk=event_id)
    form = forms.EventCorrectForm(request.POST or None, initial={"occurred_on": event.occurred_on})
    if submit(form, lambda data: services.event_correct_date(event=event, changed_by=request.user, **data)):
        messages.success(request, _("Date corrected; the deadlines that follow from it were recomputed."))
        return _back(case, "timeline")
    title = _("Correct the date of “%(event)s”") % {"event": event.get_kind_display()}
    return render(request, "cases/form_page.html", {"case": case, "form": form, "title": title})


@require_POST
def note_add(request, reference):
    case = access.get_case_or_404(request.user, reference, access.EDIT)
    form = forms.NoteForm(request.POST)
    if form.is_valid():
        workflow.note_add(case=case, author=request.user, **form.cleaned_data)
        messages.success(request, _("Note added."))
    else:
        messages.error(request, _("The note was not saved: %(errors)s") % {"errors": " ".join(m for ms in form.errors.values() for m in ms)})
    return _back(case, "notes")


def document_upload(request, reference):
    case = access.get_case_or_404(request.user, reference, access.EDIT)
    form = forms.DocumentForm(request.POST or None, request.FILES or None)
    if submit(form, lambda data: workflow.document_upload(case=case, uploaded_by=request.user, **data)):
        messages.success(request, _("Document uploaded."))
        return _back(case, "documents")
    return render(request, "cases/form_page.html", {"case": case, "form": form, "title": _("Upload a document"), "multipart": True})


def document_download(request, reference, document_id):
    """Decrypt and hand over a document; only through here, never from a public URL."""
    case = access.get_case_or_404(request.user, reference, access.PERSONAL)
    document = get_object_or_404(CaseDocument, case=case, public_id=document_id)
    try:
        data = decrypt_bytes((workflow.documents_dir() / document.storage_name).read_bytes())
    except FileNotFoundError:
        raise Http404 from None
    audit_record(actor=request.user, action=Action.DOWNLOAD_DOCUMENT, case=case, request=request,
                 detail=f"document={document.public_id}")
    response = FileResponse(io.BytesIO(data), as_attachment=True, filename=document.filename, content_type=document.content_type)
    response["Cache-Control"] = "no-store"
    return response


def case_status(request, reference):
    case = access.get_case_or_404(request.user, reference, access.EDIT)
    form = forms.StatusForm(request.POST or None, case=case)
    if submit(form, lambda data: workflow.case_set_status(case=case, changed_by=request.user, **data)):
        messages.success(request, _("Status changed."))
        return _back(case)
    return render(request, "cases/form_page.html", {"case": case, "form": form, "title": _("Change status")})


@never_cache
def case_reveal(request, reference):
    """A sensitive case's whereabouts (client addresses, detention place), shown only after a fresh
    second-factor check: a borrowed or stolen open session is not enough to find the person."""
    case = access.get_case_or_404(request.user, reference, access.PERSONAL)
    if not case.is_sensitive:
        return _back(case)
    if not verified_recently(request):
        return step_up(request)
    detention_place = case.deportation.detention_place if case.case_type == Case.Type.DEPORTATION else ""
    audit_record(actor=request.user, action=Action.REVEAL_SENSITIVE, case=case, request=request)
    return render(request, "cases/reveal.html", {"case": case, "detention_place": detention_place})


def _record_kind(case: Case, kind: str):
    if kind not in RECORDS or case.case_type not in workflow.RECORD_TYPES[RECORDS[kind][0]]:
        raise Http404
    return RECORDS[kind][:2]


def record_add(request, reference, kind):
    case = access.get_case_or_404(request.user, reference, access.EDIT)
    model, form_class = _record_kind(case, kind)
    form = form_class(request.POST or None)
    if submit(form, lambda data: workflow.record_add(case=case, model=model, **data)):
        messages.success(request, _("Saved."))
        return _back(case, kind)
    return render(request, "cases/form_page.html", {"case": case, "form": form, "title": model._meta.verbose_name.capitalize()})


def record_edit(request, reference, kind, record_id):
    case = access.get_case_or_404(request.user, reference, access.EDIT)
    model, form_class = _record_kind(case, kind)
    record = get_object_or_404(model, case=case, pk=record_id)
    form = form_class(request.POST or None, instance=record)
    if submit(form, lambda data: workflow.record_update(record=record, **data)):
        messages.success(request, _("Saved."))
        return _back(case, kind)
    return render(request, "cases/form_page.html", {"case": case, "form": form, "title": model._meta.verbose_name.capitalize()})
