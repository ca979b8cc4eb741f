"""A case's change history: on the case page the latest changes of the case, its details and its records
(who, when, which fields, old -> new values as a person reads them), all of them a page at a time on the
case's history page; field names only where the case's personal data is not the user's to see, whereabouts
held back on a sensitive case; invisible cases are 404; the case page costs the same queries however long
the history."""

import datetime

import pytest
from django.db import connection

from casework.audit.models import AccessEvent, Action
from casework.cases import services
from casework.cases.models import AsylumDecision, InterimMeasure
from tests.factories import CaseFactory
from tests.history import history_text
from tests.pages import body

pytestmark = pytest.mark.sqlite



@pytest.fixture
def deportation(alice, alice_client, clock):
    case = CaseFactory(assigned_to=alice, client=alice_client, case_type="deportation", removal_kind="deportation")
    clock()
    services.details_update(case=case, changed_by=alice, removal_kind="extradition", requesting_state="Uzbekistan",
                            detention_place="СИЗО-1, г. Екатеринбург")
    clock()
    return case


def test_the_case_page_shows_who_changed_which_fields_when_from_what_to_what(login, alice, bob, deportation, clock):
    measure = services.record_add(case=deportation, model=InterimMeasure, changed_by=alice, body="echr_rule39",
                                  requested_on=datetime.date(2026, 3, 10))
    clock()
    services.record_update(record=measure, changed_by=bob, status="granted", decided_on=datetime.date(2026, 3, 11))
    clock()
    services.case_reassign(case=deportation, assigned_to=bob, changed_by=bob)

    page = login(bob).get(f"/cases/{deportation.reference}/")
    shown = history_text(page)

    assert shown.startswith("12 March 2026, 14:09 · Case · changed · bob Assigned to : alice → bob")
    assert ("Interim measure request of March 10, 2026 · changed · bob Status : Pending → Granted "
            "Decided on : — → March 11, 2026") in shown
    assert ("Interim measure request of March 10, 2026 · created · alice Body : European Court, Rule 39 "
            "Requested on : March 10, 2026 Status : Pending") in shown
    assert ("Details · changed · alice Removal kind : Deportation → Extradition Requesting state : — "
            "→ Uzbekistan Place of detention : — → СИЗО-1, г. Екатеринбург") in shown
    assert ("12 March 2026, 14:05 · Case · created · alice Status : Open Jurisdiction : Russia "
            "Assigned to : alice Sensitive : no Opened on : March 12, 2026") in shown
    assert 'href="#changes"' in body(page) and f'href="/cases/{deportation.reference}/history/"' in body(page)


def test_decision_grounds_and_amounts_read_as_labels_and_grouped_figures(login, alice, alice_client, clock):
    asylum = CaseFactory(assigned_to=alice, client=alice_client)
    decision = services.record_add(case=asylum, model=AsylumDecision, changed_by=alice, stage="first_decision",
                                   decided_on=datetime.date(2026, 2, 1), outcome="refused",
                                   refusal_grounds=["illegal_entry"])
    clock()
    services.record_update(record=decision, changed_by=alice, refusal_grounds=["illegal_entry", "safe_third_country"])
    wages = CaseFactory(assigned_to=alice, client=alice_client, case_type="unpaid_wages")
    clock()
    services.details_update(case=wages, changed_by=alice, new_employer_name="ООО Стройинвест", amount_owed=1250000,
                            passport_held_by_employer=True)

    client = login(alice)
    assert ("Decision of Feb. 1, 2026 · changed · alice Grounds of refusal : Illegal entry → "
            "Illegal entry, Safe third country") in history_text(client.get(f"/cases/{asylum.reference}/"))
    shown = history_text(client.get(f"/cases/{wages.reference}/"))
    assert "Employer : — → ООО Стройинвест" in shown
    assert "Amount owed : 0.00 → 1,250,000.00" in shown
    assert "Employer holds the passport : — → yes" in shown


def test_in_russian_the_moment_and_the_choices_read_in_russian(login, alice, deportation):
    client = login(alice)
    client.post("/i18n/setlang/", {"language": "ru"})
    shown = history_text(client.get(f"/cases/{deportation.reference}/"))
    assert "12 марта 2026, 14:06" in shown and "Экстрадиция" in shown


