"""A sensitive case's personal data is seen only by the people named on it: its assignee and users
granted it by name. The coordinator sees that the case exists (and its deadlines), nothing personal;
a partner organisation as a whole sees nothing."""

import pytest

from casework.cases.services import case_grant
from tests.factories import CaseFactory
from tests.pages import references_listed


@pytest.fixture
def sensitive(alice, alice_client):
    return CaseFactory(assigned_to=alice, client=alice_client, is_sensitive=True)


def sees(client, case):
    """Sees the case with its personal data (the client's name on the case page)."""
    page = client.get(f"/cases/{case.reference}/")
    return page.status_code == 200 and case.client.family_name in page.content.decode()


def knows_it_exists(client, case):
    return case.reference in references_listed(client.get("/cases/"))


def test_assignee_sees_it(login, alice, sensitive):
    assert sees(login(alice), sensitive)


def test_coordinator_sees_that_it_exists_but_not_its_personal_data(login, bob, sensitive):
    """Issue 5: coordinators see that such a case exists and its deadlines, not its personal data."""
    client = login(bob)
    assert knows_it_exists(client, sensitive)
    page = client.get(f"/cases/{sensitive.reference}/")
    assert page.status_code == 200 and "sensitive" in page.content.decode()
    assert not sees(client, sensitive)


def test_coordinator_never_sees_its_personal_data(login, bob, org, alice):
    from tests.factories import ClientFactory

    hidden = ClientFactory(organisation=org, created_by=alice, family_name="Юсупова", given_names="Ойгул",
                           document_numbers="FA0000042")
    case = CaseFactory(assigned_to=alice, client=hidden, is_sensitive=True)
    client = login(bob)
    for url in ("/cases/", "/cases/?mine=on", f"/cases/{case.reference}/", f"/clients/{hidden.public_id}/", "/clients/"):
        page = client.get(url).content.decode()
        for secret in ("Юсупова", "Ойгул", "FA0000042"):
            assert secret not in page, f"{url} shows {secret}"
    assert client.post("/clients/", {"q": "Юсупова"}).content.decode().count(str(hidden.public_id)) == 0


def test_organisation_grant_does_not_open_it(login, dana, sensitive, other_org, erin, charlie):
    case_grant(case=sensitive, granted_by=dana, level="view", organisation=other_org)
    for outsider in (erin, charlie):
        client = login(outsider)
        assert client.get(f"/cases/{sensitive.reference}/").status_code == 404
        assert not knows_it_exists(client, sensitive)


def test_named_grant_opens_it_to_that_person_only(login, dana, sensitive, other_org, erin, charlie):
    case_grant(case=sensitive, granted_by=dana, level="view", user=erin)
    assert sees(login(erin), sensitive)
    assert login(charlie).get(f"/cases/{sensitive.reference}/").status_code == 404


def test_named_grant_to_the_coordinator_opens_it_to_him(login, dana, sensitive, bob):
    case_grant(case=sensitive, granted_by=dana, level="view", user=bob)
    assert sees(login(bob), sensitive)


def test_marking_a_case_sensitive_hides_it_from_the_coordinator(login, alice, bob, alice_case):
    assert sees(login(bob), alice_case)
    login(alice).post(f"/cases/{alice_case.reference}/edit/",
                      {"case_type": alice_case.case_type, "jurisdiction": "RU", "is_sensitive": "on"})
    alice_case.refresh_from_db()
    assert alice_case.is_sensitive
    assert not sees(login(bob), alice_case)


def test_opening_a_sensitive_case(login, alice, alice_client, bob):
    import uuid

    from casework.cases.models import Case

    login(alice).post(f"/clients/{alice_client.public_id}/open-case/",
                      {"case_type": "asylum", "jurisdiction": "RU", "assigned_to": alice.pk, "is_sensitive": "on",
                       "submission_token": str(uuid.uuid4())})
    case = Case.objects.get()
    assert case.is_sensitive
    assert sees(login(alice), case)
    assert "Тошпулатова" not in login(bob).get(f"/cases/{case.reference}/").content.decode()
