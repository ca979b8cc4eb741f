"""`manage.py rotate_keys` re-encrypts every encrypted column and document under a new key, so that
with the new key alone everything reads back unchanged; an interrupted run resumes where it stopped;
`--blind-index` rebuilds the name indexes under a new BLIND_INDEX_KEY and search keeps working."""

import datetime
import io
import secrets
from decimal import Decimal

import pytest
from cryptography.fernet import Fernet, InvalidToken
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection

from casework.cases import services as case_services
from casework.cases.models import Case, CaseDocument, Employer
from casework.cases.services import event_record
from casework.clients.models import Client
from casework.clients.selectors import client_search
from casework.lib.storage import document_read, documents_dir
from casework.deadlines.services import deadline_create_manual
from casework.privacy.services import legal_hold_place
from casework.security import rotation
from casework.security.models import RotationProgress
from tests.factories import CaseFactory, ClientFactory

NEW = Fernet.generate_key().decode()


@pytest.fixture
def world(org, alice):
    """Clients, and cases of each type with events, notes, documents, details, employers and holds,
    all written under the key the test run started with."""
    clients = [
        ClientFactory(organisation=org, created_by=alice, family_name=name, given_names="Алишер",
                      date_of_birth=datetime.date(1990, 5, 17), addresses=f"Москва, ул. Ленина {i}", phones="+7 916")
        for i, name in enumerate(["Қодиров", "Тошпулатова", "Юлдашев"])
    ]
    deportation = CaseFactory(assigned_to=alice, client=clients[0], case_type=Case.Type.DEPORTATION, removal_kind="extradition")
    case_services.details_update(case=deportation, changed_by=deportation.assigned_to, removal_kind="extradition", charges="ст. 159 УК Узбекистана",
                            detention_place="СИЗО-1", detained_from=datetime.date(2025, 2, 1))
    wages = CaseFactory(assigned_to=alice, client=clients[1], case_type=Case.Type.UNPAID_WAGES)
    case_services.details_update(case=wages, changed_by=wages.assigned_to, new_employer_name="ООО Стройинвест", new_employer_director="Иванов",
                            intermediary="Бригадир Рустам", amount_owed=Decimal("1000"))
    asylum = CaseFactory(assigned_to=alice, client=clients[2])
    for i, case in enumerate([deportation, wages, asylum]):
        event_record(case=case, kind="other", occurred_on=datetime.date(2025, 3, 1 + i), recorded_by=alice, note=f"Событие {i}")
        case_services.note_add(case=case, text=f"Заметка {i}: прячется у брата", author=alice)
        case_services.document_upload(case=case, upload=SimpleUploadedFile(f"док{i}.txt", f"Документ {i} — Қодиров".encode()),
                                 title=f"Решение {i}", uploaded_by=alice)
    deadline_create_manual(case=asylum, title="Ответ в суд", due_date=datetime.date(2026, 1, 1), created_by=alice)
    legal_hold_place(case=asylum, reason="Иск против ФСИН", placed_by=alice)
    return clients


def plaintexts() -> dict:
    """Every encrypted value of every table as the application reads it, and every document's content."""
    values = {
        table.label: sorted(table.model.objects.values_list("pk", *(f.name for f in table.fields)))
        for table in rotation.encrypted_tables()
    }
    values["documents"] = sorted(
        (doc.pk, document_read(doc.storage_name))
        for doc in CaseDocument.objects.all()
    )
    return values


def tokens(table_label: str) -> dict:
    """pk -> the stored tokens of one table, read past the ORM."""
    table = next(t for t in rotation.encrypted_tables() if t.label == table_label)
    qn = connection.ops.quote_name
    columns = ", ".join(qn(f.column) for f in table.fields)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {qn(table.model._meta.pk.column)}, {columns} FROM {qn(table.model._meta.db_table)}")
        return {row[0]: row[1:] for row in cursor.fetchall()}


def all_tokens() -> list[bytes]:
    stored = [t.encode() for table in rotation.encrypted_tables() for row in tokens(table.label).values() for t in row if t]
    return stored + [(documents_dir() / name).read_bytes()
                     for name in CaseDocument.objects.values_list("storage_name", flat=True)]


def run(*args, **options) -> str:
    out = io.StringIO()
    call_command("rotate_keys", *args, stdout=out, **options)
    return out.getvalue()


