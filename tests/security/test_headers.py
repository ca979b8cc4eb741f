"""What the browser is told: a Content Security Policy that allows no inline script (and pages that
need none), no framing, no referrer leaving the site, cookies JavaScript cannot read (and, behind
TLS, only sent over it, with HSTS), and no form accepted without its CSRF token."""

import datetime
import json
import re
import subprocess
import sys
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client as DjangoClient

from casework.cases import services
from casework.cases.models import CaseNote
from casework.clients.models import Client
from tests.conftest import VerifiedClient
from tests.security.flows import LOGIN, SETUP, VERIFY, password_step
from tests.test_settings import ROOT, production_env

_INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
_EVENT_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE)
_INLINE_STYLE = re.compile(r"<style\b|<[^>]+\sstyle\s*=", re.IGNORECASE)


def csp(response) -> dict[str, list[str]]:
    header = response.headers.get("Content-Security-Policy", "")
    return {name: values for name, *values in (part.split() for part in header.split(";") if part.strip())}


@pytest.fixture
def pages(alice, bob, dana, alice_case, alice_client, raw_client, password):
    """(who, url, response) for the pages of the main flows, as their users see them."""
    event = services.event_record(case=alice_case, kind="decision_served", occurred_on=datetime.date(2026, 3, 2),
                                  recorded_by=alice, note="note")
    services.note_add(case=alice_case, text="note", author=alice)
    services.document_upload(case=alice_case, upload=SimpleUploadedFile("decision.txt", b"text"), title="Decision",
                             uploaded_by=alice)
    ref, client_id = alice_case.reference, alice_client.public_id
    collected = [("anonymous", LOGIN, raw_client.get(LOGIN))]
    enrolment = password_step(raw_client, "alice", password)
    collected.append(("half signed in", SETUP, enrolment))
    browser = VerifiedClient()
    browser.force_login(alice)
    for url in ["/cases/?mine=on", "/cases/", f"/cases/{ref}/", f"/cases/{ref}/edit/", f"/cases/{ref}/details/",
                f"/cases/{ref}/events/new/", f"/cases/{ref}/events/{event.pk}/deadlines/", f"/cases/{ref}/status/",
                f"/cases/{ref}/documents/new/", f"/cases/{ref}/records/decisions/new/", f"/cases/{ref}/deadlines/",
                "/clients/", "/clients/new/", f"/clients/{client_id}/", f"/clients/{client_id}/edit/",
                f"/clients/{client_id}/open-case/", "/deadlines/", "/notifications/", "/deadlines/calendar/",
                "/accounts/", VERIFY, "/accounts/password/", "/cases/AAA-AAA-AAA/",
                f"/clients/{client_id}/export/", f"/clients/{client_id}/erase/", f"/cases/{ref}/legal-holds/"]:
        collected.append(("alice", url, browser.get(url)))
    collected.append(("alice", "POST /clients/", browser.post("/clients/", {"q": "Тошпулатова"})))
    collected.append(("alice", "POST /clients/new/ (errors)", browser.post("/clients/new/", {"family_name": "123"})))
    coordinator = VerifiedClient()
    coordinator.force_login(bob)
    collected.append(("bob", "/deadlines/dashboard/", coordinator.get("/deadlines/dashboard/")))
    admin = VerifiedClient()
    admin.force_login(dana)
    for url in ["/org/members/", f"/org/members/{alice.membership.pk}/", "/org/members/new/", "/org/sharing/",
                f"/cases/{ref}/sharing/", "/org/audit/"]:
        collected.append(("dana", url, admin.get(url)))
    for who, url, response in collected:
        assert response.status_code in (200, 404), f"{who} {url} -> {response.status_code}"
    return collected


