"""proposals(): which deadlines an event sets running, by country, case type and date."""

import itertools
from datetime import date

import pytest

from casework.deadlines.rules import CASE_TYPES, EVENT_KINDS, compute, proposals

D = date.fromisoformat
ECHR_ROUTES = {"echr-art35-4-months", "echr-art35-6-months-transitional"}
UN_ROUTES = {"un-hrc-op1-delay-guideline", "un-cerd-art14-6-months"}
STATES = ("RU", "KZ", "KG", "TJ", "UZ", "BY", "AM", "AZ", "GE", "MD", "UA")


def proposed(jurisdiction, case_type, event_kind, event_date, facts_date=None) -> set[str]:
    found = proposals(jurisdiction=jurisdiction, case_type=case_type, event_kind=event_kind,
                      event_date=D(event_date), facts_date=D(facts_date) if facts_date else None)
    return {rule.id for rule in found}


def test_armenian_final_decision_goes_to_strasbourg():
    ids = proposed("AM", "asylum", "final_domestic_decision", "2025-03-10")
    assert "echr-art35-4-months" in ids and not ids & UN_ROUTES
    assert compute("echr-art35-4-months", D("2025-03-10")).due_date == D("2025-07-10")


def test_decision_before_february_2022_gets_the_six_month_limit():
    ids = proposed("GE", "deportation", "final_domestic_decision", "2022-01-31")
    assert ids & ECHR_ROUTES == {"echr-art35-6-months-transitional"}


@pytest.mark.parametrize(
    ("case_type", "event_kind", "rule_id"),
    [
        ("deportation", "expulsion_ruling_received", "ru-koap-30-3-expulsion-appeal"),
        ("unpaid_wages", "wages_due", "ru-tk-392-unpaid-wages-1-year"),
        ("asylum", "decision_served", "ru-refugee-appeal-1-month"),
        ("deportation", "extradition_decision_notified", "ru-upk-463-extradition-complaint"),
        ("deportation", "decision_served", "ru-kas-deportation-and-other-admin-claims"),
        ("deportation", "arrival", "ru-migration-registration-7-working-days"),
        ("unpaid_wages", "dismissed", "ru-tk-392-dismissal-1-month"),
        ("unpaid_wages", "court_decision_final_form", "ru-gpk-appeal-1-month"),
        ("asylum", "court_decision_final_form", "ru-kas-appeal-1-month"),
    ],
)
def test_russian_domestic_rules(case_type, event_kind, rule_id):
    assert rule_id in proposed("RU", case_type, event_kind, "2025-06-02")


def test_refugee_law_prevails_over_the_general_kas_period():
    ids = proposed("RU", "asylum", "decision_served", "2025-06-02")
    assert "ru-kas-deportation-and-other-admin-claims" not in ids


def test_case_type_filters_procedure():
    assert "ru-gpk-appeal-1-month" not in proposed("RU", "asylum", "court_decision_final_form", "2025-06-02")
    assert "ru-kas-appeal-1-month" not in proposed("RU", "unpaid_wages", "court_decision_final_form", "2025-06-02")
    assert "ru-koap-30-3-expulsion-appeal" not in proposed("RU", "asylum", "expulsion_ruling_received", "2025-06-02")


def test_wages_before_the_one_year_rule_existed_are_not_proposed_it():
    assert "ru-tk-392-unpaid-wages-1-year" not in proposed("RU", "unpaid_wages", "wages_due", "2016-09-30")


class TestRussiaAndStrasbourg:
    def test_facts_before_the_cutoff_go_to_strasbourg(self):
        ids = proposed("RU", "deportation", "final_domestic_decision", "2024-01-10", facts_date="2022-05-01")
        assert "echr-art35-4-months" in ids and not ids & UN_ROUTES

    def test_facts_on_the_cutoff_day_are_still_covered(self):
        ids = proposed("RU", "deportation", "final_domestic_decision", "2024-01-10", facts_date="2022-09-16")
        assert "echr-art35-4-months" in ids

    def test_facts_after_the_cutoff_go_to_the_un(self):
        ids = proposed("RU", "deportation", "final_domestic_decision", "2024-01-10", facts_date="2022-09-17")
        assert not ids & ECHR_ROUTES and ids >= UN_ROUTES

    def test_facts_default_to_the_event_date(self):
        assert not proposed("RU", "asylum", "final_domestic_decision", "2024-01-10") & ECHR_ROUTES


def test_kazakhstan_gets_un_routes_not_strasbourg():
    ids = proposed("KZ", "asylum", "final_domestic_decision", "2025-03-10")
    assert ids >= UN_ROUTES and not ids & ECHR_ROUTES


class TestBelarus:
    def test_human_rights_committee_before_the_denunciation(self):
        assert UN_ROUTES <= proposed("BY", "deportation", "final_domestic_decision", "2023-02-07")

    def test_no_human_rights_committee_from_8_february_2023(self):
        ids = proposed("BY", "deportation", "final_domestic_decision", "2023-02-08")
        assert "un-hrc-op1-delay-guideline" not in ids
        assert "un-cerd-art14-6-months" in ids
        assert not ids & ECHR_ROUTES


@pytest.mark.parametrize("event_date", ["2021-06-15", "2025-06-15"])
def test_every_proposal_is_computable_for_its_event_and_never_cmw(event_date):
    for state, case_type, kind in itertools.product(STATES, CASE_TYPES, sorted(EVENT_KINDS)):
        for rule_id in proposed(state, case_type, kind, event_date):
            assert rule_id != "un-cmw-art77"
            compute(rule_id, D(event_date))


def test_member_states_never_get_un_routes_and_others_never_strasbourg():
    for state in STATES:
        ids = proposed(state, "asylum", "final_domestic_decision", "2025-06-15")
        assert bool(ids & ECHR_ROUTES) == (state in {"AM", "AZ", "GE", "MD", "UA"})
        assert bool(ids & UN_ROUTES) == (state in {"RU", "BY", "KZ", "KG", "TJ", "UZ"})


@pytest.mark.parametrize(
    ("state", "case_type", "event_kind"),
    [("RU", "refugee", "arrival"), ("RU", "asylum", "decision"), ("FR", "asylum", "arrival")],
)
def test_unknown_state_case_type_or_event_kind(state, case_type, event_kind):
    with pytest.raises(ValueError):
        proposed(state, case_type, event_kind, "2025-01-01")
