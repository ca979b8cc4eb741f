"""A platform operator suspends an organisation: its members are signed out at their next request and
refused at sign-in with a message saying why; its data stays as it is; reactivating lets them back in.
Doing either twice is harmless."""

import pytest

from casework.audit.models import AccessEvent, Action
from casework.cases.models import Case
from casework.clients.models import Client
from casework.platform.services import organisation_reactivate, organisation_suspend
from tests.pages import errors_shown, messages_shown, signed_in
from tests.security.flows import LOGIN, landed, password_step

SUSPENDED = "Your organisation is suspended on this Casework service"


def suspend(client, slug="volga", **data):
    return client.post(f"/platform/organisations/{slug}/", {"confirm": "on", **data}, follow=True)


def reactivate(client, slug="volga"):
    return client.post(f"/platform/organisations/{slug}/reactivate/", follow=True)


def events(org):
    return list(AccessEvent.objects.filter(organisation=org, action__in=[Action.ORG_SUSPEND, Action.ORG_REACTIVATE])
                .order_by("pk").values_list("action", "actor__username"))


def data_of(org):
    return (list(Case.objects.filter(organisation=org).values_list("reference", "status", "assigned_to_id")),
            list(Client.objects.filter(organisation=org).values_list("pk", "full_name_bidx")))


@pytest.fixture
def operator(olga):
    from tests.conftest import VerifiedClient

    client = VerifiedClient()
    client.force_login(olga)
    return client


def test_suspension_asks_for_a_confirmation(operator, org, alice):
    response = operator.post("/platform/organisations/volga/", {"confirm": ""})
    assert response.status_code == 200
    assert "Tick the box to confirm the suspension." in errors_shown(response)
    org.refresh_from_db()
    assert org.suspended_at is None and events(org) == []


def test_a_signed_in_member_is_signed_out_at_the_next_request(operator, org, login, alice, alice_case):
    member = login(alice)
    assert member.get("/cases/").status_code == 200
    before = data_of(org)
    response = suspend(operator)
    assert "its members are signed out and cannot sign in" in messages_shown(response)
    response = member.get(f"/cases/{alice_case.reference}/", follow=True)
    assert landed(response) == LOGIN
    assert SUSPENDED in messages_shown(response)
    assert alice_case.client.family_name not in response.content.decode()
    assert not signed_in(member)
    assert data_of(org) == before
    assert events(org) == [(Action.ORG_SUSPEND, "olga")]


def test_a_member_is_refused_at_sign_in_and_told_why(operator, org, alice, raw_client, password):
    suspend(operator)
    response = password_step(raw_client, "alice", password)
    assert SUSPENDED in errors_shown(response)
    assert not signed_in(raw_client)
    # A wrong password still gets the usual answer, saying nothing about the organisation.
    response = password_step(raw_client, "alice", "not the password")
    assert SUSPENDED not in errors_shown(response) and "correct username and password" in errors_shown(response)


def test_other_organisations_go_on_working(operator, org, login, charlie):
    suspend(operator)
    assert login(charlie).get("/cases/").status_code == 200


def test_suspending_twice_is_harmless(operator, org, alice):
    suspend(operator)
    org.refresh_from_db()
    since = org.suspended_at
    response = suspend(operator)
    assert "The organisation was already suspended." in messages_shown(response)
    org.refresh_from_db()
    assert org.suspended_at == since
    assert events(org) == [(Action.ORG_SUSPEND, "olga")]


def test_reactivating_lets_the_members_sign_in_again(operator, org, alice, raw_client, password):
    suspend(operator)
    response = reactivate(operator)
    assert "its members can sign in" in messages_shown(response)
    assert "The organisation was already active." in messages_shown(reactivate(operator))
    response = password_step(raw_client, "alice", password)
    assert landed(response).startswith("/accounts/two-factor/setup/")
    assert events(org) == [(Action.ORG_SUSPEND, "olga"), (Action.ORG_REACTIVATE, "olga")]


def test_the_services_report_whether_they_changed_anything(org, olga):
    assert organisation_suspend(organisation=org, by=olga) is True
    assert organisation_suspend(organisation=org, by=olga) is False
    assert organisation_reactivate(organisation=org, by=None) is True
    assert organisation_reactivate(organisation=org, by=None) is False
    assert events(org) == [(Action.ORG_SUSPEND, "olga"), (Action.ORG_REACTIVATE, None)]


@pytest.mark.parametrize("method, path", [("get", ""), ("post", ""), ("post", "reactivate/")])
def test_an_organisation_that_does_not_exist_is_not_found(operator, org, method, path):
    response = getattr(operator, method)(f"/platform/organisations/no-such-organisation/{path}", {"confirm": "on"})
    assert response.status_code == 404
    org.refresh_from_db()
    assert org.suspended_at is None


def test_a_members_calendar_feed_stops_while_suspended(operator, org, alice, alice_case, raw_client):
    from casework.deadlines.services import calendar_feed_issue

    url = f"/deadlines/calendar/{calendar_feed_issue(user=alice)}.ics"
    assert raw_client.get(url).status_code == 200
    suspend(operator)
    assert raw_client.get(url).status_code == 404
    reactivate(operator)
    assert raw_client.get(url).status_code == 200
