"""The trail narrows to one member, one case or one kind of action."""

import pytest

from casework.audit.models import Action
from casework.audit.services import audit_record
from tests.audit.trail import rows, shown, without_sign_ins
from tests.factories import CaseFactory
from tests.pages import errors_shown


@pytest.fixture
def trail(alice, bob, alice_case):
    other_case = CaseFactory(assigned_to=bob)
    audit_record(actor=alice, action=Action.VIEW_CASE, case=alice_case)
    audit_record(actor=alice, action=Action.SEARCH, detail="list=clients")
    audit_record(actor=bob, action=Action.VIEW_CASE, case=alice_case)
    audit_record(actor=bob, action=Action.DOWNLOAD_DOCUMENT, case=other_case, detail="document=7")
    return other_case


def listed(client, query):
    return [(row["Who"], row["Action"], row["Case"]) for row in without_sign_ins(rows(client.get("/org/audit/", query)))]


def test_by_member(login, bob, alice, alice_case, trail):
    name = shown(alice)
    assert listed(login(bob), {"actor": alice.pk}) == [(name, "Searched", "—"), (name, "Viewed a case", alice_case.reference)]


@pytest.mark.parametrize("typed", ["{ref}", "{plain}", "{lower}"])
def test_by_case_reference_as_typed(login, bob, alice, alice_case, trail, typed):
    reference = alice_case.reference
    query = typed.format(ref=reference, plain=reference.replace("-", ""), lower=reference.lower())
    assert listed(login(bob), {"case": query}) == [
        (shown(bob), "Viewed a case", reference),
        (shown(alice), "Viewed a case", reference),
    ]


def test_by_action(login, bob, trail):
    assert listed(login(bob), {"action": Action.DOWNLOAD_DOCUMENT}) == [(shown(bob), "Downloaded a document", trail.reference)]


def test_filters_combine(login, bob, alice, alice_case, trail):
    assert listed(login(bob), {"actor": alice.pk, "case": alice_case.reference, "action": Action.VIEW_CASE}) == [
        (shown(alice), "Viewed a case", alice_case.reference)
    ]


def test_a_malformed_reference_is_explained(login, bob, trail):
    response = login(bob).get("/org/audit/", {"case": "K7Q-4FD"})
    assert response.status_code == 200
    assert "Enter a case reference such as K7Q-4FD-93X." in errors_shown(response)


def test_a_member_of_another_organisation_is_not_a_choice(login, bob, charlie, trail):
    response = login(bob).get("/org/audit/", {"actor": charlie.pk})
    assert response.status_code == 200
    assert "Select a valid choice" in errors_shown(response)
    assert f'value="{charlie.pk}"' not in response.content.decode()