@pytest.mark.sqlite
def test_every_page_has_the_policy_it_needs_and_refuses_framing(pages):
    """One walk over the pages of the main flows (building them is the slow part), three promises each."""
    for who, url, response in pages:
        where = f"{who} {url}"
        # A Content Security Policy allowing only our own files, and no inline script.
        policy = csp(response)
        assert policy, f"{where}: no Content-Security-Policy header"
        assert policy["script-src"] == ["'self'"], f"{where}: {policy.get('script-src')}"
        header = response.headers["Content-Security-Policy"]
        assert "'unsafe-inline'" not in header and "'unsafe-eval'" not in header, where
        assert policy["default-src"] == ["'self'"] and policy["object-src"] == ["'none'"], where
        assert policy["frame-ancestors"] == ["'none'"], where
        # Pages that need nothing the policy blocks: what it blocks would silently break for the user.
        page = response.content.decode()
        assert not _INLINE_SCRIPT.search(page), f"{where}: inline <script>"
        assert not _EVENT_HANDLER.search(page), f"{where}: inline event handler"
        assert "javascript:" not in page.lower(), f"{where}: javascript: address"
        assert not _INLINE_STYLE.search(page), f"{where}: inline style"
        # No framing (clickjacking), no sniffing, no address of ours sent to other sites.
        assert response.headers.get("X-Frame-Options") == "DENY", where
        assert response.headers.get("Referrer-Policy") == "same-origin", where
        assert response.headers.get("X-Content-Type-Options") == "nosniff", where


def test_session_cookie_is_out_of_reach_of_scripts_and_ends_with_the_browser(raw_client, alice, password):
    response = raw_client.post(LOGIN, {"username": "alice", "password": password})
    session = response.cookies["sessionid"]
    assert session["httponly"]
    assert session["samesite"] == "Lax"
    assert not session["expires"] and not session["max-age"], "a session cookie, not one kept on disk"
    csrf = raw_client.get(LOGIN).cookies.get("csrftoken") or raw_client.cookies["csrftoken"]
    assert csrf["samesite"] == "Lax"


PROBE = r"""
import json
from django.conf import settings
from django.contrib.sessions.middleware import SessionMiddleware
from django.http import HttpResponse
from django.test import Client, RequestFactory

browser = Client(HTTP_HOST="casework.example.org")
plain = browser.get("/accounts/login/")
tls = browser.get("/accounts/login/", HTTP_X_FORWARDED_PROTO="https")

# The session cookie as SessionMiddleware sets it under these settings; the cookie-based store keeps
# this probe away from any database (the cookie's flags do not depend on where sessions are kept).
settings.SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"
def view(request):
    request.session["probe"] = 1
    return HttpResponse()
session = SessionMiddleware(view)(RequestFactory().get("/", HTTP_HOST="casework.example.org", HTTP_X_FORWARDED_PROTO="https"))

def cookie(response, name):
    morsel = response.cookies[name]
    return {"secure": bool(morsel["secure"]), "httponly": bool(morsel["httponly"]), "samesite": morsel["samesite"]}

print(json.dumps({
    "plain_status": plain.status_code, "plain_location": plain.get("Location", ""),
    "tls_status": tls.status_code, "hsts": tls.get("Strict-Transport-Security", ""),
    "csp": tls.get("Content-Security-Policy", ""),
    "csrf": cookie(tls, settings.CSRF_COOKIE_NAME), "session": cookie(session, settings.SESSION_COOKIE_NAME),
}))
"""