def test_a_sensitive_case_names_the_detention_place_but_keeps_its_values_back(login, alice, alice_client, clock):
    case = CaseFactory(assigned_to=alice, client=alice_client, case_type="deportation", removal_kind="deportation",
                       is_sensitive=True)
    clock()
    services.details_update(case=case, changed_by=alice, detention_place="ЦВСИГ №1", requesting_state="Tajikistan")
    client = login(alice)
    for url in (f"/cases/{case.reference}/", f"/cases/{case.reference}/history/"):
        page = client.get(url)
        shown = history_text(page)
        assert "Place of detention (hidden on sensitive cases)" in shown
        assert "Requesting state : — → Tajikistan" in shown
        assert "ЦВСИГ" not in body(page)


def test_a_coordinator_not_named_on_a_sensitive_case_sees_field_names_only(login, alice, bob, alice_client, clock):
    case = CaseFactory(assigned_to=alice, client=alice_client, case_type="deportation", removal_kind="deportation",
                       is_sensitive=True)
    clock()
    services.details_update(case=case, changed_by=alice, requesting_state="Tajikistan", charges="ст. 307")
    services.record_add(case=case, model=InterimMeasure, changed_by=alice, body="un_cat",
                        requested_on=datetime.date(2026, 3, 1))
    client = login(bob)
    before = AccessEvent.objects.count()
    for url in (f"/cases/{case.reference}/", f"/cases/{case.reference}/history/"):
        page = client.get(url)
        shown = history_text(page)
        assert "Details · changed · alice Requesting state Charges as alleged" in shown
        assert "Interim measure request · created · alice Body Requested on Status" in shown
        for value in ("Tajikistan", "307", "UN Committee", "March 1, 2026", "Тошпулатова"):
            assert value not in body(page)
    assert AccessEvent.objects.count() == before  # nothing personal was shown


def test_the_history_page_lists_every_change_a_page_at_a_time_and_is_on_record(login, alice, deportation, clock):
    for i in range(60):
        clock()
        services.details_update(case=deportation, changed_by=alice, echr_application_no=f"{i}/26")
    client = login(alice)

    first = client.get(f"/cases/{deportation.reference}/history/")
    assert first.status_code == 200
    shown = history_text(first)
    assert shown.count(" · changed · ") == 50 and "59/26" in shown and "Page 1 of 2" in body(first)
    last = history_text(client.get(f"/cases/{deportation.reference}/history/?page=2"))
    assert "· Case · created ·" in last and "10/26" not in last and "9/26" in last
    assert history_text(client.get(f"/cases/{deportation.reference}/history/?page=x")) == shown
    assert AccessEvent.objects.filter(action=Action.VIEW_CASE, case=deportation, detail="page=history").count() == 3


@pytest.mark.parametrize("who", ["charlie", "erin", "carol", "dana"])
def test_the_history_page_of_a_case_one_cannot_see_is_a_404(request, login, alice_case, bob, who):
    response = login(request.getfixturevalue(who)).get(f"/cases/{alice_case.reference}/history/")
    assert response.status_code == 404
    assert "Тошпулатова" not in body(response)


@pytest.mark.parametrize("changes", [1, 30])
def test_the_case_page_costs_the_same_queries_with_1_and_30_changes(login, alice, bob, alice_client, clock,
                                                                    django_assert_num_queries, changes):
    case = CaseFactory(assigned_to=alice, client=alice_client, case_type="deportation", removal_kind="deportation")
    measure = services.record_add(case=case, model=InterimMeasure, changed_by=alice, body="echr_rule39",
                                  requested_on=datetime.date(2026, 3, 1))
    for i in range(changes):
        clock()
        services.details_update(case=case, changed_by=(alice, bob)[i % 2], echr_application_no=f"{i}/26",
                                detention_place=f"СИЗО-{i}")
        services.record_update(record=measure, changed_by=bob, decided_on=datetime.date(2026, 3, 2 + i % 10))
    client = login(alice)
    client.get(f"/cases/{case.reference}/")  # the session's first request settles its own rows
    with django_assert_num_queries(CASE_PAGE_QUERIES[connection.vendor]):
        client.get(f"/cases/{case.reference}/")


# The deportation case page above: 30 queries before the change history section, which adds its one UNION ALL
# (on SQLite one fewer: the audit trail takes no advisory lock there).
CASE_PAGE_QUERIES = {"postgresql": 31, "sqlite": 30}
