"""Every URL of the project, requested by an outsider with the real identifiers of alice's data,
returns none of it and changes nothing."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.html import escape
from django.urls import URLPattern, URLResolver, get_resolver

from casework.cases import services
from casework.cases.models import AsylumDecision, Case, CaseEvent, CaseGroupObjectPermission, CaseNote, CaseUserObjectPermission
from casework.clients.models import Client
from casework.deadlines import services as deadline_services
from casework.deadlines.models import Deadline
from casework.orgs.models import Membership
from casework.privacy.models import LegalHold
from casework.privacy.services import legal_hold_place


def all_patterns(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from all_patterns(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry


def fill(route: str, values: dict) -> str:
    path = route
    for converter in ("str:", "uuid:", "int:", "slug:", "path:", ""):
        for name, value in values.items():
            path = path.replace(f"<{converter}{name}>", str(value))
    assert "<" not in path, f"no test value for a parameter of {route}"
    return "/" + path.lstrip("^").rstrip("$")


SECRET_NOTE = "Заметка: прячется у брата"


@pytest.fixture
def alices_world(alice, bob, dana, alice_case, alice_client):
    event = services.event_record(case=alice_case, kind="decision_served", occurred_on=datetime.date(2026, 3, 2),
                                  recorded_by=alice, note=SECRET_NOTE)
    services.note_add(case=alice_case, text=SECRET_NOTE, author=alice)
    document = services.document_upload(case=alice_case, upload=SimpleUploadedFile("decision.txt", SECRET_NOTE.encode()),
                                        title="Решение", uploaded_by=alice)
    deadline = deadline_services.deadline_create_manual(case=alice_case, title=SECRET_NOTE,
                                                        due_date=datetime.date(2026, 4, 2), created_by=alice)
    decision = services.record_add(case=alice_case, model=AsylumDecision, stage="first_decision",
                                   decided_on=datetime.date(2026, 3, 1), outcome="refused")
    hold = legal_hold_place(case=alice_case, reason=SECRET_NOTE, placed_by=alice)
    return {
        "reference": alice_case.reference,
        "public_id": alice_client.public_id,
        "membership_id": alice.membership.pk,
        "event_id": event.pk,
        "document_id": document.public_id,
        "kind": "decisions",
        "record_id": decision.pk,
        "deadline_id": deadline.pk,
        "hold_id": hold.pk,
        "uidb64": "MQ",
        "token": "set-password",
    }


def snapshot():
    return (
        list(Case.objects.values_list("reference", "assigned_to_id", "jurisdiction", "is_sensitive", "status")),
        Client.objects.count(),
        list(Membership.objects.values_list("role", "is_active")),
        CaseUserObjectPermission.objects.count(),
        CaseGroupObjectPermission.objects.count(),
        list(CaseEvent.objects.values_list("kind", "occurred_on")),
        CaseNote.objects.count(),
        list(AsylumDecision.objects.values_list("outcome", "decided_on")),
        list(Deadline.objects.values_list("status", "due_date")),
        list(LegalHold.objects.values_list("released_at", flat=True)),
        list(Client.objects.values_list("full_name_bidx", flat=True)),
    )


@pytest.mark.parametrize("method", ["get", "post"])
def test_outsider_sees_and_changes_nothing_of_alices(method, client, charlie, alices_world, alice_case, alice_client):
    client.force_login(charlie)
    secrets = [alice_client.family_name, alice_client.given_names, alice_client.document_numbers,
               alice_case.reference, str(alice_client.public_id), SECRET_NOTE]
    before = snapshot()
    routes = list(all_patterns())
    assert len(routes) >= 15
    for route, _pattern in routes:
        url = fill(route, alices_world)
        client.force_login(charlie)  # the walk passes the sign-out URL too
        payload = {"q": alice_client.family_name, "assigned_to": charlie.pk, "jurisdiction": "KZ", "role": "org_admin",
                   "active": "0", "grantee_kind": "user", "username": "charlie", "level": "edit", "grantee_id": charlie.pk}
        response = getattr(client, method)(url, payload if method == "post" or "q" in url else {"q": alice_client.family_name})
        # Pages echo the requested path (language switch) and search boxes the query typed:
        # both are the outsider's own input, not alice's data.
        body = (
            response.content.decode(errors="replace")
            .replace(escape(response.wsgi_request.get_full_path()), "")
            .replace(f'value="{escape(alice_client.family_name)}"', "")
        )
        for secret in secrets:
            assert secret not in body, f"{method.upper()} {url} leaked alice's data"
        if any(f"<{c}>" in route for c in ("str:reference", "uuid:public_id", "int:membership_id")):
            # Anything addressed through alice's case, client or colleague does not exist for charlie.
            assert response.status_code in (404, 405), f"{method.upper()} {url} -> {response.status_code}"
        else:
            assert response.status_code in (200, 302, 400, 404, 405), f"{method.upper()} {url} -> {response.status_code}"
    assert snapshot() == before
