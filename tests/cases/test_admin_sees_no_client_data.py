"""An organisation admin manages members and sharing without seeing any client's data. (That no page of
the project shows the admin a client is checked by the walk of every URL in
tests/security/test_permission_matrix.py, admin column.)"""

from tests.pages import body


def test_admin_gets_404_on_cases_and_clients(login, dana, alice_case, alice_client):
    client = login(dana)
    for url in (f"/cases/{alice_case.reference}/", "/cases/", "/cases/?mine=on", f"/clients/{alice_client.public_id}/",
                f"/clients/{alice_client.public_id}/edit/", "/clients/", f"/cases/{alice_case.reference}/edit/"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "Тошпулатова" not in body(response)


def test_admin_search_finds_nothing(login, dana, alice_client):
    response = login(dana).post("/clients/", {"q": "Тошпулатова"})
    assert response.status_code == 404


def test_sharing_pages_carry_no_client_data(login, dana, alice_case, alice_client, other_org, charlie):
    client = login(dana)
    client.post(f"/cases/{alice_case.reference}/sharing/",
                {"grantee_kind": "organisation", "organisation": other_org.pk, "level": "view"})
    client.post(f"/cases/{alice_case.reference}/sharing/",
                {"grantee_kind": "user", "username": "charlie", "level": "edit"})
    for url in ("/org/sharing/", f"/cases/{alice_case.reference}/sharing/"):
        response = client.get(url)
        assert response.status_code == 200
        page = body(response)
        assert alice_case.reference in page
        for secret in ("Тошпулатова", "Мадина", alice_client.document_numbers, str(alice_client.public_id)):
            assert secret not in page, f"{url} shows {secret}"


def test_admin_home_is_members_not_cases(login, dana, alice_case):
    response = login(dana).get("/", follow=True)
    assert response.redirect_chain[-1][0] == "/org/members/"
    assert alice_case.reference not in body(response)
