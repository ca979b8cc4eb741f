"""An organisation admin shares one case with a partner organisation or a named user, and can take
it back. The grant says who gave it and when."""

import pytest
from django.utils import timezone

from casework.cases.models import CaseGroupObjectPermission, CaseUserObjectPermission
from tests.pages import body, errors_shown, messages_shown, references_listed

pytestmark = pytest.mark.sqlite


def share_with_org(client, case, organisation, level="view"):
    return client.post(f"/cases/{case.reference}/sharing/",
                       {"grantee_kind": "organisation", "organisation": organisation.pk, "level": level}, follow=True)


def share_with_user(client, case, username, level="view"):
    return client.post(f"/cases/{case.reference}/sharing/",
                       {"grantee_kind": "user", "username": username, "level": level}, follow=True)


def revoke(client, case, kind, grantee_id):
    return client.post(f"/cases/{case.reference}/sharing/revoke/", {"grantee_kind": kind, "grantee_id": grantee_id},
                       follow=True)


def sees(client, case) -> bool:
    detail = client.get(f"/cases/{case.reference}/").status_code
    in_list = case.reference in references_listed(client.get("/cases/")) if detail == 200 else False
    assert (detail == 200) == in_list, "the list and the case page disagree"
    return detail == 200


def test_admin_sees_the_sharing_overview(login, dana, alice_case):
    response = login(dana).get("/org/sharing/")
    assert response.status_code == 200
    assert f"/cases/{alice_case.reference}/sharing/" in body(response)


def test_sharing_with_a_partner_organisation_lets_its_case_people_read(login, dana, alice_case, other_org,
                                                                        charlie, erin, frank):
    assert not sees(login(charlie), alice_case) and not sees(login(erin), alice_case)
    response = share_with_org(login(dana), alice_case, other_org)
    assert f"Case {alice_case.reference} shared." in messages_shown(response)
    assert "Steppe Rights" in body(response)
    assert sees(login(charlie), alice_case) and sees(login(erin), alice_case)
    page = body(login(erin).get(f"/cases/{alice_case.reference}/"))
    assert "Тошпулатова Мадина" in page
    # Read only: no edit.
    assert login(erin).post(f"/cases/{alice_case.reference}/edit/", {"case_type": "asylum", "jurisdiction": "KZ"}).status_code == 403
    # The partner's admin sees nothing by role.
    client = login(frank)
    assert client.get(f"/cases/{alice_case.reference}/").status_code == 404
    assert client.get("/cases/").status_code == 404
    assert client.get(f"/clients/{alice_case.client.public_id}/").status_code == 404


def test_grant_records_who_and_when(login, dana, alice_case, other_org):
    before = timezone.now()
    share_with_org(login(dana), alice_case, other_org)
    row = CaseGroupObjectPermission.objects.get(content_object=alice_case)
    assert (row.group, row.permission.codename, row.granted_by) == (other_org.group, "view_case", dana)
    assert before <= row.granted_at <= timezone.now()
    page = body(login(dana).get(f"/cases/{alice_case.reference}/sharing/"))
    assert dana.get_full_name() in page


def test_named_user_with_edit_can_edit(login, dana, alice_case, charlie):
    share_with_user(login(dana), alice_case, "Charlie", level="edit")
    rows = CaseUserObjectPermission.objects.filter(content_object=alice_case, user=charlie)
    assert {row.permission.codename for row in rows} == {"view_case", "change_case"}
    assert {row.granted_by for row in rows} == {dana}
    client = login(charlie)
    assert sees(client, alice_case)
    client.post(f"/cases/{alice_case.reference}/edit/", {"case_type": "asylum", "jurisdiction": "KZ"})
    alice_case.refresh_from_db()
    assert alice_case.jurisdiction == "KZ"


def test_lowering_edit_to_read_takes_editing_away(login, dana, alice_case, charlie):
    admin = login(dana)
    share_with_user(admin, alice_case, "charlie", level="edit")
    share_with_user(admin, alice_case, "charlie", level="view")
    client = login(charlie)
    assert sees(client, alice_case)
    assert client.post(f"/cases/{alice_case.reference}/edit/", {"case_type": "asylum", "jurisdiction": "KZ"}).status_code == 403


def test_revoking_an_organisation_grant_hides_the_case_again(login, dana, alice_case, other_org, erin, charlie):
    admin = login(dana)
    share_with_org(admin, alice_case, other_org)
    response = revoke(admin, alice_case, "organisation", other_org.pk)
    assert "Access revoked." in messages_shown(response)
    assert not CaseGroupObjectPermission.objects.exists()
    assert not sees(login(erin), alice_case) and not sees(login(charlie), alice_case)


def test_revoking_a_user_grant_hides_the_case_again(login, dana, alice_case, charlie):
    admin = login(dana)
    share_with_user(admin, alice_case, "charlie", level="edit")
    revoke(admin, alice_case, "user", charlie.pk)
    assert not CaseUserObjectPermission.objects.exists()
    assert not sees(login(charlie), alice_case)


