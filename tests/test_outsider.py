"""Every URL of the project, requested by an outsider (zara, of an organisation that has nothing to do
with alice's) with the real identifiers of alice's data (tests/world.py), returns none of it and
changes nothing."""

import pytest
from django.utils.html import escape

from casework.cases.models import AsylumDecision, Case, CaseEvent, CaseGroupObjectPermission, CaseNote, CaseUserObjectPermission
from casework.clients.models import Client
from casework.deadlines.models import Deadline
from casework.orgs.models import Membership, RoleRequest
from casework.privacy.models import LegalHold
from tests.security.routes import all_patterns, fill
from tests.world import SECRET_NOTE

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]


def snapshot():
    return (
        list(Case.objects.values_list("reference", "assigned_to_id", "jurisdiction", "is_sensitive", "status")),
        Client.objects.count(),
        list(Membership.objects.values_list("role", "is_active")),
        list(RoleRequest.objects.values_list("status", flat=True)),
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
def test_outsider_sees_and_changes_nothing_of_alices(method, client, shared_world):
    zara, case = shared_world.people["zara"], shared_world.cases["own"]
    alices = {**shared_world.values["own"], "uidb64": "MQ", "token": "set-password"}
    secrets = [case.client.family_name, case.client.given_names, case.client.document_numbers,
               case.reference, str(case.client.public_id), SECRET_NOTE]
    before = snapshot()
    routes = list(all_patterns())
    assert len(routes) >= 15
    for route, _name in routes:
        url = fill(route, alices)
        client.force_login(zara)  # the walk passes the sign-out URL too
        payload = {"q": case.client.family_name, "assigned_to": zara.pk, "jurisdiction": "KZ", "role": "org_admin",
                   "active": "0", "grantee_kind": "user", "username": "zara", "level": "edit", "grantee_id": zara.pk}
        response = getattr(client, method)(url, payload if method == "post" or "q" in url else {"q": case.client.family_name})
        # Pages echo the requested path (language switch) and search boxes the query typed:
        # both are the outsider's own input, not alice's data.
        body = (
            response.content.decode(errors="replace")
            .replace(escape(response.wsgi_request.get_full_path()), "")
            .replace(f'value="{escape(case.client.family_name)}"', "")
        )
        for secret in secrets:
            assert secret not in body, f"{method.upper()} {url} leaked alice's data"
        if any(f"<{c}>" in route for c in ("str:reference", "uuid:public_id", "int:membership_id",
                                              "int:request_id")):
            # Anything addressed through alice's case, client or colleague does not exist for zara.
            assert response.status_code in (404, 405), f"{method.upper()} {url} -> {response.status_code}"
        else:
            assert response.status_code in (200, 302, 400, 404, 405), f"{method.upper()} {url} -> {response.status_code}"
    assert snapshot() == before
