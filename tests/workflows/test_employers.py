"""Employers are records of their own, reused across the cases of one organisation and never offered
to, or attachable by, another organisation."""

import pytest
from django.core.exceptions import ValidationError

from casework.cases import services as case_services
from casework.cases.models import Employer, WageDetail
from tests.factories import CaseFactory, EmployerFactory
from tests.pages import body, errors_shown

WAGES = {"currency": "RUB", "amount_owed": "0", "amount_recovered": "0"}


def name_employer(client, case, **data):
    return client.post(f"/cases/{case.reference}/details/", {**WAGES, **data})


def test_the_same_name_twice_is_one_employer(login, alice, wages_case):
    second = CaseFactory(assigned_to=alice, case_type="unpaid_wages")
    client = login(alice)
    assert name_employer(client, wages_case, new_employer_name="ООО Стройка").status_code == 302
    assert name_employer(client, second, new_employer_name="ООО Стройка").status_code == 302
    employer = Employer.objects.get()
    assert WageDetail.objects.filter(employer=employer).count() == 2


def test_the_same_name_in_another_script_or_spacing_finds_the_employer(login, alice, wages_case):
    client = login(alice)
    assert name_employer(client, wages_case, new_employer_name="ООО «Стройка»").status_code == 302
    for i, spelling in enumerate(["OOO Stroyka", "ооо  стройка", "OOO \"Stroika\""]):
        case = CaseFactory(assigned_to=alice, case_type="unpaid_wages")
        assert name_employer(client, case, new_employer_name=spelling).status_code == 302
        assert WageDetail.objects.get(case=case).employer.name == "ООО «Стройка»", spelling
    assert Employer.objects.count() == 1


def test_a_known_employer_is_offered_in_the_list(login, alice, wages_case):
    employer = EmployerFactory(organisation=wages_case.organisation, name="ИП Ахмедов")
    client = login(alice)
    form_page = body(client.get(f"/cases/{wages_case.reference}/details/"))
    assert f'<option value="{employer.pk}">ИП Ахмедов</option>' in form_page
    assert name_employer(client, wages_case, employer=employer.pk).status_code == 302
    assert WageDetail.objects.get(case=wages_case).employer == employer


def test_another_organisations_employer_is_never_offered(login, alice, wages_case, other_org, charlie):
    theirs = EmployerFactory(organisation=other_org, name="TOO Степь Агро")
    page = body(login(alice).get(f"/cases/{wages_case.reference}/details/"))
    assert "Степь Агро" not in page and f'value="{theirs.pk}"' not in page


def test_posting_another_organisations_employer_is_refused(login, alice, wages_case, other_org):
    theirs = EmployerFactory(organisation=other_org, name="TOO Степь Агро")
    ours = EmployerFactory(organisation=wages_case.organisation, name="ООО Наша")
    case_services.details_update(case=wages_case, changed_by=wages_case.assigned_to, employer=ours, amount_owed=100)
    response = name_employer(login(alice), wages_case, employer=theirs.pk, amount_owed="999")
    assert response.status_code == 200 and "Select a valid choice" in errors_shown(response)
    detail = WageDetail.objects.get(case=wages_case)
    assert detail.employer == ours and detail.amount_owed == 100


def test_the_same_name_in_another_organisation_is_a_separate_employer(login, alice, wages_case, charlie):
    assert name_employer(login(alice), wages_case, new_employer_name="ООО Стройка").status_code == 302
    theirs = CaseFactory(assigned_to=charlie, case_type="unpaid_wages")
    assert name_employer(login(charlie), theirs, new_employer_name="ООО Стройка").status_code == 302
    assert Employer.objects.count() == 2
    assert WageDetail.objects.get(case=theirs).employer.organisation == theirs.organisation


def test_the_service_refuses_another_organisations_employer(wages_case, other_org):
    theirs = EmployerFactory(organisation=other_org, name="TOO Степь Агро")
    with pytest.raises(ValidationError) as error:
        case_services.details_update(case=wages_case, changed_by=wages_case.assigned_to, employer=theirs)
    assert "employer" in error.value.message_dict
    assert WageDetail.objects.get(case=wages_case).employer is None
