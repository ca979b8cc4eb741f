"""Whatever is typed or forged into the workflow forms, the answer is the form with its errors, never a
server error, and nothing is saved."""

import datetime

import pytest

from casework.cases.models import (
    AsylumDecision,
    AsylumDetail,
    CaseEvent,
    DeportationDetail,
    DomesticChallenge,
    Employer,
    InterimMeasure,
    StatusChange,
    WageDetail,
)
from casework.cases.services import event_record
from tests.factories import CaseFactory, ClientFactory
from tests.pages import errors_shown
from tests.workflows.conftest import token

LONG = "Ж" * 10_000
TEXT_FIELDS = {
    "asylum": ["country_of_origin", "resettlement_country"],
    "deportation": ["requesting_state", "charges", "detention_place", "echr_application_no"],
    "unpaid_wages": ["intermediary", "new_employer_name", "new_employer_director", "new_employer_address",
                     "new_employer_registration_number"],
}
DATE_FIELDS = {
    "asylum": ["arrival_date", "status_renewal_date", "resettled_on"],
    "deportation": ["detained_from", "detained_until", "reentry_ban_until", "scheduled_removal_at"],
    "unpaid_wages": ["work_from", "work_to"],
}
VALID = {
    "asylum": {"procedure": "national", "stage": "application"},
    "deportation": {"removal_kind": "deportation"},
    "unpaid_wages": {"currency": "RUB", "amount_owed": "0", "amount_recovered": "0"},
}
BAD_DATES = ["2026-13-45", "not a date", "99999-01-01", "2026-02-30", "\x00", "1" * 500, "0001-01-01",
             "0001-01-01T00:00"]
DETAILS = {"asylum": AsylumDetail, "deportation": DeportationDetail, "unpaid_wages": WageDetail}


def snapshot(case_type, case):
    row = DETAILS[case_type].objects.get(case=case)
    return {field.attname: getattr(row, field.attname) for field in row._meta.concrete_fields}


def post_details(client, case, data):
    response = client.post(f"/cases/{case.reference}/details/", data)
    assert response.status_code == 200, data
    assert errors_shown(response)
    return response


def flagged(response) -> set[str]:
    return set(response.context["form"].errors)


@pytest.mark.parametrize("case_type", ["asylum", "deportation", "unpaid_wages"])
def test_overlong_text_in_every_details_field(login, alice, case_of_type, case_type):
    case = case_of_type(case_type)
    before = snapshot(case_type, case)
    response = post_details(login(alice), case, {**VALID[case_type], **{f: LONG for f in TEXT_FIELDS[case_type]}})
    assert flagged(response) == set(TEXT_FIELDS[case_type])
    assert snapshot(case_type, case) == before
    assert not Employer.objects.exists()


@pytest.mark.parametrize("case_type", ["asylum", "deportation", "unpaid_wages"])
def test_malformed_or_impossible_dates_in_every_details_field(login, alice, case_of_type, case_type):
    case = case_of_type(case_type)
    client = login(alice)
    before = snapshot(case_type, case)
    for value in BAD_DATES:
        response = post_details(client, case, {**VALID[case_type], **{f: value for f in DATE_FIELDS[case_type]}})
        assert flagged(response) <= set(DATE_FIELDS[case_type])
        # A date the form can read but the case rules refuse is flagged once the rest of the form is valid.
        for field in set(DATE_FIELDS[case_type]) - flagged(response):
            assert field in flagged(post_details(client, case, {**VALID[case_type], field: value})), (field, value)
    assert snapshot(case_type, case) == before


def test_implausible_years_are_refused_even_without_a_birth_date(login, alice, org):
    """Without a birth date nothing else stops year 1, which cannot even be stored as a time."""
    nobody_knows = ClientFactory(organisation=org, created_by=alice, date_of_birth=None)
    case = CaseFactory(assigned_to=alice, client=nobody_knows, case_type="deportation", removal_kind="deportation")
    client = login(alice)
    for value in ("0001-01-01T00:00", "0001-01-01T02:00", "1899-12-31T12:00", "9999-12-31T23:59"):
        response = post_details(client, case, {"removal_kind": "deportation", "scheduled_removal_at": value})
        assert "Enter a date between 1900 and 2100." in errors_shown(response), value
    response = client.post(f"/cases/{case.reference}/events/new/",
                           {"kind": "arrival", "occurred_on": "0001-01-01", "submission_token": token()})
    assert response.status_code == 200 and "Enter a date between 1900 and 2100." in errors_shown(response)
    assert DeportationDetail.objects.get(case=case).scheduled_removal_at is None
    assert not CaseEvent.objects.exists()


