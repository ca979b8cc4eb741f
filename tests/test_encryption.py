"""Personal data is unreadable in the database, and a key problem is an error, never ciphertext."""

import datetime

import pytest
from cryptography.fernet import Fernet
from django.db import connection

from casework.clients.models import Client
from casework.crypto import DecryptionError, EncryptedLookupError
from tests.factories import ClientFactory


@pytest.fixture
def client_row(org):
    return ClientFactory(
        organisation=org,
        family_name="Қодиров",
        given_names="Alisher",
        date_of_birth=datetime.date(1991, 4, 12),
        document_numbers="FA7654321",
        phones="+7 900 123-45-67",
        addresses="ул. Садовая, 5",
    )


def test_raw_rows_hold_no_plaintext_personal_data(client_row):
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM clients_client WHERE id = %s", [client_row.pk])
        raw = " ".join(str(value) for value in cursor.fetchone())
    for secret in ("Қодиров", "Kodirov", "Alisher", "1991-04-12", "1991", "FA7654321", "123-45-67", "Садовая"):
        assert secret not in raw


def test_values_read_back_decrypted(client_row):
    fresh = Client.objects.get(pk=client_row.pk)
    assert (fresh.family_name, fresh.date_of_birth) == ("Қодиров", datetime.date(1991, 4, 12))


def test_wrong_key_raises_instead_of_showing_ciphertext(client_row, settings):
    settings.FIELD_ENCRYPTION_KEY = [Fernet.generate_key().decode()]
    with pytest.raises(DecryptionError):
        Client.objects.get(pk=client_row.pk)


def test_missing_key_is_a_clear_configuration_error(client_row, settings):
    from django.core.exceptions import ImproperlyConfigured

    settings.FIELD_ENCRYPTION_KEY = []
    with pytest.raises(ImproperlyConfigured, match="FIELD_ENCRYPTION_KEY"):
        Client.objects.get(pk=client_row.pk)


def test_old_key_still_decrypts_after_a_new_key_is_put_first(client_row, settings):
    settings.FIELD_ENCRYPTION_KEY = [Fernet.generate_key().decode(), *settings.FIELD_ENCRYPTION_KEY]
    assert Client.objects.get(pk=client_row.pk).family_name == "Қодиров"


@pytest.mark.parametrize("lookup", ["family_name", "family_name__iexact", "family_name__contains", "date_of_birth__year"])
def test_lookups_on_encrypted_fields_raise(client_row, lookup):
    with pytest.raises(EncryptedLookupError):
        Client.objects.filter(**{lookup: "Қодиров" if "year" not in lookup else 1991}).count()


def test_isnull_lookup_still_works(client_row):
    assert Client.objects.filter(date_of_birth__isnull=False).count() == 1
