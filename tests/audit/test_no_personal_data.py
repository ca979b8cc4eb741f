"""The trail holds ids and references, never a client's name or anything typed about them."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from casework.audit.models import Action
from casework.audit.services import audit_record
from casework.cases import services as case_services

ADDRESS = "198.51.100.23"


def whole_table() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM audit_accessevent")
        return str(cursor.fetchall())


def test_the_main_flows_leave_no_personal_data_in_the_trail(client, raw_client, login, password, alice, dana, other_org,
                                                            alice_client, alice_case):
    secrets = [alice_client.family_name, alice_client.given_names, alice_client.document_numbers]
    document = case_services.document_upload(case=alice_case, upload=SimpleUploadedFile("decision.txt", b"text"),
                                        title=alice_client.family_name, uploaded_by=alice)
    raw_client.post("/accounts/login/", {"username": "alice", "password": password}, REMOTE_ADDR=ADDRESS)
    raw_client.post("/accounts/login/", {"username": alice_client.family_name, "password": password}, REMOTE_ADDR=ADDRESS)
    http = login(alice)
    for url in (f"/clients/{alice_client.public_id}/", f"/cases/{alice_case.reference}/",
                f"/cases/{alice_case.reference}/documents/{document.public_id}/"):
        assert http.get(url, REMOTE_ADDR=ADDRESS).status_code == 200
    for url in ("/clients/", "/cases/"):
        assert http.post(url, {"q": alice_client.family_name}, REMOTE_ADDR=ADDRESS).status_code == 200
    http = login(dana)
    http.post(f"/cases/{alice_case.reference}/sharing/", {"grantee_kind": "organisation", "organisation": other_org.pk,
                                                          "level": "view"}, REMOTE_ADDR=ADDRESS)
    http.post(f"/cases/{alice_case.reference}/sharing/revoke/", {"grantee_kind": "organisation", "grantee_id": other_org.pk},
              REMOTE_ADDR=ADDRESS)
    table = whole_table()
    assert ADDRESS in table
    for secret in secrets:
        assert secret not in table


@pytest.mark.parametrize("detail", ["Тошпулатова", "name=Тошпулатова", "note=hides at her brother's",
                                    "query=Ivanov Ivan", "x=" + "1" * 200, "document=1\n"])
def test_free_text_is_refused_as_detail(alice, detail):
    with pytest.raises(ValueError, match="never personal data"):
        audit_record(actor=alice, action=Action.SEARCH, detail=detail)


@pytest.mark.parametrize("detail", ["", "document=6f1c2a4e-0b1d-4d59-9b55-1f0b8c3e7a21", "organisation=3 level=edit",
                                    "list=clients"])
def test_ids_and_references_are_accepted_as_detail(alice, detail):
    assert audit_record(actor=alice, action=Action.SEARCH, detail=detail).detail == detail


def test_an_unknown_action_is_refused(alice):
    with pytest.raises(ValueError, match="Unknown audit action"):
        audit_record(actor=alice, action="peek")
