"""The field history as stored: a row per save naming who saved, the encrypted fields' old and new values
encrypted in the history tables (read past the ORM, no name in Cyrillic or Latin appears), no blind index
or derived column kept, key rotation re-encrypting the history tables, and erasure blanking them."""

import datetime
import io

import pytest
from cryptography.fernet import Fernet, InvalidToken
from django.core.management import call_command
from django.db import connection

from casework.cases import services as case_services
from casework.cases.models import DETAIL_MODELS, RECORD_TYPES, Case, DeportationDetail, InterimMeasure
from casework.clients.models import Client
from casework.clients.services import client_update
from casework.crypto import decrypt
from casework.privacy.services import case_erase_personal_data
from casework.security import rotation
from tests.factories import CaseFactory, ClientFactory

pytestmark = pytest.mark.sqlite

TRACKED = [Client, Case, *DETAIL_MODELS.values(), *RECORD_TYPES]
NAMES = ["Қодиров", "Алишер", "Kodirov", "Alisher", "Тошпулатова", "Toshpulatova", "Мадина", "Madina"]


def raw_rows(model) -> list[tuple]:
    """Every row of a model's history table as the database holds it."""
    table = connection.ops.quote_name(model.history.model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table}")
        return cursor.fetchall()


def raw_column(model, column: str) -> list:
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {qn(column)} FROM {qn(model.history.model._meta.db_table)} ORDER BY history_id")
        return [row[0] for row in cursor.fetchall()]


@pytest.fixture
def kodirov(org, alice):
    client = ClientFactory(organisation=org, created_by=alice, family_name="Қодиров", given_names="Алишер",
                           addresses="Москва, ул. Ленина 5", phones="+7 916 000 00 00")
    return client_update(client=client, changed_by=alice, family_name="Kodirov", given_names="Alisher",
                         other_spellings="Toshpulatova Madina\nТошпулатова Мадина", addresses="Kazan, Bauman St 7")


def test_client_names_in_both_scripts_stay_encrypted_in_the_history_table(kodirov):
    rows = raw_rows(Client)
    assert len(rows) == 2  # created, then changed
    stored = " ".join(str(value) for row in rows for value in row)
    for plaintext in [*NAMES, "Москва", "Ленина", "Kazan", "Bauman", "+7 916"]:
        assert plaintext not in stored
    assert [decrypt(token) for token in raw_column(Client, "family_name")] == ["Қодиров", "Kodirov"]
    assert [decrypt(token) for token in raw_column(Client, "given_names")] == ["Алишер", "Alisher"]


def test_detention_place_and_charges_stay_encrypted_in_the_history_table(alice, alice_client):
    case = CaseFactory(assigned_to=alice, client=alice_client, case_type="deportation", removal_kind="extradition")
    case_services.details_update(case=case, changed_by=alice, detention_place="СИЗО-1, г. Екатеринбург",
                                 charges="Membership of a banned organisation", detained_from=datetime.date(2025, 2, 1))
    stored = " ".join(str(value) for row in raw_rows(DeportationDetail) for value in row)
    for plaintext in ("СИЗО", "Екатеринбург", "banned organisation", "2025-02-01"):
        assert plaintext not in stored
    assert decrypt(raw_column(DeportationDetail, "detention_place")[-1]) == "СИЗО-1, г. Екатеринбург"


def test_history_keeps_no_blind_index_nor_a_column_copied_from_other_rows(db):
    with connection.cursor() as cursor:
        for model in TRACKED:
            table = model.history.model._meta.db_table
            columns = {c.name for c in connection.introspection.get_table_description(cursor, table)}
            assert not {c for c in columns if c.endswith("_bidx")}
            assert not columns & {"next_due_date", "removal_at", "updated_at", "created_at", "submission_token"}
            assert {"history_user_id", "history_date", "history_type"} <= columns


def test_each_save_names_who_made_it_and_a_save_changing_nothing_leaves_no_row(alice, bob, alice_client):
    case = CaseFactory(assigned_to=alice, client=alice_client, case_type="deportation", removal_kind="deportation")
    measure = case_services.record_add(case=case, model=InterimMeasure, changed_by=alice, body="echr_rule39",
                                       requested_on=datetime.date(2026, 1, 5))
    case_services.record_update(record=measure, changed_by=bob, status="granted")
    case_services.record_update(record=measure, changed_by=bob, status="granted")  # the form saved as it was
    case_services.case_reassign(case=case, assigned_to=bob, changed_by=bob)

    assert list(measure.history.order_by("history_id").values_list("history_type", "history_user", "status")) == [
        ("+", alice.pk, "pending"), ("~", bob.pk, "granted")]
    assert list(case.history.order_by("history_id").values_list("history_user", "assigned_to")) == [
        (alice.pk, alice.pk), (bob.pk, bob.pk)]


def test_key_rotation_re_encrypts_the_history_tables(settings, kodirov, alice):
    case = CaseFactory(assigned_to=alice, client=kodirov, case_type="deportation", removal_kind="extradition")
    case_services.details_update(case=case, changed_by=alice, detention_place="СИЗО-1")
    labels = {table.label for table in rotation.encrypted_tables()}
    assert {"clients.HistoricalClient", "cases.HistoricalDeportationDetail", "cases.HistoricalWageDetail"} <= labels
    before = list(Client.history.order_by("history_id").values_list("family_name", "given_names", "addresses"))
    old_keys, new = list(settings.FIELD_ENCRYPTION_KEY), Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEY = [new, *old_keys]

    output = io.StringIO()
    call_command("rotate_keys", stdout=output)

    assert "clients.HistoricalClient" in output.getvalue()
    settings.FIELD_ENCRYPTION_KEY = [new]
    assert list(Client.history.order_by("history_id").values_list("family_name", "given_names", "addresses")) == before
    assert decrypt(raw_column(DeportationDetail, "detention_place")[-1]) == "СИЗО-1"
    for token in raw_column(Client, "family_name") + raw_column(DeportationDetail, "detention_place"):
        with pytest.raises(InvalidToken):
            Fernet(old_keys[0]).decrypt(token.encode())


def test_erasure_blanks_the_history_of_the_case_and_of_the_client(alice, kodirov):
    case = CaseFactory(assigned_to=alice, client=kodirov, case_type="deportation", removal_kind="extradition")
    case_services.details_update(case=case, changed_by=alice, detention_place="СИЗО-1", charges="ст. 159")
    case_services.case_set_status(case=case, status="closed", outcome="withdrawn", changed_by=alice)

    case_erase_personal_data(case=case, actor=alice, reason="request")

    assert set(DeportationDetail.history.values_list("detention_place", "charges")) == {("", "")}
    assert set(Client.history.values_list("family_name", "given_names", "other_spellings", "addresses", "languages")) \
        == {("", "", "", "", "")}
    stored = " ".join(str(value) for model in (Client, DeportationDetail) for row in raw_rows(model) for value in row)
    assert not any(name in stored for name in NAMES)
