"""Logs are copied to servers, support tickets and chat: no client's name, document number or note may
reach them, at any level, on any path the main flows take — nor an error report of a crash."""

import logging
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client as DjangoClient
from django.views.debug import get_exception_reporter_class

from casework.cases.models import Case
from casework.clients.models import Client
from tests.conftest import VerifiedClient
from tests.security.flows import authenticator_code, landed, password_step
from tests.signin import enrol_authenticator

FAMILY = "Xudoyberdiyeva-Худойбердиева"
GIVEN = "Mohichehra Зафаровна"
DOCUMENT = "FA7713902"
NOTE = "Прячется у двоюродного брата в Люберцах"
ADDRESS = "Люберцы, ул. Кирова 14"
SECRETS = [FAMILY, "Xudoyberdiyeva", "Худойбердиева", "Mohichehra", "Зафаровна", DOCUMENT, NOTE, "Люберцах",
           ADDRESS]


@pytest.fixture
def everything_logged(caplog):
    """Every record of every logger, down to DEBUG: what an operator who turns LOG_LEVEL to DEBUG
    to chase a problem would collect."""
    names = ["", "django", *(n for n in logging.root.manager.loggerDict if n.split(".")[0] in
                             ("django", "axes", "casework", "celery", "guardian", "django_otp", "csp"))]
    for name in names:
        caplog.set_level(logging.DEBUG, logger=name)
    return caplog


def logged_text(caplog) -> str:
    """Messages, their arguments and any traceback, as a log handler would write them."""
    formatter = logging.Formatter("%(name)s %(levelname)s %(message)s")
    parts = []
    for record in caplog.records:
        parts.append(formatter.format(record))
        parts.append(repr(record.args))
    return "\n".join(parts)


def assert_no_secret(text: str, where: str):
    for secret in SECRETS:
        assert secret not in text, f"{where} contains {secret!r}"


def test_main_flows_log_no_personal_data(everything_logged, raw_client, alice, password):
    device = enrol_authenticator(alice)
    browser = raw_client

    # A client's name typed into the sign-in form by mistake.
    password_step(browser, FAMILY, password)
    signed = password_step(browser, "alice", password)
    browser.post(landed(signed), {"token": authenticator_code(device)})
    assert browser.get("/cases/").status_code == 200

    registered = browser.post("/clients/new/", {
        "family_name": FAMILY, "given_names": GIVEN, "date_of_birth": "1991-04-12", "nationality": "Uzbekistan",
        "addresses": ADDRESS, "document_numbers": DOCUMENT, "submission_token": str(uuid.uuid4()),
    })
    assert registered.status_code == 302, registered.content.decode()[:2000]
    client = Client.objects.get(nationality="Uzbekistan")
    opened = browser.post(f"/clients/{client.public_id}/open-case/", {
        "case_type": "asylum", "jurisdiction": "RU", "assigned_to": alice.pk, "submission_token": str(uuid.uuid4()),
    })
    assert opened.status_code == 302
    ref = Case.objects.get(client=client).reference
    case_page = f"/cases/{ref}/"
    assert browser.get(case_page).status_code == 200
    assert browser.get(f"/clients/{client.public_id}/").status_code == 200

    browser.post(f"{case_page}events/new/", {
        "kind": "decision_served", "occurred_on": "2026-03-02", "note": NOTE, "submission_token": str(uuid.uuid4()),
    }, follow=True)
    assert NOTE in browser.get(case_page).content.decode()
    browser.post(f"{case_page}notes/new/", {"text": NOTE, "submission_token": str(uuid.uuid4())})

    assert FAMILY in browser.post("/clients/", {"q": FAMILY}).content.decode()
    for query in ("Худойбердиева", "Xudoyberdiyeva Mohichehra"):
        browser.post("/clients/", {"q": query})
    browser.post("/cases/", {"q": FAMILY})

    upload = SimpleUploadedFile(f"pasport {FAMILY}.txt", f"{FAMILY} {DOCUMENT}".encode())
    uploaded = browser.post(f"{case_page}documents/new/", {"title": f"Паспорт {FAMILY}", "upload": upload})
    assert uploaded.status_code == 302
    document = Case.objects.get(reference=ref).documents.get()
    assert browser.get(f"{case_page}documents/{document.public_id}/").status_code == 200

    # Error paths: forms refused, a page that does not exist, a forged form.
    refused = browser.post("/clients/new/", {"family_name": FAMILY, "given_names": GIVEN, "date_of_birth": "2999-01-01",
                                             "document_numbers": DOCUMENT, "submission_token": str(uuid.uuid4())})
    assert refused.status_code == 200
    browser.post(f"{case_page}events/new/", {"kind": "decision_served", "occurred_on": "2999-01-01", "note": NOTE,
                                             "submission_token": str(uuid.uuid4())})
    browser.post(f"{case_page}documents/new/", {"title": FAMILY, "upload": SimpleUploadedFile(f"{FAMILY}.exe", b"MZ")})
    assert browser.get("/cases/AAA-AAA-AAA/").status_code == 404
    assert browser.get(f"/clients/{uuid.uuid4()}/").status_code == 404
    forged = DjangoClient(enforce_csrf_checks=True)
    forged.cookies = browser.cookies
    assert forged.post("/clients/", {"q": FAMILY}).status_code == 403

    assert everything_logged.records, "the capture works: the 404s and the forged form were logged"
    assert_no_secret(logged_text(everything_logged), "the log")