def test_revoking_something_not_granted_changes_nothing(login, dana, alice_case, other_org, charlie):
    admin = login(dana)
    share_with_org(admin, alice_case, other_org)
    response = revoke(admin, alice_case, "user", charlie.pk)
    assert "no longer exists" in messages_shown(response)
    assert CaseGroupObjectPermission.objects.count() == 1


@pytest.mark.parametrize("who", ["alice", "bob"])
def test_case_people_cannot_reach_sharing(request, login, alice_case, other_org, bob, who):
    client = login(request.getfixturevalue(who))
    assert client.get("/org/sharing/").status_code == 404
    assert client.get(f"/cases/{alice_case.reference}/sharing/").status_code == 404
    assert share_with_org(client, alice_case, other_org).status_code == 404
    assert not CaseGroupObjectPermission.objects.exists()


def test_admin_cannot_share_another_organisations_case(login, frank, alice_case, other_org, dana):
    client = login(frank)
    assert client.get(f"/cases/{alice_case.reference}/sharing/").status_code == 404
    assert share_with_user(client, alice_case, "frank").status_code == 404
    assert not CaseUserObjectPermission.objects.exists()


def test_sharing_with_own_organisation_is_refused(login, dana, alice_case, org):
    response = share_with_org(login(dana), alice_case, org)
    assert response.status_code == 200
    assert errors_shown(response)
    assert not CaseGroupObjectPermission.objects.exists()


@pytest.mark.parametrize(
    "data, error",
    [
        ({"grantee_kind": "organisation", "level": "view"}, "Choose an organisation."),
        ({"grantee_kind": "user", "username": "nobody", "level": "view"}, "No active user has this username."),
        ({"grantee_kind": "user", "username": "", "level": "view"}, "No active user has this username."),
        ({"grantee_kind": "user", "username": "charlie", "level": "own"}, "Select a valid choice"),
        ({"grantee_kind": "everyone", "level": "view"}, "Select a valid choice"),
        ({"grantee_kind": "organisation", "organisation": "999999", "level": "view"}, "Select a valid choice"),
        ({"grantee_kind": "organisation", "organisation": "x" * 10_000, "level": "view"}, "Select a valid choice"),
        ({"grantee_kind": "user", "username": "c" * 10_000, "level": "view"}, "at most 150 characters"),
        ({"grantee_kind": "user", "username": "charlie\x00", "level": "view"}, "Null characters are not allowed."),
    ],
    ids=str,
)
def test_bad_grants_are_refused(login, dana, alice_case, charlie, data, error):
    response = login(dana).post(f"/cases/{alice_case.reference}/sharing/", data)
    assert response.status_code == 200
    assert error in errors_shown(response)
    assert not CaseUserObjectPermission.objects.exists() and not CaseGroupObjectPermission.objects.exists()


def test_deactivated_user_cannot_be_granted(login, dana, alice_case, charlie):
    charlie.is_active = False
    charlie.save()
    response = share_with_user(login(dana), alice_case, "charlie")
    assert "No active user has this username." in errors_shown(response)
    assert not CaseUserObjectPermission.objects.exists()


def test_grant_does_not_reach_other_cases(login, dana, alice, alice_case, other_org, erin):
    from tests.factories import CaseFactory

    other = CaseFactory(assigned_to=alice)
    share_with_org(login(dana), alice_case, other_org)
    assert not sees(login(erin), other)


@pytest.mark.parametrize("start_sensitive", [True, False])
def test_partner_with_edit_access_cannot_change_sensitivity(login, dana, alice, alice_client, charlie, start_sensitive):
    """Whether a case is sensitive is its own organisation's decision: a partner could otherwise hide
    it from the owner's coordinator, or open it to the partner organisation as a whole."""
    from tests.factories import CaseFactory

    case = CaseFactory(assigned_to=alice, client=alice_client, is_sensitive=start_sensitive)
    share_with_user(login(dana), case, "charlie", level="edit")
    data = {"case_type": "asylum", "jurisdiction": "KZ"} | ({} if start_sensitive else {"is_sensitive": "on"})
    login(charlie).post(f"/cases/{case.reference}/edit/", data)
    case.refresh_from_db()
    assert case.jurisdiction == "KZ"  # the edit itself went through
    assert case.is_sensitive == start_sensitive


def test_partner_sees_the_client_but_cannot_edit_it(login, dana, alice_case, alice_client, other_org, erin):
    share_with_org(login(dana), alice_case, other_org)
    client = login(erin)
    assert "Тошпулатова" in body(client.get(f"/clients/{alice_client.public_id}/"))
    client.post(f"/clients/{alice_client.public_id}/edit/", {"family_name": "Changed", "given_names": "X"})
    alice_client.refresh_from_db()
    assert alice_client.family_name == "Тошпулатова"
    assert client.get(f"/clients/{alice_client.public_id}/open-case/").status_code == 404
