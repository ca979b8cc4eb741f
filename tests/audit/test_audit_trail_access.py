"""Coordinators and organisation admins read their organisation's audit trail; nobody else does, and
no organisation reads another's, except what a partner did with a case shared with it."""

import pytest

from casework.audit.models import Action
from casework.audit.services import audit_record
from casework.cases.services import case_grant
from tests.audit.trail import rows, shown, without_sign_ins
from tests.factories import CaseFactory


@pytest.fixture
def volga_events(alice, bob, alice_case):
    audit_record(actor=alice, action=Action.VIEW_CASE, case=alice_case)
    audit_record(actor=bob, action=Action.SEARCH, detail="list=clients")


@pytest.mark.parametrize("who", ["bob", "dana"])
def test_coordinator_and_admin_see_the_trail(request, login, volga_events, alice, bob, alice_case, who):
    user = request.getfixturevalue(who)
    response = login(user).get("/org/audit/")
    assert response.status_code == 200
    listed = rows(response)
    assert (listed[0]["Who"], listed[0]["Action"]) == (shown(user), "Signed in")
    assert [(row["Who"], row["Action"], row["Case"]) for row in without_sign_ins(listed)] == [
        (shown(bob), "Searched", "—"),
        (shown(alice), "Viewed a case", alice_case.reference),
    ]
    assert (shown(alice), "Opened a case", alice_case.reference) in [(r["Who"], r["Action"], r["Case"]) for r in listed]


@pytest.mark.parametrize("who", ["alice", "charlie"])
def test_caseworkers_get_no_trail(request, login, volga_events, who):
    assert login(request.getfixturevalue(who)).get("/org/audit/").status_code == 404


def test_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.get("/org/audit/")
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_another_organisations_coordinator_sees_none_of_it(login, volga_events, erin, charlie, alice_case):
    audit_record(actor=charlie, action=Action.SEARCH, detail="list=clients")
    listed = rows(login(erin).get("/org/audit/"))
    assert [row["Who"] for row in without_sign_ins(listed)] == [shown(charlie)]
    assert alice_case.reference not in str(listed)


def test_the_sharing_organisation_sees_the_partners_views_of_its_case(login, alice, bob, dana, erin, charlie, alice_case, other_org):
    case_grant(case=alice_case, granted_by=dana, level="view", organisation=other_org)
    audit_record(actor=erin, action=Action.VIEW_CASE, case=alice_case)
    audit_record(actor=charlie, action=Action.DOWNLOAD_DOCUMENT, case=alice_case, detail="document=1")
    audit_record(actor=charlie, action=Action.VIEW_CASE, case=CaseFactory(assigned_to=charlie))  # their own case

    partner_rows = [row for row in without_sign_ins(rows(login(bob).get("/org/audit/"))) if row["Organisation"] == other_org.name]
    assert [(row["Who"], row["Action"], row["Case"]) for row in partner_rows] == [
        (shown(charlie), "Downloaded a document", alice_case.reference),
        (shown(erin), "Viewed a case", alice_case.reference),
    ]
    # The partner's own trail has its members' work on the shared case, nothing of the owner's.
    partner_trail = rows(login(erin).get("/org/audit/"))
    assert {row["Organisation"] for row in partner_trail} == {other_org.name}


def test_the_owner_sees_a_partners_view_of_a_shared_cases_client(login, bob, dana, erin, charlie, alice_case, other_org):
    case_grant(case=alice_case, granted_by=dana, level="view", organisation=other_org)
    assert login(erin).get(f"/clients/{alice_case.client.public_id}/").status_code == 200
    theirs = CaseFactory(assigned_to=charlie)
    assert login(charlie).get(f"/clients/{theirs.client.public_id}/").status_code == 200

    partner_rows = [row for row in without_sign_ins(rows(login(bob).get("/org/audit/")))
                    if row["Organisation"] == other_org.name]
    assert [(row["Who"], row["Action"]) for row in partner_rows] == [(shown(erin), "Viewed a client")]
    assert str(theirs.client.public_id) not in str(partner_rows)
