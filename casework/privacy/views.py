"""Subject access (export, erasure on request) and legal holds. Thin: access and data through
selectors, writes through services. Export and erasure show a confirmation page on GET and act on POST."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from casework import access
from casework.lib.forms import add_service_errors, submit
from casework.privacy import selectors, services
from casework.privacy.forms import EraseConfirmForm, LegalHoldForm
from casework.security.sessions import step_up


def client_export(request, public_id):
    client = access.client_for_subject_access(request.user, public_id)
    if access.needs_fresh_second_factor(request, access.SUBJECT_ACCESS):
        return step_up(request)
    if request.method != "POST":
        return render(request, "privacy/export_confirm.html", {"client": client, "cases": selectors.client_cases(client)})
    client_facts, cases = services.subject_access_export(client=client, exported_by=request.user)
    now = timezone.localtime()
    document = render_to_string(
        "privacy/export.html",
        {"client": client, "client_facts": client_facts, "cases": cases, "exported_at": now,
         "organisation": client.organisation},
    )
    response = HttpResponse(document, content_type="text/html; charset=utf-8")
    # The file name says nothing of who it is about: downloads folders are seen and synced.
    response["Content-Disposition"] = f'attachment; filename="subject-access-{now:%Y-%m-%d-%H%M}.html"'
    response["Cache-Control"] = "no-store"
    return response


def client_erase(request, public_id):
    client = access.client_for_subject_access(request.user, public_id)
    if access.needs_fresh_second_factor(request, access.SUBJECT_ACCESS):
        return step_up(request)
    form = EraseConfirmForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            services.client_erase_personal_data(client=client, actor=request.user, request=request)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The client's personal data and that of their cases was erased."))
            return redirect("client_detail", public_id=client.public_id)
    return render(
        request,
        "privacy/erase_confirm.html",
        {"client": client, "cases": selectors.client_cases(client), "form": form,
         "erasure": selectors.client_erasure(client)},
    )


def legal_hold_add(request, reference):
    """The case's legal holds, automatic and manual, with a form to place one."""
    case = access.case_for_legal_holds(request.user, reference)
    form = LegalHoldForm(request.POST if request.method == "POST" else None)
    if submit(form, lambda data: services.legal_hold_place(case=case, placed_by=request.user, **data)):
        messages.success(request, _("Legal hold placed."))
        return redirect("legal_hold_add", reference=case.reference)
    return render(
        request,
        "privacy/legal_holds.html",
        {"case": case, "form": form, "holds": selectors.case_legal_holds(case),
         "hold_reasons": selectors.hold_reasons(case), "erasure": selectors.case_erasure(case)},
    )


def legal_hold_release(request, reference, hold_id):
    case = access.case_for_legal_holds(request.user, reference)
    hold = selectors.active_hold_of_case_or_404(case, hold_id)
    if request.method == "POST":
        try:
            services.legal_hold_release(hold=hold, released_by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Legal hold released."))
        return redirect("legal_hold_add", reference=case.reference)
    return render(request, "privacy/hold_release.html", {"case": case, "hold": hold})
