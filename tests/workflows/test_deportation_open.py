"""A deportation or extradition case cannot be opened without saying which kind of removal it is."""

import pytest
from django.core.exceptions import ValidationError

from casework.cases.models import Case, DeportationDetail
from casework.cases.services import case_create
from tests.pages import errors_shown
from tests.workflows.conftest import token


def open_case(client, born_client, alice, **data):
    return client.post(f"/clients/{born_client.public_id}/open-case/", {
        "case_type": "deportation", "jurisdiction": "RU", "assigned_to": alice.pk, "submission_token": token(), **data,
    })


def test_without_removal_kind_the_form_says_so_and_opens_nothing(login, alice, born_client):
    response = open_case(login(alice), born_client, alice)
    assert response.status_code == 200
    assert "Choose the kind of removal." in errors_shown(response)
    assert not Case.objects.exists()


@pytest.mark.parametrize("kind", ["administrative_expulsion", "deportation", "extradition"])
def test_with_removal_kind_the_case_opens_with_it(login, alice, born_client, kind):
    client = login(alice)
    response = open_case(client, born_client, alice, removal_kind=kind)
    case = Case.objects.get()
    assert response["Location"] == f"/cases/{case.reference}/"
    assert DeportationDetail.objects.get(case=case).removal_kind == kind
    label = dict(DeportationDetail.RemovalKind.choices)[kind]
    assert f"<dd>{label}</dd>" in client.get(response["Location"]).content.decode()


def test_the_service_refuses_a_deportation_case_without_removal_kind(org, alice, born_client):
    with pytest.raises(ValidationError) as error:
        case_create(organisation=org, client=born_client, case_type="deportation", jurisdiction="RU",
                    assigned_to=alice, created_by=alice)
    assert "removal_kind" in error.value.message_dict
    assert not Case.objects.exists()


def test_an_unknown_removal_kind_is_refused(login, alice, born_client):
    response = open_case(login(alice), born_client, alice, removal_kind="kidnapping")
    assert response.status_code == 200 and errors_shown(response)
    assert not Case.objects.exists()
