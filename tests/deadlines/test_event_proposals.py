"""After an event is recorded the caseworker sees the deadlines it sets running for the case's
country and type, computed, with every doubt spelled out."""

import pytest
from django.urls import reverse

from casework.cases.services import case_grant
from casework.deadlines.selectors import event_proposals
from tests.deadlines.conftest import D
from tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def proposed(event) -> dict:
    return {p.rule.id: p.computation.due_date for p in event_proposals(event)}


def test_armenian_final_decision_proposes_the_european_court_in_four_months(make_case, record):
    event = record(make_case(jurisdiction="AM", case_type="asylum"), "final_domestic_decision", D("2025-03-10"))
    ids = proposed(event)
    assert ids["echr-art35-4-months"] == D("2025-07-10")
    assert not {"un-hrc-op1-delay-guideline", "un-cerd-art14-6-months"} & ids.keys()


def test_russian_expulsion_ruling_proposes_the_ten_day_complaint(make_case, record, login, alice):
    event = record(make_case(jurisdiction="RU", case_type="deportation"), "expulsion_ruling_received", D("2025-06-02"))
    # Ten days end on Russia Day (12 June 2025); the days off run to Sunday, so the complaint is due Monday.
    assert proposed(event) == {"ru-koap-30-3-expulsion-appeal": D("2025-06-16")}
    body = login(alice).get(reverse("deadline_proposals", args=[event.case.reference, event.pk])).content.decode()
    assert "June 16, 2025" in body and "June 12, 2025" in body


def test_russian_unpaid_payday_proposes_the_one_year_claim(make_case, record):
    event = record(make_case(jurisdiction="RU", case_type="unpaid_wages"), "wages_due", D("2025-03-05"))
    assert proposed(event) == {"ru-tk-392-unpaid-wages-1-year": D("2025-03-05").replace(year=2026)}


def test_kazakhstan_gets_the_un_routes_not_strasbourg(make_case, record):
    event = record(make_case(jurisdiction="KZ", case_type="deportation"), "final_domestic_decision", D("2025-03-10"))
    ids = proposed(event)
    assert {"un-hrc-op1-delay-guideline", "un-cerd-art14-6-months"} <= ids.keys()
    assert not any(rule_id.startswith("echr") for rule_id in ids)


def test_russia_goes_to_the_un_for_recent_facts(make_case, record):
    event = record(make_case(jurisdiction="RU", case_type="deportation"), "final_domestic_decision", D("2025-01-20"))
    ids = proposed(event)
    assert "un-cerd-art14-6-months" in ids and "echr-art35-4-months" not in ids


def test_russia_also_goes_to_strasbourg_when_the_case_began_before_the_cutoff(make_case, record):
    """The facts may go back to the case's first event: both routes are offered, the caseworker chooses."""
    case = make_case(jurisdiction="RU", case_type="deportation")
    record(case, "detained", D("2022-05-01"))
    event = record(case, "final_domestic_decision", D("2025-01-20"))
    ids = proposed(event)
    assert ids["echr-art35-4-months"] == D("2025-05-20")
    assert "un-cerd-art14-6-months" in ids


def test_a_country_without_rules_gets_no_proposal_and_can_add_one_by_hand(make_case, record, login, alice):
    event = record(make_case(jurisdiction="TM", case_type="asylum"), "final_domestic_decision", D("2025-03-10"))
    assert proposed(event) == {}
    page = login(alice).get(reverse("deadline_proposals", args=[event.case.reference, event.pk]))
    assert page.status_code == 200
    assert "No deadline rule is known" in page.content.decode()
    assert reverse("deadline_create", args=[event.case.reference]) in page.content.decode()


def test_proposals_page_shows_title_legal_day_and_warnings(make_case, record, login, alice):
    event = record(make_case(jurisdiction="RU", case_type="asylum"), "decision_served", D("2025-05-31"))
    body = login(alice).get(reverse("deadline_proposals", args=[event.case.reference, event.pk])).content.decode()
    assert "Appeal against refusal to examine on merits" in body
    # 31 May + 1 month: 30 June does not have a 31st, the last day of the month is used, and said.
    assert "June 30, 2025" in body
    assert "the last day of the month (June 30, 2025) is used" in body
    assert 'name="action" value="confirm"' in body and 'name="action" value="dismiss"' in body


def test_a_partner_who_may_only_read_sees_proposals_without_buttons(make_case, record, login, alice):
    case = make_case(jurisdiction="AM", case_type="asylum")
    event = record(case, "final_domestic_decision", D("2025-03-10"))
    partner = MembershipFactory(organisation=OrganisationFactory(), username="pat").user
    case_grant(case=case, granted_by=alice, level="view", user=partner)
    body = login(partner).get(reverse("deadline_proposals", args=[case.reference, event.pk])).content.decode()
    assert "Application to the European Court" in body and 'value="confirm"' not in body
    response = login(partner).post(reverse("deadline_proposals", args=[case.reference, event.pk]),
                                   {"rule_id": "echr-art35-4-months", "action": "confirm"})
    assert response.status_code == 403
