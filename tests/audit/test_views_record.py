"""Every view of personal data, download, search, grant and revocation leaves one audit event, with the
address the request came from (setup through the services has none)."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from casework.audit.models import AccessEvent, Action
from casework.cases import services as case_services
from casework.cases.services import event_record
from casework.deadlines.services import deadline_create_manual

ADDRESS = "198.51.100.9"


def recorded(**expected):
    event = AccessEvent.objects.exclude(action=Action.SIGN_IN).filter(ip_address=ADDRESS).get()
    assert {name: getattr(event, name) for name in expected} == expected
    assert event.ip_address == ADDRESS
    return event


def test_case_page(login, alice, alice_case):
    assert login(alice).get(f"/cases/{alice_case.reference}/", REMOTE_ADDR=ADDRESS).status_code == 200
    recorded(action=Action.VIEW_CASE, actor=alice, case=alice_case, organisation=alice.membership.organisation)


def test_client_page(login, alice, alice_client):
    assert login(alice).get(f"/clients/{alice_client.public_id}/", REMOTE_ADDR=ADDRESS).status_code == 200
    recorded(action=Action.VIEW_CLIENT, actor=alice, case=None, detail=f"client={alice_client.public_id}")


def test_deadline_pages(login, alice, alice_case):
    deadline = deadline_create_manual(case=alice_case, title="Lodge the appeal", created_by=alice,
                                      due_date=datetime.date.today() + datetime.timedelta(days=20))
    event = event_record(case=alice_case, kind="decision_served", occurred_on=datetime.date.today(),
                         recorded_by=alice)
    client, base = login(alice), f"/cases/{alice_case.reference}"
    for url, detail in [(f"{base}/deadlines/", "page=deadlines"),
                        (f"{base}/deadlines/{deadline.pk}/", f"page=deadline deadline={deadline.pk}"),
                        (f"{base}/events/{event.pk}/deadlines/", f"page=proposals event={event.pk}")]:
        before = set(AccessEvent.objects.values_list("pk", flat=True))
        assert client.get(url, REMOTE_ADDR=ADDRESS).status_code == 200, url
        [event_row] = AccessEvent.objects.exclude(pk__in=before).exclude(action=Action.SIGN_IN)
        assert (event_row.action, event_row.case, event_row.detail) == (Action.VIEW_CASE, alice_case, detail)


def test_document_download(login, alice, alice_case):
    document = case_services.document_upload(case=alice_case, upload=SimpleUploadedFile("a.txt", b"text"), title="t", uploaded_by=alice)
    response = login(alice).get(f"/cases/{alice_case.reference}/documents/{document.public_id}/", REMOTE_ADDR=ADDRESS)
    assert response.status_code == 200
    recorded(action=Action.DOWNLOAD_DOCUMENT, case=alice_case, detail=f"document={document.public_id}")


@pytest.mark.parametrize(("url", "detail"), [("/cases/", "list=cases"), ("/clients/", "list=clients")])
def test_search(login, alice, alice_client, url, detail):
    assert login(alice).post(url, {"q": alice_client.family_name}, REMOTE_ADDR=ADDRESS).status_code == 200
    recorded(action=Action.SEARCH, actor=alice, detail=detail)


def test_grant_and_revoke(login, dana, alice_case, other_org):
    http = login(dana)
    http.post(f"/cases/{alice_case.reference}/sharing/", {"grantee_kind": "organisation", "organisation": other_org.pk,
                                                          "level": "edit"}, REMOTE_ADDR=ADDRESS)
    recorded(action=Action.GRANT, actor=dana, case=alice_case, detail=f"organisation={other_org.pk} level=edit")
    http.post(f"/cases/{alice_case.reference}/sharing/revoke/", {"grantee_kind": "organisation", "grantee_id": other_org.pk},
              REMOTE_ADDR=ADDRESS)
    assert AccessEvent.objects.filter(action=Action.REVOKE, case=alice_case, detail=f"organisation={other_org.pk}").exists()


def test_grant_to_a_named_user(login, dana, erin, alice_case):
    login(dana).post(f"/cases/{alice_case.reference}/sharing/", {"grantee_kind": "user", "username": "erin",
                                                                 "level": "view"}, REMOTE_ADDR=ADDRESS)
    recorded(action=Action.GRANT, case=alice_case, detail=f"user={erin.pk} level=view")


def test_nothing_is_recorded_for_a_page_that_is_not_shown(login, charlie, alice_case):
    assert login(charlie).get(f"/cases/{alice_case.reference}/", REMOTE_ADDR=ADDRESS).status_code == 404
    assert not AccessEvent.objects.exclude(action=Action.SIGN_IN).filter(ip_address=ADDRESS).exists()
