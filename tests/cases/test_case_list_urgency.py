"""Case lists show what matters next (the next deadline with how near it is, the removal time, proposals
waiting) and sort by it: "My cases" most urgent first, any list by next deadline, opening date or client
name."""

import datetime
import re

import pytest
from django.utils import timezone

from casework.cases import selectors
from casework.cases.services import case_grant, details_update, event_record
from casework.deadlines.services import deadline_create_manual
from tests.factories import CaseFactory, ClientFactory
from tests.pages import body, messages_shown

# The lists are what the SQLite quick run shows too (PagedParts merges the parts in Python there).
pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]

DAYS = datetime.timedelta(days=1)


def references(response) -> list[str]:
    return re.findall(r'href="/cases/([A-Z0-9-]{11})/" class="ref"', body(response))


def row_of(response, reference: str) -> str:
    page = body(response)
    start = page.index(f'href="/cases/{reference}/"')
    return page[start:page.index("</tr>", start)]


@pytest.fixture
def caseload(alice):
    """Alice's cases: one with nothing due, one due in 10 days, one overdue, one with a removal in 30
    hours, one with a proposal waiting (an asylum refusal served today: the appeal is proposed)."""
    today, org = timezone.localdate(), alice.membership.organisation

    def case(family_name, **kwargs):
        return CaseFactory(assigned_to=alice, client=ClientFactory(organisation=org, family_name=family_name), **kwargs)

    cases = {
        "nothing": case("Юсупова"),
        "later": case("Abdullaev"),
        "overdue": case("Bakirova"),
        "removal": case("Сидоров", case_type="deportation", removal_kind="deportation"),
        "proposal": case("Ergashev"),
    }
    deadline_create_manual(case=cases["later"], title="Bundle", due_date=today + 10 * DAYS, created_by=alice)
    deadline_create_manual(case=cases["overdue"], title="Bundle", due_date=today - 2 * DAYS, created_by=alice)
    details_update(case=cases["removal"], changed_by=cases["removal"].assigned_to, scheduled_removal_at=timezone.now() + datetime.timedelta(hours=30))
    event_record(case=cases["proposal"], kind="decision_served", occurred_on=today, recorded_by=alice)
    return {key: c.reference for key, c in cases.items()}


def test_rows_say_how_near_the_next_deadline_and_the_removal_are(login, alice, caseload):
    response = login(alice).get("/cases/?mine=on")
    assert "in 10 days" in row_of(response, caseload["later"])
    assert "2 days overdue" in row_of(response, caseload["overdue"])
    removal = row_of(response, caseload["removal"])
    assert "in 29 hours" in removal or "in 30 hours" in removal
    assert "Removal within 72 hours" in removal
    assert "1 deadline to confirm" in row_of(response, caseload["proposal"])
    assert "waiting less than an hour" in row_of(response, caseload["proposal"])
    assert ">none<" in row_of(response, caseload["nothing"])


def test_my_cases_open_most_urgent_first(login, alice, caseload):
    order = references(login(alice).get("/cases/?mine=on"))
    assert order == [caseload[k] for k in ("overdue", "removal", "proposal", "later", "nothing")]


def test_sorted_by_next_deadline_cases_without_one_come_last(login, alice, caseload):
    order = references(login(alice).get("/cases/?sort=deadline"))
    # the proposal's last day is a month ahead: after the deadline due in 10 days
    assert order[:3] == [caseload["overdue"], caseload["later"], caseload["proposal"]]
    assert set(order[3:]) == {caseload["removal"], caseload["nothing"]}


def test_sorted_by_name_in_either_script(login, alice, caseload):
    order = references(login(alice).get("/cases/?sort=name"))
    assert order == [caseload[k] for k in ("later", "overdue", "proposal", "removal", "nothing")]


def test_a_hidden_sensitive_case_is_sorted_last_by_reference_not_by_its_name(login, alice, bob, caseload):
    hidden = CaseFactory(assigned_to=alice, is_sensitive=True,
                         client=ClientFactory(organisation=alice.membership.organisation, family_name="Aaronson"))
    order = references(login(bob).get("/cases/?sort=name"))
    assert order[-1] == hidden.reference


def test_a_name_sort_of_too_many_cases_says_so_and_keeps_the_usual_order(login, alice, caseload, monkeypatch):
    monkeypatch.setattr(selectors, "NAME_SORT_LIMIT", 3)
    response = login(alice).get("/cases/?sort=name")
    assert response.status_code == 200
    assert "Sorting by name works for up to 3 cases" in messages_shown(response)
    assert len(references(response)) == 5


def test_shared_with_us_lists_only_what_other_organisations_share(login, alice, charlie, erin, caseload):
    theirs = CaseFactory(assigned_to=charlie)
    case_grant(case=theirs, organisation=alice.membership.organisation, level="view", granted_by=erin)
    assert references(login(alice).get("/cases/?shared=on")) == [theirs.reference]


@pytest.mark.parametrize("sort", ["", "urgent", "deadline", "newest", "oldest", "name"])
def test_every_order_survives_bad_input_and_paging(login, alice, caseload, sort):
    client = login(alice)
    assert client.get(f"/cases/?sort={sort}&page=999999").status_code == 200
    assert client.get("/cases/?sort=%00drop").status_code == 200