AMOUNTS = ["abc", "1,000.00", "1e20", "100000000000000000000", "-1e20", "NaN", "Infinity", "-Infinity", "1.005",
           "12345678901234.56", "0x10", " ", "\x00", "9" * 10_000]


def test_non_numeric_or_huge_amounts(login, alice, wages_case):
    client = login(alice)
    before = snapshot("unpaid_wages", wages_case)
    for amount in AMOUNTS:
        response = post_details(client, wages_case, {**VALID["unpaid_wages"], "amount_owed": amount,
                                                     "amount_recovered": amount, "intermediary": "Посредник"})
        assert flagged(response) == {"amount_owed", "amount_recovered"}, amount
    assert snapshot("unpaid_wages", wages_case) == before


def test_forged_choices_and_ids(login, alice, wages_case):
    client = login(alice)
    before = snapshot("unpaid_wages", wages_case)
    for data in ({"currency": "XXX"}, {"sector": "piracy"}, {"employer": "999999"}, {"employer": "abc"},
                 {"employer": "1" * 100}, {"passport_held_by_employer": "perhaps", "amount_owed": "-5"}):
        response = client.post(f"/cases/{wages_case.reference}/details/", {**VALID["unpaid_wages"], **data})
        assert response.status_code == 200, data
    assert snapshot("unpaid_wages", wages_case) == before


@pytest.mark.parametrize("data", [
    {"kind": "arrival", "occurred_on": "2026-13-45"},
    {"kind": "arrival", "occurred_on": "1" * 500},
    {"kind": "arrival", "occurred_on": "2026-01-01", "note": LONG},
    {"kind": "K" * 10_000, "occurred_on": "2026-01-01"},
    {"kind": "arrival", "occurred_on": "2026-01-01", "submission_token": "not-a-uuid"},
])
def test_bad_event_input(login, alice, asylum_case, data):
    response = login(alice).post(f"/cases/{asylum_case.reference}/events/new/", {"submission_token": token(), **data})
    assert response.status_code == 200 and errors_shown(response)
    assert not CaseEvent.objects.exists()


@pytest.mark.parametrize("kind, data", [
    ("decisions", {"stage": "S" * 10_000, "decided_on": "2026-01-01", "outcome": "refused"}),
    ("decisions", {"stage": "first_decision", "decided_on": "2026-02-30", "outcome": "refused"}),
    ("challenges", {"forum": LONG, "lodged_on": "2026-01-01"}),
    ("challenges", {"forum": "Суд", "lodged_on": "2026-01-01", "outcome": LONG}),
    ("challenges", {"forum": "Суд", "lodged_on": "yesterday"}),
    ("interim-measures", {"body": "echr_rule39", "requested_on": "2026-01-01", "status": "S" * 10_000}),
])
def test_bad_record_input(login, alice, asylum_case, kind, data):
    response = login(alice).post(f"/cases/{asylum_case.reference}/records/{kind}/new/", data)
    assert response.status_code == 200 and errors_shown(response)
    assert not (AsylumDecision.objects.exists() or DomesticChallenge.objects.exists() or InterimMeasure.objects.exists())


def test_bad_status_input(login, alice, asylum_case):
    client = login(alice)
    for data in ({"status": "closed", "outcome": "O" * 10_000}, {"status": "S" * 10_000},
                 {"status": "closed", "outcome": "withdrawn", "reason": LONG}):
        response = client.post(f"/cases/{asylum_case.reference}/status/", data)
        assert response.status_code == 200 and errors_shown(response), data
    assert not StatusChange.objects.exists()


def test_bad_correction_input(login, alice, asylum_case):
    event = event_record(case=asylum_case, kind="arrival", occurred_on=datetime.date(2026, 1, 1), recorded_by=alice)
    client = login(alice)
    for data in ({"occurred_on": "2026-13-01", "reason": "Typo"}, {"occurred_on": "2026-01-02", "reason": LONG}):
        response = client.post(f"/cases/{asylum_case.reference}/events/{event.pk}/correct/", data)
        assert response.status_code == 200 and errors_shown(response), data
    assert CaseEvent.objects.get(pk=event.pk).occurred_on == datetime.date(2026, 1, 1)
    assert client.post(f"/cases/{asylum_case.reference}/events/999999999999/correct/", {}).status_code == 404
