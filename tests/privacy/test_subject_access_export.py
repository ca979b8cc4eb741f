"""A client's data exported for them as a readable HTML file: everything, in their script, only for
people who see all of it, and recorded in the audit trail."""

import time
from urllib.parse import urlencode

import pytest

from casework.audit.models import AccessEvent, Action
from casework.cases.models import Case
from casework.security.sessions import VERIFIED_AT
from tests.factories import CaseFactory
from tests.pages import body
from tests.privacy.conftest import FAMILY_NAME, GIVEN_NAMES, SECRET


@pytest.fixture
def cases(alice, kodirov, fill, old_case):
    """Besides the closed deportation case: an asylum and a wage case, both open."""
    asylum = fill(CaseFactory(assigned_to=alice, client=kodirov, case_type=Case.Type.ASYLUM), alice)
    wages = fill(CaseFactory(assigned_to=alice, client=kodirov, case_type=Case.Type.UNPAID_WAGES), alice)
    return [old_case, asylum, wages]


def export_url(client):
    return f"/clients/{client.public_id}/export/"


def test_the_export_is_a_readable_file_of_everything(login, alice, kodirov, cases):
    response = login(alice).post(export_url(kodirov))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="subject-access-')
    assert FAMILY_NAME not in response["Content-Disposition"]
    assert response["Cache-Control"] == "no-store"
    page = response.content.decode("utf-8")
    assert '<meta charset="utf-8">' in page
    for shown in (FAMILY_NAME, GIVEN_NAMES, "FA1234567", "+7 916 000 00 00", "Qodirov", SECRET,
                  "решение.txt", "ООО Стройинвест", "Illegal entry", "Refused", "Labour inspectorate",
                  "Partly upheld", "Decision served", "European Court, Rule 39", "Removal stopped"):
        assert shown in page, shown
    for case in cases:
        assert case.reference in page


def test_a_get_only_asks_for_confirmation(login, alice, kodirov, cases):
    response = login(alice).get(export_url(kodirov))
    assert response.status_code == 200
    assert "Content-Disposition" not in response
    assert "Download the file" in body(response)
    assert SECRET not in body(response)
    assert not AccessEvent.objects.filter(action=Action.EXPORT).exists()


def test_the_export_is_audited_with_ids_only(login, alice, kodirov, cases):
    login(alice).post(export_url(kodirov))
    event = AccessEvent.objects.get(action=Action.EXPORT)
    assert (event.actor, event.organisation, event.detail) == (alice, kodirov.organisation, f"client={kodirov.public_id}")


@pytest.mark.parametrize("who", ["charlie", "erin", "dana"])
def test_outsiders_and_admins_get_nothing(request, login, kodirov, cases, who):
    client = login(request.getfixturevalue(who))
    for response in (client.get(export_url(kodirov)), client.post(export_url(kodirov))):
        assert response.status_code == 404
        assert FAMILY_NAME not in response.content.decode()
    assert not AccessEvent.objects.filter(action=Action.EXPORT).exists()


def test_a_coordinator_not_named_on_a_sensitive_case_gets_nothing(login, bob, kodirov, cases):
    Case.objects.filter(pk=cases[1].pk).update(is_sensitive=True)
    client = login(bob)
    assert client.get(export_url(kodirov)).status_code == 404
    assert client.post(export_url(kodirov)).status_code == 404


def test_a_coordinator_exports_a_client_of_the_organisation(login, bob, kodirov, cases):
    response = login(bob).post(export_url(kodirov))
    assert FAMILY_NAME in response.content.decode()


def test_a_caseworker_who_does_not_see_every_case_of_the_client_cannot_export(login, carol, alice, kodirov, cases):
    CaseFactory(assigned_to=carol, client=kodirov)
    assert login(alice).post(export_url(kodirov)).status_code == 404


def test_the_export_needs_a_fresh_second_factor(login, alice, kodirov, cases):
    client = login(alice)
    session = client.session
    session[VERIFIED_AT] = time.time() - 3600
    session.save()

    response = client.post(export_url(kodirov))

    assert response.status_code == 302
    assert response["Location"] == f"/accounts/two-factor/?{urlencode({'next': export_url(kodirov)})}"
    assert not AccessEvent.objects.filter(action=Action.EXPORT).exists()


def test_the_client_page_offers_export_and_erasure(login, alice, bob, dana, kodirov, cases):
    page = body(login(alice).get(f"/clients/{kodirov.public_id}/"))
    assert f'href="{export_url(kodirov)}"' in page
    assert f'href="/clients/{kodirov.public_id}/erase/"' in page
