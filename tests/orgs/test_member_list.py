"""An organisation admin sees the organisation's members, and only them."""

from tests.pages import body


def test_admin_lists_the_organisations_members(login, dana, alice, bob, charlie):
    response = login(dana).get("/org/members/")
    assert response.status_code == 200
    page = body(response)
    for member in (alice, bob, dana):
        assert f"/org/members/{member.membership.pk}/" in page
    assert "Caseworker" in page and "Coordinator" in page and "Organisation admin" in page
    assert "charlie" not in page and f"/org/members/{charlie.membership.pk}/" not in page


def test_admin_opens_a_member(login, dana, alice):
    response = login(dana).get(f"/org/members/{alice.membership.pk}/")
    assert response.status_code == 200
    assert "alice" in body(response) and "Deactivate" in body(response)