def test_production_sends_cookies_over_tls_only_with_hsts(tmp_path):
    import os

    base = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "FIELD_ENCRYPTION_KEY", "BLIND_INDEX_KEY",
                                                             "DEBUG", "HTTPS", "STATIC_MANIFEST")}
    # A database file that does not exist: the probe must not need (or touch) any database.
    env = {**base, "DJANGO_SETTINGS_MODULE": "config.settings", **production_env(),
           "STATIC_MANIFEST": "0", "DATABASE_URL": f"sqlite:///{tmp_path / 'none.sqlite3'}"}
    result = subprocess.run([sys.executable, "manage.py", "shell", "-c", PROBE], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["plain_status"] == 301 and seen["plain_location"] == "https://casework.example.org/accounts/login/"
    assert seen["tls_status"] == 200
    assert seen["hsts"] == "max-age=31536000; includeSubDomains; preload"
    assert "script-src 'self'" in seen["csp"] and "unsafe-inline" not in seen["csp"]
    assert seen["session"] == {"secure": True, "httponly": True, "samesite": "Lax"}
    assert seen["csrf"]["secure"] and seen["csrf"]["samesite"] == "Lax"


@pytest.fixture
def careful(alice):
    """A browser signed in as alice whose requests go through the CSRF check, as a real browser's do."""
    browser = VerifiedClient(enforce_csrf_checks=True)
    browser.force_login(alice)
    return browser


def new_client_form():
    return {"family_name": "Каримова", "given_names": "Дилноза", "nationality": "Uzbekistan",
            "submission_token": str(uuid.uuid4())}


def test_a_form_posted_without_its_token_is_refused_and_changes_nothing(careful, alice_case):
    ref = alice_case.reference
    clients, notes = Client.objects.count(), CaseNote.objects.count()
    for url, data in [("/clients/new/", new_client_form()),
                      (f"/cases/{ref}/notes/new/", {"text": "forged", "submission_token": str(uuid.uuid4())}),
                      (f"/cases/{ref}/edit/", {"case_type": "asylum", "jurisdiction": "KZ"}),
                      ("/accounts/sign-out-everywhere/", {}),
                      ("/accounts/two-factor/recovery-codes/", {})]:
        response = careful.post(url, data)
        assert response.status_code == 403, f"POST {url} -> {response.status_code}"
    assert (Client.objects.count(), CaseNote.objects.count()) == (clients, notes)
    alice_case.refresh_from_db()
    assert alice_case.jurisdiction == "RU"
    assert careful.get("/cases/").status_code == 200, "still signed in: sign-out-everywhere was not forged"


def test_the_same_form_with_its_token_goes_through(careful):
    careful.get("/clients/new/")
    token = careful.cookies["csrftoken"].value
    response = careful.post("/clients/new/", {**new_client_form(), "csrfmiddlewaretoken": token})
    assert response.status_code == 302 and Client.objects.filter(nationality="Uzbekistan").exists()


def test_a_token_does_not_help_another_site(careful):
    careful.get("/clients/new/")
    token = careful.cookies["csrftoken"].value
    response = careful.post("/clients/new/", {**new_client_form(), "csrfmiddlewaretoken": token},
                            HTTP_ORIGIN="https://evil.example")
    assert response.status_code == 403 and not Client.objects.exists()


def test_sign_in_form_needs_its_token(alice, password):
    browser = DjangoClient(enforce_csrf_checks=True)
    response = browser.post(LOGIN, {"username": "alice", "password": password})
    assert response.status_code == 403
    assert "_auth_user_id" not in browser.session


def test_pages_with_keys_codes_or_whereabouts_are_not_kept_by_the_browser(raw_client, alice, alice_case, password):
    """On a shared or seized computer the browser's cache must not hold the authenticator key, the
    recovery codes, or where a person at risk is."""
    from casework.cases.models import Case

    setup = password_step(raw_client, "alice", password)
    enrolment = raw_client.get(SETUP)
    Case.objects.filter(pk=alice_case.pk).update(is_sensitive=True)
    browser = VerifiedClient()
    browser.force_login(alice)
    pages = {
        "authenticator key": enrolment,
        "recovery codes": browser.post("/accounts/two-factor/recovery-codes/"),
        "whereabouts": browser.get(f"/cases/{alice_case.reference}/whereabouts/"),
    }
    assert setup.status_code == 200
    for what, response in pages.items():
        assert response.status_code == 200, what
        assert "no-store" in response.headers.get("Cache-Control", ""), f"the {what} page may be cached"
