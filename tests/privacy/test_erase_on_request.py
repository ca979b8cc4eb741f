"""A client's data erased at their request: refused while a case is on legal hold; afterwards the
database holds no trace of the name, and the case pages still show what statistics need."""

import pytest
from django.db import connection

from casework.audit.models import AccessEvent, Action
from casework.cases.models import Case, CaseDocument
from casework.lib.storage import documents_dir
from casework.clients.models import Client
from casework.clients.names import name_keys
from casework.privacy import services
from casework.security.rotation import encrypted_tables
from tests.factories import CaseFactory
from tests.pages import body, errors_shown, messages_shown
from tests.privacy.conftest import BORN, FAMILY_NAME, GIVEN_NAMES


@pytest.fixture
def open_case(alice, kodirov, fill):
    return fill(CaseFactory(assigned_to=alice, client=kodirov, case_type=Case.Type.UNPAID_WAGES), alice)


def erase_url(client):
    return f"/clients/{client.public_id}/erase/"


def traces() -> list[str]:
    """Where the name (or its blind indexes) still appears: every decrypted encrypted value, and every
    raw column of every table."""
    words = [FAMILY_NAME, GIVEN_NAMES, "Qodirov", "Kodirov", "FA1234567", "Подольске", "решение"]
    digests = list(name_keys(family_name=FAMILY_NAME, given_names=GIVEN_NAMES, birth_year=BORN.year).values())
    found = []
    for table in encrypted_tables():
        for row in table.model.objects.values_list("pk", *(field.name for field in table.fields)):
            found += [f"{table.label} {row[0]}" for value in row[1:] if any(w in str(value) for w in words)]
    with connection.cursor() as cursor:
        for name in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(name)}")
            text = " ".join(str(value) for row in cursor.fetchall() for value in row)
            found += [f"{name}: {needle[:8]}" for needle in words + digests if needle in text]
    return found


def test_erasure_is_refused_while_a_case_is_on_legal_hold(login, alice, kodirov, old_case, open_case):
    services.legal_hold_place(case=old_case, reason="Иск", placed_by=alice)

    response = login(alice).post(erase_url(kodirov), {"confirm": "on"})

    assert response.status_code == 200
    assert "Nothing was erased" in errors_shown(response)
    assert f"{old_case.reference} (a legal hold placed by hand)" in errors_shown(response)
    assert Client.objects.get(pk=kodirov.pk).family_name == FAMILY_NAME
    assert Case.objects.get(pk=open_case.pk).status == Case.Status.OPEN
    assert not AccessEvent.objects.filter(action=Action.ERASE).exists()


def test_an_open_deadline_also_refuses(alice, kodirov, open_case):
    from casework.deadlines.services import deadline_create_manual

    deadline_create_manual(case=open_case, title="Суд", due_date=open_case.opened_on, created_by=alice)
    with pytest.raises(services.ErasureRefused, match="an open or proposed deadline"):
        services.client_erase_personal_data(client=kodirov, actor=alice)


def test_after_erasure_no_trace_of_the_name_is_left(login, alice, kodirov, old_case, open_case,
                                                     django_capture_on_commit_callbacks):
    files = list(CaseDocument.objects.values_list("storage_name", flat=True))
    assert traces()

    with django_capture_on_commit_callbacks(execute=True):
        response = login(alice).post(erase_url(kodirov), {"confirm": "on"}, follow=True)

    assert "personal data" in messages_shown(response)
    assert traces() == []
    client = Client.objects.get(pk=kodirov.pk)
    assert (client.full_name_bidx, client.family_name_bidx, client.skeleton_bidx, client.phonetic_bidx) == ("", "", "", "")
    assert not any((documents_dir() / name).exists() for name in files)
    response = login(alice).post("/clients/", {"q": FAMILY_NAME})
    assert str(kodirov.public_id) not in body(response)


def test_the_case_pages_still_show_type_status_and_outcome(login, alice, kodirov, old_case, open_case):
    services.client_erase_personal_data(client=kodirov, actor=alice)
    client = login(alice)

    page = body(client.get(f"/cases/{old_case.reference}/"))
    assert "Deportation or extradition" in page and "Closed" in page and "Removal stopped" in page
    assert "Personal data erased on" in page
    page = body(client.get(f"/cases/{open_case.reference}/"))
    assert "Unpaid wages" in page and "Client withdrew" in page and "RUB" in page


def test_open_cases_are_closed_as_withdrawn_and_every_erasure_audited(alice, kodirov, old_case, open_case):
    services.client_erase_personal_data(client=kodirov, actor=alice)

    case = Case.objects.get(pk=open_case.pk)
    assert (case.status, case.outcome) == (Case.Status.CLOSED, Case.Outcome.WITHDRAWN)
    events = AccessEvent.objects.filter(action=Action.ERASE, actor=alice)
    assert sorted(events.exclude(case=None).values_list("case__reference", "detail")) == sorted(
        [(old_case.reference, "reason=request"), (open_case.reference, "reason=request")]
    )
    assert list(events.filter(case=None).values_list("detail", flat=True)) == [f"client={kodirov.public_id} reason=request"]


def test_erasure_needs_the_confirmation_ticked(login, alice, kodirov, open_case):
    response = login(alice).post(erase_url(kodirov), {})
    assert errors_shown(response)
    assert Client.objects.get(pk=kodirov.pk).family_name == FAMILY_NAME


@pytest.mark.parametrize("who", ["charlie", "erin", "dana"])
def test_outsiders_and_admins_cannot_erase(request, login, kodirov, open_case, who):
    response = login(request.getfixturevalue(who)).post(erase_url(kodirov), {"confirm": "on"})
    assert response.status_code == 404
    assert Client.objects.get(pk=kodirov.pk).family_name == FAMILY_NAME


def test_a_coordinator_not_named_on_a_sensitive_case_cannot_erase(login, bob, kodirov, open_case):
    Case.objects.filter(pk=open_case.pk).update(is_sensitive=True)
    assert login(bob).post(erase_url(kodirov), {"confirm": "on"}).status_code == 404
    assert Client.objects.get(pk=kodirov.pk).family_name == FAMILY_NAME
