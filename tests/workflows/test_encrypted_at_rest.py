"""What identifies a person or their story never sits in the database in plaintext: read the raw rows."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from casework.cases import services as case_services
from casework.cases.models import CaseDocument, CaseEvent, CaseNote, DeportationDetail, Employer, StatusChange, WageDetail
from casework.cases.services import event_record
from tests.workflows.conftest import raw_rows

FERNET_PREFIX = "gAAAAA"


def assert_hidden(raw: str, *plaintexts: str) -> None:
    assert FERNET_PREFIX in raw
    for plaintext in plaintexts:
        assert plaintext not in raw


def test_deportation_charges_detention_place_and_dates(login, alice, deportation_case):
    today = timezone.localdate()
    detained_from, detained_until = today - datetime.timedelta(days=41), today + datetime.timedelta(days=19)
    response = login(alice).post(f"/cases/{deportation_case.reference}/details/", {
        "removal_kind": "extradition", "charges": "Участие в запрещённой организации (вымышленное)",
        "detention_place": "ИВС Москва-Товарная", "detained_from": detained_from.isoformat(),
        "detained_until": detained_until.isoformat(),
    })
    assert response.status_code == 302
    raw = raw_rows(DeportationDetail, case_id=deportation_case.pk)
    assert_hidden(raw, "Участие", "запрещённой", "ИВС", "Товарная", detained_from.isoformat(), detained_until.isoformat(),
                  detained_from.strftime("%d.%m.%Y"))
    assert DeportationDetail.objects.get(case=deportation_case).detained_from == detained_from


def test_wage_intermediary_and_employer(login, alice, wages_case):
    response = login(alice).post(f"/cases/{wages_case.reference}/details/", {
        "new_employer_name": "ООО Стройка-Север", "new_employer_director": "Сидоров Игорь",
        "new_employer_address": "Тверская область, деревня Вымышленная", "new_employer_registration_number": "7701234567",
        "intermediary": "Посредник Рустам из Самарканда", "currency": "RUB", "amount_owed": "0", "amount_recovered": "0",
    })
    assert response.status_code == 302
    assert_hidden(raw_rows(WageDetail, case_id=wages_case.pk), "Посредник", "Рустам", "Самарканд")
    employer = Employer.objects.get(organisation=wages_case.organisation)
    assert_hidden(raw_rows(Employer, id=employer.pk), "Стройка", "Сидоров", "Игорь", "Вымышленная", "7701234567")


def test_event_note_case_note_and_reopening_reason(alice, asylum_case):
    event = event_record(case=asylum_case, kind="interview", occurred_on=timezone.localdate(), recorded_by=alice,
                         note="Рассказал о пытках в отделе полиции")
    note = case_services.note_add(case=asylum_case, text="Боится звонков с незнакомых номеров", author=alice)
    case_services.case_set_status(case=asylum_case, status="closed", outcome="withdrawn", changed_by=alice)
    case_services.case_set_status(case=asylum_case, status="open", reason="Клиентка вернулась из Душанбе", changed_by=alice)
    assert_hidden(raw_rows(CaseEvent, id=event.pk), "пытках", "полиции")
    assert_hidden(raw_rows(CaseNote, id=note.pk), "Боится", "звонков")
    assert_hidden(raw_rows(StatusChange, case_id=asylum_case.pk, to_status="open"), "вернулась", "Душанбе")


def test_document_title_and_filename(alice, asylum_case):
    upload = SimpleUploadedFile("Решение_ФМС_Назарова.txt", "Отказ в признании беженцем".encode())
    document = case_services.document_upload(case=asylum_case, upload=upload, title="Решение о отказе Назаровой",
                                        uploaded_by=alice)
    assert_hidden(raw_rows(CaseDocument, id=document.pk), "Решение", "Назаров", ".txt")
