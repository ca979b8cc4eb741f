"""Documents come back only through the access-checked download view, as the original bytes, as an
attachment; never to someone who cannot see the case, never across cases, never from a media URL."""

from urllib.parse import quote

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import Resolver404, resolve

from casework.cases import services as case_services
from tests.factories import CaseFactory

PDF = b"%PDF-1.7\nRefusal of temporary asylum, served 10 September\n%%EOF\n"


def store(case, user, name="decision.pdf", data=PDF):
    return case_services.document_upload(case=case, upload=SimpleUploadedFile(name, data), title="", uploaded_by=user)


def download_url(case, document):
    return f"/cases/{case.reference}/documents/{document.public_id}/"


def content_of(response) -> bytes:
    return b"".join(response.streaming_content)


@pytest.mark.parametrize("who", ["alice", "bob"])
def test_the_assignee_and_the_coordinator_download_the_original(request, login, asylum_case, who):
    document = store(asylum_case, request.getfixturevalue("alice"))
    response = login(request.getfixturevalue(who)).get(download_url(asylum_case, document))
    assert response.status_code == 200
    assert content_of(response) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert 'filename="decision.pdf"' in response["Content-Disposition"]
    assert response["Cache-Control"] == "no-store"


def test_a_cyrillic_file_name_survives(login, alice, asylum_case):
    name = "Решение ФМС №12.txt"
    data = "Отказать в предоставлении временного убежища.".encode()
    document = store(asylum_case, alice, name=name, data=data)
    response = login(alice).get(download_url(asylum_case, document))
    assert response.status_code == 200 and content_of(response) == data
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f"filename*=utf-8''{quote(name)}" in disposition


@pytest.mark.parametrize("who", ["charlie", "erin", "carol", "dana"])
def test_anyone_who_cannot_see_the_case_gets_404(request, login, alice, asylum_case, who):
    document = store(asylum_case, alice)
    response = login(request.getfixturevalue(who)).get(download_url(asylum_case, document))
    assert response.status_code == 404
    assert PDF not in response.content


def test_a_document_of_another_case_is_404_through_this_cases_url(login, alice, asylum_case):
    other_case = CaseFactory(assigned_to=alice, case_type="unpaid_wages")
    theirs = store(other_case, alice)
    client = login(alice)
    assert client.get(download_url(other_case, theirs)).status_code == 200
    assert client.get(download_url(asylum_case, theirs)).status_code == 404


def test_an_unknown_document_is_404(login, alice, asylum_case):
    response = login(alice).get(f"/cases/{asylum_case.reference}/documents/00000000-0000-4000-8000-000000000000/")
    assert response.status_code == 404


def test_signed_out_visitors_are_sent_to_sign_in(client, alice, asylum_case):
    document = store(asylum_case, alice)
    response = client.get(download_url(asylum_case, document))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_there_is_no_public_media_url(login, alice, asylum_case):
    document = store(asylum_case, alice)
    client = login(alice)
    for url in (f"/media/documents/{document.storage_name}", f"/documents/{document.storage_name}",
                f"/{settings.MEDIA_URL.strip('/')}/documents/{document.storage_name}".replace("//", "/")):
        assert client.get(url).status_code == 404, url
        with pytest.raises(Resolver404):
            resolve(url)