def test_a_crash_while_saving_a_client_reports_no_personal_data(everything_logged, monkeypatch, login, alice):
    from casework.clients import views

    def crash(**kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(views.services, "client_create", crash)
    browser = VerifiedClient(raise_request_exception=False)
    browser.force_login(alice)
    response = browser.post("/clients/new/", {
        "family_name": FAMILY, "given_names": GIVEN, "date_of_birth": "1991-04-12", "nationality": "Uzbekistan",
        "addresses": ADDRESS, "document_numbers": DOCUMENT, "submission_token": str(uuid.uuid4()),
    })
    assert response.status_code == 500
    assert_no_secret(response.content.decode(), "the error page")

    crashes = [r for r in everything_logged.records if r.exc_info and r.exc_info[0] is RuntimeError]
    assert crashes, "the crash was logged"
    assert_no_secret(logged_text(everything_logged), "the log")
    for record in crashes:
        request = record.request
        assert request.POST["family_name"] == FAMILY, "the report is made from the real request"
        reporter = get_exception_reporter_class(request)(request, *record.exc_info, is_email=True)
        assert_no_secret(reporter.get_traceback_text(), "the error report (text)")
        assert_no_secret(reporter.get_traceback_html(), "the error report (HTML)")


def test_a_crash_while_uploading_reports_no_file_name(everything_logged, monkeypatch, login, alice, alice_case):
    from casework.cases import views

    def crash(**kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(views.services, "document_upload", crash)
    browser = VerifiedClient(raise_request_exception=False)
    browser.force_login(alice)
    upload = SimpleUploadedFile(f"pasport {FAMILY}.pdf", b"%PDF-1.4 " + DOCUMENT.encode())
    response = browser.post(f"/cases/{alice_case.reference}/documents/new/", {"title": FAMILY, "upload": upload})
    assert response.status_code == 500
    record = next(r for r in everything_logged.records if r.exc_info and r.exc_info[0] is OSError)
    reporter = get_exception_reporter_class(record.request)(record.request, *record.exc_info, is_email=True)
    assert_no_secret(reporter.get_traceback_text(), "the error report (text)")
    assert_no_secret(reporter.get_traceback_html(), "the error report (HTML)")
    assert_no_secret(logged_text(everything_logged), "the log")


def test_error_reports_are_made_the_project_way(settings):
    """mail_admins and the debug page build their reports from these two settings, as the tests above do."""
    assert settings.DEFAULT_EXCEPTION_REPORTER_FILTER == "casework.security.reporting.NoPostDataFilter"
    assert settings.DEFAULT_EXCEPTION_REPORTER == "casework.security.reporting.NoUploadNamesReporter"
