"""The change history in a real browser, in English and Russian, on a desktop and on a phone: the case page's
section lists who changed what and links to the full history page, which lists every change; no serious
accessibility problem on either."""

import datetime

import pytest
from playwright.sync_api import expect

from casework.cases import services
from casework.cases.models import InterimMeasure
from casework.clients.services import client_update
from tests.e2e.conftest import ARTIFACTS, PHONE
from tests.factories import CaseFactory, ClientFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def changed_case(org, alice, bob):
    client = ClientFactory(organisation=org, created_by=alice, family_name="Қодиров", given_names="Алишер")
    client_update(client=client, changed_by=alice, family_name="Kodirov", given_names="Alisher",
                  other_spellings="Қодиров Алишер")
    case = CaseFactory(assigned_to=alice, client=client, case_type="deportation", removal_kind="deportation")
    services.details_update(case=case, changed_by=alice, removal_kind="extradition", requesting_state="Uzbekistan",
                            detention_place="СИЗО-1, г. Екатеринбург",
                            charges="ст. 159 УК Республики Узбекистан (мошенничество), обвинение предъявлено заочно")
    measure = services.record_add(case=case, model=InterimMeasure, changed_by=alice, body="echr_rule39",
                                  requested_on=datetime.date.today() - datetime.timedelta(days=2))
    services.record_update(record=measure, changed_by=bob, status="granted", decided_on=datetime.date.today())
    services.details_update(case=case, changed_by=bob, detention_place="ЦВСИГ №1, г. Москва")
    return case


def _in(page, lang):
    if lang == "ru":
        page.select_option("#language", "ru")
        page.locator("form:has(#language) button").click()
        page.wait_for_load_state()


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_the_case_page_and_the_history_page_show_who_changed_what(changed_case, page, sign_in, screens, lang):
    sign_in(page, "alice")
    _in(page, lang)
    page.goto(f"/cases/{changed_case.reference}/")
    section = page.locator("details#changes")
    section.locator("summary").click()
    expect(section).to_contain_text("ЦВСИГ №1, г. Москва")
    expect(section).to_contain_text("bob")
    screens(f"case-page-{lang}", in_sight=section.locator("summary"))
    for size, viewport in (("desktop", {"width": 1280, "height": 900}), ("phone", PHONE)):
        page.set_viewport_size(viewport)
        section.screenshot(path=str(ARTIFACTS / f"history-section-{lang}-{size}.png"))
    page.set_viewport_size({"width": 1280, "height": 900})

    section.locator(f'a[href="/cases/{changed_case.reference}/history/"]').click()
    page.wait_for_url(f"**/cases/{changed_case.reference}/history/")
    entries = page.locator("ol.field-history > li")
    expect(entries).to_have_count(6)  # case and details created, details twice, the request added and decided
    screens(f"history-page-{lang}", in_sight=page.locator("h1"))
    screens.assert_accessible()
