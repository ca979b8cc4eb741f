"""Pages cost a fixed number of queries: the case list whatever the number of cases, the case page
whatever the case holds."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from casework.cases import services as case_services
from casework.cases.models import AsylumDecision, DomesticChallenge, InterimMeasure, WageClaim
from casework.cases.services import event_record
from casework.deadlines.services import deadline_create_manual
from tests.factories import CaseFactory, ClientFactory

DAY = datetime.date(2026, 1, 10)


def queries_for(client, url, method="get", data=None):
    with CaptureQueriesContext(connection) as captured:
        response = getattr(client, method)(url, data)
    assert response.status_code == 200
    return len(captured)


def add_cases(n, alice, bob):
    """A varied caseload: every type, some urgent, some closed, half assigned to each person."""
    org = alice.membership.organisation
    for i in range(n):
        case_type = ("asylum", "deportation", "unpaid_wages")[i % 3]
        client = ClientFactory(organisation=org, family_name="Kodirov" if i % 4 == 0 else f"Name{i}")
        case = CaseFactory(assigned_to=(alice, bob)[i % 2], client=client, case_type=case_type,
                           removal_kind="extradition" if case_type == "deportation" else "")
        if case_type == "deportation":
            case_services.details_update(case=case, changed_by=case.assigned_to, scheduled_removal_at=timezone.now() + datetime.timedelta(hours=i))
        today = timezone.localdate()
        if i % 2 == 0:  # a next deadline to show and sort by, some overdue
            deadline_create_manual(case=case, title=f"Срок {i}", due_date=today + datetime.timedelta(days=i - 10),
                                   created_by=case.assigned_to)
        if case_type == "asylum":  # the refugee appeal is proposed and waits
            event_record(case=case, kind="decision_served", occurred_on=today - datetime.timedelta(days=i % 20),
                         recorded_by=case.assigned_to)
        if i % 5 == 0:
            case_services.case_set_status(case=case, status="closed", outcome="withdrawn", changed_by=alice)


LIST_PAGES = [
    ("bob", "get", "/cases/", None),
    ("bob", "get", "/cases/?urgent=on", None),
    ("bob", "get", "/cases/?case_type=deportation&status=open&jurisdiction=RU", None),
    ("bob", "get", "/cases/?page=2", None),
    ("bob", "post", "/cases/", {"q": "Kodirov"}),
    ("alice", "get", "/cases/?mine=on", None),
    ("alice", "get", "/cases/?mine=on&sort=deadline", None),
    ("alice", "get", "/cases/?shared=on", None),
    ("bob", "get", "/cases/?sort=deadline", None),
    ("bob", "get", "/cases/?sort=deadline&page=2", None),
    ("bob", "get", "/cases/?sort=oldest", None),
    ("bob", "get", "/cases/?sort=urgent", None),
    ("bob", "get", "/cases/?sort=name", None),
    ("dana", "get", "/org/sharing/", None),
    ("bob", "get", "/clients/", None),
    ("bob", "get", "/clients/?page=2", None),
    ("bob", "post", "/clients/", {"q": "Kodirov"}),
    ("alice", "get", "/clients/", None),
]


def test_list_pages_cost_the_same_for_5_and_60_cases(client, alice, bob, dana):
    users = {"alice": alice, "bob": bob, "dana": dana}

    def measure():
        counts = {}
        for who, method, url, data in LIST_PAGES:
            client.force_login(users[who])
            counts[(who, method, url)] = queries_for(client, url, method, data)
        return counts

    add_cases(5, alice, bob)
    few = measure()
    add_cases(55, alice, bob)
    assert measure() == few


RECORDS = {
    "asylum": [(AsylumDecision, {"stage": "first_decision", "decided_on": DAY, "outcome": "refused",
                                 "refusal_grounds": ["illegal_entry"]}),
               (DomesticChallenge, {"forum": "Суд", "lodged_on": DAY}),
               (InterimMeasure, {"body": "un_cat", "requested_on": DAY})],
    "deportation": [(DomesticChallenge, {"forum": "Суд", "lodged_on": DAY}),
                    (InterimMeasure, {"body": "echr_rule39", "requested_on": DAY})],
    "unpaid_wages": [(WageClaim, {"forum": "court", "filed_on": DAY})],
}


def fill(case, n, users):
    """n events, notes, documents and records of each kind, by several people, and n status moves."""
    for i in range(n):
        user = users[i % len(users)]
        event_record(case=case, kind="other", occurred_on=DAY, recorded_by=user, note=f"Событие {i}")
        case_services.note_add(case=case, text=f"Заметка {i}", author=user)
        case_services.document_upload(case=case, upload=SimpleUploadedFile(f"doc{i}.txt", b"text"), title="", uploaded_by=user)
        for model, values in RECORDS[case.case_type]:
            case_services.record_add(case=case, changed_by=case.assigned_to, model=model, **values)
        case_services.case_set_status(case=case, status="active" if case.status != "active" else "open", changed_by=user)
        case.refresh_from_db()


@pytest.mark.parametrize("case_type", ["asylum", "deportation", "unpaid_wages"])
def test_case_page_queries_do_not_grow_with_what_the_case_holds(login, alice, bob, born_client, case_type):
    small = CaseFactory(assigned_to=alice, client=born_client, case_type=case_type, removal_kind="deportation")
    large = CaseFactory(assigned_to=alice, client=born_client, case_type=case_type, removal_kind="deportation")
    if case_type == "unpaid_wages":
        for case in (small, large):
            case_services.details_update(case=case, changed_by=case.assigned_to, new_employer_name="ООО Стройка")
    fill(small, 1, [alice])
    fill(large, 20, [alice, bob])
    client = login(alice)
    assert queries_for(client, f"/cases/{large.reference}/") == queries_for(client, f"/cases/{small.reference}/")
