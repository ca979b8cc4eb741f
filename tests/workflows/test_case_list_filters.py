"""The case list narrows by type, status, jurisdiction, assigned caseworker and urgency; filters combine."""

import datetime

import pytest
from django.utils import timezone

from casework.cases import services as case_services
from tests.factories import CaseFactory
from tests.pages import references_listed


@pytest.fixture
def cases(alice, bob):
    """A small organisation's caseload, by name."""
    made = {
        "asylum_ru": CaseFactory(assigned_to=alice, case_type="asylum", jurisdiction="RU"),
        "asylum_kz_bob": CaseFactory(assigned_to=bob, case_type="asylum", jurisdiction="KZ"),
        "removal_soon": CaseFactory(assigned_to=alice, case_type="deportation", removal_kind="deportation",
                                    jurisdiction="RU"),
        "extradition_later": CaseFactory(assigned_to=bob, case_type="deportation", removal_kind="extradition",
                                         jurisdiction="KG"),
        "wages_closed": CaseFactory(assigned_to=alice, case_type="unpaid_wages", jurisdiction="RU"),
        "wages_active_bob": CaseFactory(assigned_to=bob, case_type="unpaid_wages", jurisdiction="KZ"),
    }
    case_services.details_update(case=made["removal_soon"], changed_by=made["removal_soon"].assigned_to, scheduled_removal_at=timezone.now() + datetime.timedelta(hours=20))
    case_services.details_update(case=made["extradition_later"], changed_by=made["extradition_later"].assigned_to, scheduled_removal_at=timezone.now() + datetime.timedelta(days=9))
    case_services.case_set_status(case=made["wages_closed"], status="closed", outcome="wages_not_recovered", changed_by=alice)
    case_services.case_set_status(case=made["wages_active_bob"], status="active", changed_by=bob)
    return made


def listed(client, cases, query: str) -> set[str]:
    names = {case.reference: name for name, case in cases.items()}
    return {names[reference] for reference in references_listed(client.get(f"/cases/?{query}"))}


FILTERS = [
    ("", {"asylum_ru", "asylum_kz_bob", "removal_soon", "extradition_later", "wages_closed", "wages_active_bob"}),
    ("case_type=asylum", {"asylum_ru", "asylum_kz_bob"}),
    ("case_type=deportation", {"removal_soon", "extradition_later"}),
    ("case_type=unpaid_wages", {"wages_closed", "wages_active_bob"}),
    ("status=open", {"asylum_ru", "asylum_kz_bob", "removal_soon", "extradition_later"}),
    ("status=active", {"wages_active_bob"}),
    ("status=closed", {"wages_closed"}),
    ("jurisdiction=KZ", {"asylum_kz_bob", "wages_active_bob"}),
    ("jurisdiction=KG", {"extradition_later"}),
    ("urgent=on", {"removal_soon"}),
    ("case_type=unpaid_wages&jurisdiction=KZ", {"wages_active_bob"}),
    ("case_type=asylum&status=closed", set()),
]


def test_coordinator_filters(login, bob, cases):
    client = login(bob)
    for query, expected in FILTERS:
        assert listed(client, cases, query) == expected, query


def test_filter_by_assigned_caseworker(login, alice, bob, cases):
    client = login(bob)
    assert listed(client, cases, f"assigned_to={alice.pk}") == {"asylum_ru", "removal_soon", "wages_closed"}
    assert listed(client, cases, f"assigned_to={bob.pk}&case_type=asylum") == {"asylum_kz_bob"}
    assert listed(client, cases, "mine=on") == {"asylum_kz_bob", "extradition_later", "wages_active_bob"}


def test_a_caseworkers_filters_stay_within_her_cases(login, alice, bob, cases):
    client = login(alice)
    assert listed(client, cases, "") == {"asylum_ru", "removal_soon", "wages_closed"}
    assert listed(client, cases, "jurisdiction=KZ") == set()
    assert listed(client, cases, f"assigned_to={bob.pk}") == set()


def test_nonsense_filters_do_not_break_the_list(login, bob, cases):
    client = login(bob)
    for query in ("case_type=burglary", "status=lost", "jurisdiction=XX", "assigned_to=999999", "assigned_to=abc",
                  "page=9999", "page=-1", "urgent=maybe%00", "assigned_to=" + "9" * 100):
        assert client.get(f"/cases/?{query}").status_code == 200, query


def test_another_organisations_caseworker_is_not_a_filter_choice(login, bob, charlie, cases):
    response = login(bob).get(f"/cases/?assigned_to={charlie.pk}")
    assert response.status_code == 200
    assert f'<option value="{charlie.pk}"' not in response.content.decode()
