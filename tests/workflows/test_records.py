"""Per-type records: asylum decisions with grounds of refusal, domestic challenges, interim measures and
wage claims, each updated as things move; a kind of record a case cannot hold, or a record of another
case, is a 404."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from casework.cases import services as case_services
from casework.cases.models import AsylumDecision, DomesticChallenge, InterimMeasure, WageClaim
from tests.factories import CaseFactory
from tests.pages import body, errors_shown, text


def add(client, case, kind, data):
    return client.post(f"/cases/{case.reference}/records/{kind}/new/", data)


def section(client, case, kind) -> str:
    page = body(client.get(f"/cases/{case.reference}/"))
    start = page.index(f'<details class="section" id="{kind}"')
    return text(page[start:page.index("</details>", start)])


def test_asylum_decision_with_grounds_of_refusal(login, alice, asylum_case):
    client = login(alice)
    response = add(client, asylum_case, "decisions", {
        "stage": "first_decision", "decided_on": "2026-09-01", "served_on": "2026-09-10", "outcome": "refused",
        "refusal_grounds": ["safe_third_country", "inconsistencies"],
    })
    assert response.status_code == 302 and response["Location"] == f"/cases/{asylum_case.reference}/#decisions"
    decision = AsylumDecision.objects.get(case=asylum_case)
    assert decision.refusal_grounds == ["safe_third_country", "inconsistencies"]
    shown = section(client, asylum_case, "decisions")
    assert "First decision" in shown and "Refused" in shown
    assert "Grounds: Safe third country, Minor inconsistencies in the account" in shown


def test_an_unknown_ground_of_refusal_is_refused(login, alice, asylum_case):
    response = add(login(alice), asylum_case, "decisions", {
        "stage": "first_decision", "decided_on": "2026-09-01", "outcome": "refused", "refusal_grounds": ["ugly"],
    })
    assert response.status_code == 200 and "Select a valid choice" in errors_shown(response)
    assert not AsylumDecision.objects.exists()


@pytest.mark.parametrize("case_type", ["deportation", "asylum"])
def test_domestic_challenge_is_added_and_decided(login, alice, case_of_type, case_type):
    case = case_of_type(case_type)
    client = login(alice)
    response = add(client, case, "challenges", {"forum": "Московский городской суд", "lodged_on": "2026-10-01"})
    assert response.status_code == 302
    challenge = DomesticChallenge.objects.get(case=case)
    response = client.post(f"/cases/{case.reference}/records/challenges/{challenge.pk}/", {
        "forum": "Московский городской суд", "lodged_on": "2026-10-01", "decided_on": "2026-10-20",
        "outcome": "Постановление о выдворении отменено",
    })
    assert response.status_code == 302
    shown = section(client, case, "challenges")
    assert "Московский городской суд" in shown and "Постановление о выдворении отменено" in shown


def test_interim_measure_status_is_updated(login, alice, deportation_case):
    client = login(alice)
    assert add(client, deportation_case, "interim-measures", {
        "body": "echr_rule39", "requested_on": "2026-11-27", "status": "pending",
    }).status_code == 302
    measure = InterimMeasure.objects.get(case=deportation_case)
    assert "European Court, Rule 39 · Pending" in section(client, deportation_case, "interim-measures")
    response = client.post(f"/cases/{deportation_case.reference}/records/interim-measures/{measure.pk}/", {
        "body": "echr_rule39", "requested_on": "2026-11-27", "status": "granted", "decided_on": "2026-11-28",
    })
    assert response.status_code == 302
    measure.refresh_from_db()
    assert (measure.status, measure.decided_on) == ("granted", datetime.date(2026, 11, 28))
    assert "European Court, Rule 39 · Granted" in section(client, deportation_case, "interim-measures")


def test_wage_claim_outcome_is_updated(login, alice, wages_case):
    client = login(alice)
    claim_data = {"forum": "labour_inspectorate", "filed_on": "2026-09-10", "outcome": "pending"}
    assert add(client, wages_case, "claims", claim_data).status_code == 302
    claim = WageClaim.objects.get(case=wages_case)
    assert claim.outcome == "pending"
    response = client.post(f"/cases/{wages_case.reference}/records/claims/{claim.pk}/", {
        "forum": "labour_inspectorate", "filed_on": "2026-09-10", "outcome": "partly_upheld", "decided_on": "2026-10-15",
    })
    assert response.status_code == 302
    assert "Labour inspectorate · Partly upheld" in section(client, wages_case, "claims")


def test_record_dates_obey_the_date_rules(login, alice, wages_case):
    future = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    response = add(login(alice), wages_case, "claims", {"forum": "court", "filed_on": future, "outcome": "pending"})
    assert response.status_code == 200 and "The date cannot be in the future." in errors_shown(response)
    response = add(login(alice), wages_case, "claims", {"forum": "court", "filed_on": "1950-01-01", "outcome": "pending"})
    assert response.status_code == 200 and "before the client's date of birth" in errors_shown(response)
    assert not WageClaim.objects.exists()


@pytest.mark.parametrize("case_type, kind", [
    ("asylum", "claims"), ("deportation", "claims"), ("deportation", "decisions"),
    ("unpaid_wages", "decisions"), ("unpaid_wages", "challenges"), ("unpaid_wages", "interim-measures"),
    ("asylum", "unknown-kind"),
])
def test_a_kind_of_record_the_case_type_cannot_hold_is_404(login, alice, case_of_type, case_type, kind):
    case = case_of_type(case_type)
    client = login(alice)
    assert client.get(f"/cases/{case.reference}/records/{kind}/new/").status_code == 404
    assert client.post(f"/cases/{case.reference}/records/{kind}/new/",
                       {"forum": "court", "filed_on": "2026-01-01"}).status_code == 404
    assert not WageClaim.objects.exists()


def test_a_case_page_offers_only_its_own_kinds_of_record(login, alice, wages_case):
    page = body(login(alice).get(f"/cases/{wages_case.reference}/"))
    assert f"/cases/{wages_case.reference}/records/claims/new/" in page
    assert "/records/decisions/" not in page and "/records/interim-measures/" not in page


def test_a_record_of_another_case_is_404_through_this_cases_url(login, alice, wages_case, born_client):
    other = CaseFactory(assigned_to=alice, client=born_client, case_type="unpaid_wages")
    theirs = case_services.record_add(case=other, changed_by=other.assigned_to, model=WageClaim, forum="court", filed_on=datetime.date(2026, 2, 3))
    client = login(alice)
    assert client.get(f"/cases/{wages_case.reference}/records/claims/{theirs.pk}/").status_code == 404
    response = client.post(f"/cases/{wages_case.reference}/records/claims/{theirs.pk}/",
                           {"forum": "court", "filed_on": "2026-02-03", "outcome": "rejected"})
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.outcome == "pending" and theirs.case == other


def test_the_service_refuses_a_record_the_case_type_cannot_hold(asylum_case):
    with pytest.raises(ValidationError):
        case_services.record_add(case=asylum_case, changed_by=asylum_case.assigned_to, model=WageClaim, forum="court", filed_on=datetime.date(2026, 2, 3))
    assert not WageClaim.objects.exists()


def test_records_need_edit_access(login, carol, charlie, wages_case):
    for user in (carol, charlie):
        assert add(login(user), wages_case, "claims", {"forum": "court", "filed_on": "2026-01-01"}).status_code == 404
    assert not WageClaim.objects.exists()
