"""Uploading documents: known types within 10 MB whose content matches their name are kept, encrypted
on disk; anything else is refused with a message and leaves neither a file nor a row."""

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from casework.cases.models import CaseDocument
from tests.pages import body, errors_shown, text

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\nDecision of the migration service, refusal\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00passport scan"
TXT = "Трудовой договор не заключался. Зарплата 40 000 руб. в месяц.".encode()


def documents_on_disk() -> list:
    folder = settings.MEDIA_ROOT / "documents"
    return sorted(folder.iterdir()) if folder.exists() else []


def upload(client, case, name, data, title=""):
    return client.post(f"/cases/{case.reference}/documents/new/",
                       {"title": title, "upload": SimpleUploadedFile(name, data)})


@pytest.mark.parametrize("name, data, content_type", [
    ("decision.pdf", PDF, "application/pdf"),
    ("passport.PNG", PNG, "image/png"),
    ("договор.txt", TXT, "text/plain"),
])
def test_a_document_is_kept_encrypted_and_listed(login, alice, asylum_case, name, data, content_type):
    client = login(alice)
    response = upload(client, asylum_case, name, data, title="Copy for the appeal")
    assert response.status_code == 302 and response["Location"] == f"/cases/{asylum_case.reference}/#documents"
    document = CaseDocument.objects.get(case=asylum_case)
    assert (document.filename, document.content_type, document.size) == (name, content_type, len(data))
    [stored] = documents_on_disk()
    assert stored.name == document.storage_name
    raw = stored.read_bytes()
    assert data not in raw and data[:16] not in raw and data[-16:] not in raw
    page = text(body(client.get(f"/cases/{asylum_case.reference}/")))
    assert "Copy for the appeal" in page and name in page


def test_without_a_title_the_file_name_is_the_title(login, alice, asylum_case):
    assert upload(login(alice), asylum_case, "Решение суда.pdf", PDF).status_code == 302
    assert CaseDocument.objects.get().title == "Решение суда"


@pytest.mark.parametrize("name, data, message", [
    ("script.exe", b"MZ\x90\x00", "Upload a PDF, JPEG, PNG, DOCX, ODT or TXT file."),
    ("no_extension", TXT, "Upload a PDF, JPEG, PNG, DOCX, ODT or TXT file."),
    ("page.html", b"<html>hello</html>", "Upload a PDF, JPEG, PNG, DOCX, ODT or TXT file."),
    ("decision.pdf", b"This is plain text pretending to be a PDF", "The file's content does not match its type."),
    ("photo.png", PDF, "The file's content does not match its type."),
    ("scan.jpg", PNG, "The file's content does not match its type."),
    ("notes.txt", b"\x00\x01\x02binary", "The file's content does not match its type."),
    ("notes.txt", "не UTF-8".encode("cp1251"), "The file's content does not match its type."),
    ("contract.docx", TXT, "The file's content does not match its type."),
    ("empty.pdf", b"", "The submitted file is empty."),
])
def test_a_bad_file_is_refused_and_leaves_nothing(login, alice, asylum_case, name, data, message):
    response = upload(login(alice), asylum_case, name, data)
    assert response.status_code == 200
    assert message in errors_shown(response)
    assert not CaseDocument.objects.exists()
    assert documents_on_disk() == []


def test_a_file_over_10_mb_is_refused_and_leaves_nothing(login, alice, asylum_case):
    too_big = PDF + b"0" * (10 * 1024 * 1024 + 1 - len(PDF))
    response = upload(login(alice), asylum_case, "big.pdf", too_big)
    assert response.status_code == 200
    assert "The file is larger than 10 MB." in errors_shown(response)
    assert not CaseDocument.objects.exists()
    assert documents_on_disk() == []


def test_exactly_10_mb_is_accepted(login, alice, asylum_case):
    limit = PDF + b"0" * (10 * 1024 * 1024 - len(PDF))
    assert upload(login(alice), asylum_case, "limit.pdf", limit).status_code == 302
    assert CaseDocument.objects.get().size == 10 * 1024 * 1024


def test_a_missing_file_is_refused(login, alice, asylum_case):
    response = login(alice).post(f"/cases/{asylum_case.reference}/documents/new/", {"title": "Nothing"})
    assert response.status_code == 200 and "This field is required." in errors_shown(response)
    assert not CaseDocument.objects.exists()


def test_only_those_who_may_edit_the_case_upload(login, carol, charlie, asylum_case):
    for user in (carol, charlie):
        assert upload(login(user), asylum_case, "decision.pdf", PDF).status_code == 404
    assert not CaseDocument.objects.exists() and documents_on_disk() == []