def test_after_rotation_the_new_key_alone_reads_everything_unchanged(settings, world, login, alice):
    old_keys = list(settings.FIELD_ENCRYPTION_KEY)
    before = plaintexts()
    settings.FIELD_ENCRYPTION_KEY = [NEW, *old_keys]

    output = run(batch_size=2)

    settings.FIELD_ENCRYPTION_KEY = [NEW]
    assert plaintexts() == before
    old = [Fernet(key) for key in old_keys]
    for token in all_tokens():
        for fernet in old:
            with pytest.raises(InvalidToken):
                fernet.decrypt(token)
    client = login(alice)
    for doc in CaseDocument.objects.select_related("case"):
        response = client.get(f"/cases/{doc.case.reference}/documents/{doc.public_id}/")
        assert b"".join(response.streaming_content) == dict(before["documents"])[doc.pk]
    assert "clients.Client" in output and "privacy.LegalHold" in output and "Done" in output
    assert not any(key in output for key in (NEW, *old_keys))


def test_an_interrupted_rotation_resumes_after_the_last_finished_batch(settings, world, monkeypatch):
    before = plaintexts()
    settings.FIELD_ENCRYPTION_KEY = [NEW, *settings.FIELD_ENCRYPTION_KEY]
    real, calls = rotation.rotate_batch, []

    def power_cut_after_one_batch(table, progress, batch_size):
        calls.append(table.label)
        if len(calls) == 2:
            raise RuntimeError("power cut")
        return real(table, progress, batch_size)

    monkeypatch.setattr(rotation, "rotate_batch", power_cut_after_one_batch)
    with pytest.raises(RuntimeError):
        run(batch_size=2)
    first = RotationProgress.objects.get(model_label=calls[0], kind=RotationProgress.Kind.COLUMNS)
    assert first.rows_done == 2 and first.finished_at is None
    done_in_first_batch = {pk: row for pk, row in tokens(calls[0]).items() if pk <= first.last_pk}
    assert len(done_in_first_batch) == 2

    monkeypatch.undo()
    run(batch_size=2)

    assert {pk: tokens(calls[0])[pk] for pk in done_in_first_batch} == done_in_first_batch  # not redone
    assert RotationProgress.objects.filter(finished_at=None).count() == 0
    settings.FIELD_ENCRYPTION_KEY = [NEW]
    assert plaintexts() == before


def test_a_finished_rotation_is_not_repeated_unless_restarted(settings, world):
    settings.FIELD_ENCRYPTION_KEY = [NEW, *settings.FIELD_ENCRYPTION_KEY]
    run()
    rotated = tokens("clients.Client")

    run()
    assert tokens("clients.Client") == rotated
    run("--restart")
    assert tokens("clients.Client") != rotated


def test_rotation_needs_a_new_key_in_front_of_the_old(world):
    with pytest.raises(CommandError, match="one key"):
        run()


def test_a_value_no_key_opens_stops_the_run_and_writes_nothing_of_its_batch(settings, world):
    stored = tokens("cases.CaseDocument")
    settings.FIELD_ENCRYPTION_KEY = [NEW, Fernet.generate_key().decode()]  # the key in use is missing
    with pytest.raises(CommandError, match=r"cases.CaseDocument pk=\d+ title: cannot be decrypted"):
        run()
    assert tokens("cases.CaseDocument") == stored


def test_blind_indexes_rebuilt_under_a_new_key_keep_name_search_working(settings, world, org, alice, login):
    kodirov = world[0]
    erased = ClientFactory(organisation=org, created_by=alice, family_name="Стёртый")
    Client.objects.filter(pk=erased.pk).update(family_name="", full_name_bidx="", family_name_bidx="",
                                               skeleton_bidx="", phonetic_bidx="")
    employer = Employer.objects.get()
    settings.BLIND_INDEX_KEY = secrets.token_urlsafe(48)
    assert client_search(alice, "Kodirov") == []  # the old indexes no longer match

    output = run("--blind-index", batch_size=1)

    assert list(client_search(alice, "Kodirov")) == [kodirov]
    assert list(client_search(alice, "Қодиров Алишер")) == [kodirov]
    page = login(alice).post("/clients/", {"q": "Kodirov"}).content.decode()
    assert str(kodirov.public_id) in page
    assert Employer.objects.get(organisation=org, name_bidx=case_services.employer_name_key("ооо стройинвест")) == employer
    assert Client.objects.filter(pk=erased.pk).values_list("full_name_bidx", "phonetic_bidx").get() == ("", "")
    assert "blind indexes" in output and "clients.Client" in output and "cases.Employer" in output
