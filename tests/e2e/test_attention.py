"""Nothing urgent stays hidden, in a real browser, on the demo data, in English and Russian, on a desktop and
on a phone: the coordinator's dashboard and the caseworker's "My deadlines" show the scheduled removal and
the proposals waiting; the case page opens with the removal; a proposal whose last day has passed is only
confirmed with an acknowledgement."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from casework.cases.models import Case
from casework.deadlines.models import Deadline, DeadlineChange
from tests.e2e.conftest import PHONE

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo():
    """The demo organisations, as `make run` loads them (its password, its removal in 48 hours)."""
    call_command("seed_demo", force=True, stdout=open("/dev/null", "w"))


@pytest.fixture
def password():
    return "demo-casework-2026"


def _in(page, lang):
    """Switch the interface language with the switcher every page has."""
    if lang == "ru":
        page.select_option("#language", "ru")
        page.locator("form:has(#language) button").click()
        page.wait_for_load_state()
        assert page.locator("html").get_attribute("lang") == "ru"


def _removal_case() -> Case:
    return Case.objects.get(organisation__slug="volga", deportation__scheduled_removal_at__isnull=False)


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_the_coordinator_sees_the_removal_and_the_waiting_proposals_first(demo, page, sign_in, screens, lang):
    removal = _removal_case()
    sign_in(page, "bob")
    _in(page, lang)
    page.goto("/deadlines/dashboard/")
    removals = page.locator("section.removals")
    expect(removals).to_contain_text(removal.reference)
    expect(removals.locator(".countdown").first).to_contain_text("47")
    proposals = page.locator("section.proposals")
    waiting = Deadline.objects.filter(organisation__slug="volga", status="proposed").select_related("case")
    for proposal in waiting:
        expect(proposals).to_contain_text(proposal.case.reference)
    # Per caseworker: Alice's proposals are counted in their own column, and zero is not red.
    expect(page.locator("table.dashboard-summary td.proposals").first).to_be_visible()
    expect(page.locator("svg.load-chart")).to_have_count(1 if page.locator("section.weekly-load").count() else 0)
    screens(f"dashboard-{lang}", in_sight=removals.locator("h2"))
    screens.assert_accessible()


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_the_caseworker_sees_her_removal_and_proposals_and_the_case_opens_with_the_removal(
    demo, page, sign_in, screens, lang
):
    removal = _removal_case()
    sign_in(page, "alice")
    _in(page, lang)
    page.goto("/deadlines/")
    expect(page.locator("section.removals")).to_contain_text(removal.reference)
    expect(page.locator("section.proposals table")).to_be_visible()
    screens(f"my-deadlines-{lang}", in_sight=page.locator("section.removals h2"))

    page.goto("/cases/?mine=on")
    rows = page.locator("table.cases-list tbody tr")
    # Most urgent first: the overdue cases, then the removal, with its countdown and a legible flag.
    references = [text.split()[0] for text in rows.all_inner_texts()]
    position = references.index(removal.reference)
    assert position > 0 and all(rows.nth(i).locator(".due.overdue").count() for i in range(position))
    row = rows.nth(position)
    expect(row.locator(".flag.urgent")).to_be_visible()
    expect(row.locator(".countdown")).to_contain_text("47")
    screens(f"my-cases-{lang}")

    page.goto(f"/cases/{removal.reference}/")
    banner = page.locator(".removal-banner")
    expect(banner).to_contain_text("47")
    screens(f"case-{lang}", in_sight=banner)
    screens.assert_accessible()


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_a_past_due_proposal_is_confirmed_only_with_an_acknowledgement(demo, page, sign_in, screens, lang):
    past = (Deadline.objects.filter(organisation__slug="volga", status="proposed", rule_id="ru-tk-392-dismissal-1-month")
            .select_related("case").get())
    sign_in(page, "alice")
    _in(page, lang)
    page.goto(f"/cases/{past.case.reference}/events/{past.trigger_event_id}/deadlines/")
    proposal = page.locator(f"#rule-{past.rule_id}")
    expect(proposal.locator(".due.overdue")).to_be_visible()
    page.set_viewport_size(PHONE)  # the page comes back scrolled to the refused form, on the smaller screen too
    proposal.locator("button[value=confirm]").click()
    proposal = page.locator(f"#rule-{past.rule_id}")
    box = f"#confirm-{past.rule_id}-late_acknowledged"
    error = proposal.locator(f".field:has({box}) .errors")
    expect(error).to_be_visible()
    screens(f"refused-{lang}", in_sight=error)
    assert Deadline.objects.get(pk=past.pk).status == "proposed"

    proposal.locator(box).check()
    proposal.locator("button[value=confirm]").click()
    page.wait_for_load_state()
    confirmed = Deadline.objects.get(pk=past.pk)
    assert confirmed.status == "open"
    assert DeadlineChange.objects.get(deadline=confirmed, action="confirmed").late_acknowledged
    screens(f"confirmed-{lang}")
    page.goto(f"/cases/{past.case.reference}/deadlines/{past.pk}/")
    expect(page.locator("ul.history .due.overdue")).to_be_visible()  # the acknowledgement is on record
    screens(f"history-{lang}")
    screens.assert_accessible()
