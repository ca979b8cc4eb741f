"""Opening a case for a client: an unguessable reference in the URL; bad input opens nothing."""

import uuid

import pytest

from casework.cases.models import Case
from casework.orgs.services import member_set_active
from tests.factories import CaseFactory, ClientFactory
from tests.pages import REFERENCE, body, errors_shown, messages_shown


def open_url(client):
    return f"/clients/{client.public_id}/open-case/"


def form_data(assignee, **overrides):
    data = {"case_type": "asylum", "jurisdiction": "RU", "assigned_to": assignee.pk,
            "submission_token": str(uuid.uuid4())}
    return data | overrides


def test_form_offers_the_organisations_caseworkers_and_coordinators(login, alice, bob, dana, charlie, alice_client):
    response = login(alice).get(open_url(alice_client))
    assert response.status_code == 200
    options = body(response).split('name="assigned_to"', 1)[1].split("</select>", 1)[0]
    assert f'value="{alice.pk}"' in options and f'value="{bob.pk}"' in options
    assert f'value="{dana.pk}"' not in options and f'value="{charlie.pk}"' not in options


@pytest.mark.parametrize("case_type, shown", [("asylum", "Asylum"), ("deportation", "Deportation or extradition"),
                                               ("unpaid_wages", "Unpaid wages")])
def test_caseworker_opens_a_case_and_lands_on_it(login, alice, alice_client, case_type, shown):
    removal_kind = "extradition" if case_type == "deportation" else ""
    response = login(alice).post(open_url(alice_client), form_data(alice, case_type=case_type, removal_kind=removal_kind),
                                 follow=True)
    case = Case.objects.get()
    assert REFERENCE.match(case.reference)
    assert response.redirect_chain[-1][0] == f"/cases/{case.reference}/"
    assert f"Case {case.reference} opened." in messages_shown(response)
    page = body(response)
    assert shown in page and "Тошпулатова Мадина" in page
    assert (case.client, case.case_type, case.assigned_to, case.status) == (alice_client, case_type, alice, "open")


def test_every_case_gets_its_own_reference_safe_to_read_aloud(alice, alice_client):
    references = {CaseFactory(assigned_to=alice, client=alice_client).reference for _ in range(20)}
    assert len(references) == 20
    assert all(REFERENCE.match(r) for r in references)
    # No characters that are confused on the phone or by hand: 0/O, 1/I/L, 2/Z, 5/S.
    assert not set("".join(references)) & set("0O1IL2Z5S")


def test_case_is_reached_by_reference_not_by_id(login, alice, alice_case):
    client = login(alice)
    assert client.get(f"/cases/{alice_case.reference}/").status_code == 200
    assert client.get(f"/cases/{alice_case.pk}/").status_code == 404


def test_coordinator_opens_a_case_for_a_caseworker(login, alice, bob, alice_client):
    login(bob).post(open_url(alice_client), form_data(alice, jurisdiction="KZ"))
    case = Case.objects.get()
    assert (case.assigned_to, case.jurisdiction, case.created_by) == (alice, "KZ", bob)
    response = login(alice).get("/cases/?mine=on")
    assert case.reference in body(response)


def test_opening_a_case_for_a_colleague_ends_on_a_page_that_exists(login, alice, carol, alice_client):
    """Alice may not see a case assigned to carol; after opening one she is not shown a 'not found' page."""
    response = login(alice).post(open_url(alice_client), form_data(carol), follow=True)
    case = Case.objects.get()
    assert case.assigned_to == carol
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == f"/clients/{alice_client.public_id}/"
    assert f"Case {case.reference} opened." in messages_shown(response)


@pytest.mark.parametrize(
    "overrides, error",
    [
        ({"case_type": "murder"}, "Select a valid choice"),
        ({"case_type": ""}, "This field is required."),
        ({"jurisdiction": "XX"}, "Select a valid choice"),
        ({"jurisdiction": "ru"}, "Select a valid choice"),
        ({"assigned_to": ""}, "This field is required."),
        ({"assigned_to": "999999"}, "Select a valid choice"),
        ({"assigned_to": "bob; DROP TABLE"}, "Select a valid choice"),
        ({"submission_token": ""}, "This field is required."),
        ({"case_type": "deportation", "removal_kind": ""}, "Choose the kind of removal."),
        ({"case_type": "deportation", "removal_kind": "kidnapping"}, "Select a valid choice"),
    ],
    ids=str,
)
def test_bad_input_opens_nothing(login, alice, alice_client, overrides, error):
    response = login(alice).post(open_url(alice_client), form_data(alice, **overrides))
    assert response.status_code == 200
    assert error in errors_shown(response)
    assert Case.objects.count() == 0


def test_assignee_from_another_organisation_is_refused(login, alice, charlie, alice_client):
    response = login(alice).post(open_url(alice_client), form_data(charlie))
    assert "Select a valid choice" in errors_shown(response)
    assert Case.objects.count() == 0


def test_org_admin_cannot_be_assigned(login, alice, dana, alice_client):
    response = login(alice).post(open_url(alice_client), form_data(dana))
    assert "Select a valid choice" in errors_shown(response)
    assert Case.objects.count() == 0


def test_deactivated_member_cannot_be_assigned(login, alice, carol, alice_client):
    member_set_active(membership=carol.membership, active=False, changed_by=None)
    response = login(alice).post(open_url(alice_client), form_data(carol))
    assert "Select a valid choice" in errors_shown(response)
    assert Case.objects.count() == 0


def test_double_submit_opens_one_case(login, alice, alice_client):
    client = login(alice)
    data = form_data(alice)
    first = client.post(open_url(alice_client), data)
    second = client.post(open_url(alice_client), data)
    case = Case.objects.get()
    assert first.url == second.url == f"/cases/{case.reference}/"


def test_no_case_for_another_organisations_client(login, alice, charlie, other_org):
    theirs = ClientFactory(organisation=other_org, created_by=charlie)
    client = login(alice)
    assert client.get(open_url(theirs)).status_code == 404
    assert client.post(open_url(theirs), form_data(alice)).status_code == 404
    assert Case.objects.count() == 0


def test_no_case_for_an_unknown_client(login, alice):
    assert login(alice).get(f"/clients/{uuid.uuid4()}/open-case/").status_code == 404


def test_coordinator_opening_a_sensitive_case_for_a_caseworker_is_told_it_opened(login, bob, alice, alice_client):
    response = login(bob).post(open_url(alice_client), form_data(alice, is_sensitive="on"), follow=True)
    case = Case.objects.get()
    assert response.status_code == 200 and f"Case {case.reference} opened." in messages_shown(response)
    assert login(alice).get(f"/cases/{case.reference}/").status_code == 200


def test_org_admin_cannot_open_cases(login, dana, alice_client):
    assert login(dana).post(open_url(alice_client), form_data(dana)).status_code == 404
    assert Case.objects.count() == 0
