"""The interface speaks Russian when the browser asks for it or the user switches."""

import pytest

from tests.pages import body


def html_lang(response) -> str:
    return body(response).split("<html lang=\"", 1)[1].split('"', 1)[0]


@pytest.mark.django_db
def test_english_by_default(client):
    assert html_lang(client.get("/accounts/login/")) == "en"


@pytest.mark.django_db
def test_browser_asking_for_russian_gets_russian(client):
    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="ru-RU,ru;q=0.9,en;q=0.5")
    assert response.status_code == 200
    assert html_lang(response) == "ru"


@pytest.mark.django_db
def test_unsupported_language_falls_back_to_english(client):
    assert html_lang(client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="tg")) == "en"


def test_switching_to_russian_sticks_for_the_signed_in_user(login, alice, alice_case):
    client = login(alice)
    response = client.post("/i18n/setlang/", {"language": "ru", "next": "/cases/"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302 and response.url == "/cases/"
    for url in ("/cases/", f"/cases/{alice_case.reference}/", f"/clients/{alice_case.client.public_id}/", "/clients/"):
        page = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
        assert page.status_code == 200, url
        assert html_lang(page) == "ru", url


def test_switching_back_to_english(login, alice):
    client = login(alice)
    client.post("/i18n/setlang/", {"language": "ru", "next": "/cases/"})
    client.post("/i18n/setlang/", {"language": "en", "next": "/cases/"})
    assert html_lang(client.get("/cases/", HTTP_ACCEPT_LANGUAGE="ru")) == "en"


def test_admin_pages_render_in_russian(login, dana, alice_case):
    client = login(dana)
    client.post("/i18n/setlang/", {"language": "ru", "next": "/org/members/"})
    for url in ("/org/members/", "/org/members/new/", "/org/sharing/", f"/cases/{alice_case.reference}/sharing/"):
        page = client.get(url)
        assert page.status_code == 200 and html_lang(page) == "ru", url


@pytest.mark.django_db
def test_switch_refuses_to_redirect_off_site(client):
    response = client.post("/i18n/setlang/", {"language": "ru", "next": "https://evil.example/"})
    assert response.status_code == 302 and not response.url.startswith("https://evil")


def test_list_labels_follow_the_language_of_each_request(login, alice, alice_case):
    """Type, status and jurisdiction labels come from a table per language: a Russian page after an
    English one (in the same process) says Russian words, and the other way round."""
    client = login(alice)
    english = body(client.get("/cases/", HTTP_ACCEPT_LANGUAGE="en"))
    russian = body(client.get("/cases/", HTTP_ACCEPT_LANGUAGE="ru"))
    again = body(client.get("/cases/", HTTP_ACCEPT_LANGUAGE="en"))
    assert "Russia" in english and "Asylum" in english and "Россия" not in english
    assert "Россия" in russian and "Убежище" in russian and "Asylum" not in russian
    assert "Russia" in again and "Россия" not in again


def test_the_chosen_language_follows_the_person_to_a_new_device(login, alice):
    from tests.conftest import VerifiedClient

    laptop = login(alice)
    laptop.post("/i18n/setlang/", {"language": "ru", "next": "/cases/"})
    phone = VerifiedClient()
    phone.force_login(alice)
    assert html_lang(phone.get("/cases/", HTTP_ACCEPT_LANGUAGE="en")) == "ru"
    # A device that chose for itself keeps its choice.
    phone.post("/i18n/setlang/", {"language": "en", "next": "/cases/"})
    assert html_lang(phone.get("/cases/", HTTP_ACCEPT_LANGUAGE="ru")) == "en"


def test_an_unknown_language_is_not_remembered(login, alice):
    login(alice).post("/i18n/setlang/", {"language": "xx", "next": "/cases/"})
    alice.membership.refresh_from_db()
    assert alice.membership.language == ""
