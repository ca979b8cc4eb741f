"""What a caseworker, a coordinator and an outsider see in a real browser."""

import datetime

import pytest
from django.utils import formats, timezone

from casework.deadlines.rules import add_months

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_caseworker_registers_a_client_and_opens_an_asylum_case(page, alice, sign_in, shot):
    sign_in(page, "alice")
    assert page.locator("h1").inner_text() == "My cases"
    shot(page, "1-my-cases")

    page.click("text=Clients")
    page.click("text=Register a client")
    page.fill("#id_family_name", "Рахимова")
    page.fill("#id_given_names", "Nigora")
    page.fill("#id_date_of_birth", "1990-05-17")
    page.fill("#id_nationality", "Uzbekistan")
    page.click("button.primary")
    assert "Рахимова Nigora" in page.locator("h1").inner_text()
    shot(page, "2-client")

    page.click("text=Open a case")
    page.select_option("#id_case_type", "asylum")
    page.select_option("#id_jurisdiction", "AM")
    page.click("button.primary")
    assert "Asylum" in page.locator("h1").inner_text()
    assert "Рахимова Nigora" in page.content()
    shot(page, "3-case")

    page.goto("/clients/")
    page.fill("#id_q", "Rakhimova")
    page.click("text=Search")
    assert page.locator("table.list tbody tr").count() == 1
    shot(page, "4-search-latin-finds-cyrillic")


def test_outsider_gets_not_found_for_the_case_url(page, charlie, alice_case, sign_in, shot):
    sign_in(page, "charlie")
    response = page.goto(f"/cases/{alice_case.reference}/")
    assert response.status == 404
    assert page.locator("h1").inner_text() == "Not found"
    assert alice_case.client.family_name not in page.content()
    shot(page, "not-found")


def test_interface_switches_to_russian(page, alice, alice_case, sign_in, shot):
    sign_in(page, "alice")
    page.goto(f"/cases/{alice_case.reference}/")
    page.select_option("#language", "ru")
    page.click("text=Switch")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "ru"
    assert "Убежище" in page.locator("h1").inner_text()
    assert alice_case.client.family_name in page.content()
    shot(page, "russian")


def test_final_decision_proposes_the_european_court_deadline_and_the_coordinator_sees_it(
    browser, live_server, page, alice, bob, alice_client, sign_in, shot
):
    from tests.factories import CaseFactory

    case = CaseFactory(assigned_to=alice, client=alice_client, jurisdiction="AM")
    decided = timezone.localdate() - datetime.timedelta(days=100)
    due = add_months(decided, 4)
    sign_in(page, "alice")
    page.goto(f"/cases/{case.reference}/")
    page.select_option("#id_kind", "final_domestic_decision")
    page.fill("#id_occurred_on", decided.isoformat())
    page.click("text=Record event")
    proposal = page.locator("#rule-echr-art35-4-months")
    assert "European Court" in proposal.inner_text()
    assert formats.date_format(due, "DATE_FORMAT") in proposal.inner_text()
    shot(page, "1-proposed")
    proposal.locator("button[value=confirm]").click()
    assert "Deadline confirmed." in page.content()
    shot(page, "2-confirmed")

    coordinator = browser.new_context(base_url=live_server.url, locale="en-GB", viewport={"width": 1280, "height": 900})
    bob_page = coordinator.new_page()
    sign_in(bob_page, "bob")
    bob_page.click("text=Dashboard")
    assert case.reference in bob_page.content()
    shot(bob_page, "3-dashboard")
    coordinator.close()
