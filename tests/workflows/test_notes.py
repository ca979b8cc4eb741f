"""Notes on a case: an empty one is refused with a message, a double submit keeps one."""

from casework.cases.models import CaseNote
from tests.pages import body, messages_shown, text
from tests.workflows.conftest import token


def add_note(client, case, **data):
    return client.post(f"/cases/{case.reference}/notes/new/", {"submission_token": token(), **data}, follow=True)


def notes_section(response) -> str:
    page = body(response)
    return text(page[page.index('id="notes"'):page.index('id="documents"')])


def test_a_note_is_added_and_shown_with_its_author(login, alice, asylum_case):
    response = add_note(login(alice), asylum_case, text="Клиентка просит звонить только вечером")
    assert response.redirect_chain[-1][0] == f"/cases/{asylum_case.reference}/#notes"
    assert "Note added." in messages_shown(response)
    section = notes_section(response)
    assert "Клиентка просит звонить только вечером" in section
    assert (alice.get_full_name() or alice.username) in section
    assert CaseNote.objects.get().author == alice


def test_an_empty_note_is_refused(login, alice, asylum_case):
    client = login(alice)
    for blank in ("", "   \n  "):
        response = add_note(client, asylum_case, text=blank)
        assert "The note was not saved" in messages_shown(response)
    assert not CaseNote.objects.exists()
    assert "No notes." in notes_section(response)


def test_a_double_submit_keeps_one_note(login, alice, asylum_case):
    client = login(alice)
    data = {"text": "Позвонил адвокат", "submission_token": token()}
    client.post(f"/cases/{asylum_case.reference}/notes/new/", data)
    client.post(f"/cases/{asylum_case.reference}/notes/new/", data)
    assert CaseNote.objects.filter(case=asylum_case).count() == 1


def test_notes_need_edit_access_and_a_post(login, alice, carol, charlie, asylum_case):
    for user in (carol, charlie):
        assert login(user).post(f"/cases/{asylum_case.reference}/notes/new/",
                                {"text": "x", "submission_token": token()}).status_code == 404
    assert login(alice).get(f"/cases/{asylum_case.reference}/notes/new/").status_code == 405
    assert not CaseNote.objects.exists()
