"""Field encryption and blind indexes: the only code that touches keys.

The encrypted fields wrap django-encrypted-model-fields, which on its own returns the ciphertext
when a key is wrong (and a later save would then encrypt that ciphertext again) and answers any
lookup on an encrypted column with silently wrong results. Here both are errors.
"""

import functools
import hashlib
import hmac
import re
import unicodedata

import jellyfish
from anyascii import anyascii
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.core.signals import setting_changed
from django.dispatch import receiver
from encrypted_model_fields import fields as emf

BLIND_INDEX_LENGTH = 32  # hex characters of HMAC-SHA256 kept: 128 bits, plenty against collisions


class DecryptionError(Exception):
    """A stored value could not be decrypted with any configured key."""


class EncryptedLookupError(FieldError):
    """A query tried to compare an encrypted column, which can never match correctly."""


@functools.cache
def _crypter() -> MultiFernet:
    keys = settings.FIELD_ENCRYPTION_KEY
    if isinstance(keys, str):
        keys = [keys]
    if not keys:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEY is not set: encrypted data cannot be read or written.")
    try:
        return MultiFernet([Fernet(key) for key in keys])
    except ValueError as exc:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEY holds a value that is not a Fernet key.") from exc


@receiver(setting_changed)
def _forget_keys(*, setting, **kwargs):
    if setting in ("FIELD_ENCRYPTION_KEY", "BLIND_INDEX_KEY"):
        _crypter.cache_clear()


def _fingerprint(secret: str) -> str:
    """Names a key in progress rows and output without revealing it (a 256-bit key cannot be guessed
    back from its hash)."""
    return hashlib.sha256(b"casework-key\x00" + secret.encode()).hexdigest()[:16]


def field_key_fingerprint() -> str:
    """The key new values are encrypted with (the first of FIELD_ENCRYPTION_KEY)."""
    keys = settings.FIELD_ENCRYPTION_KEY
    return _fingerprint(keys if isinstance(keys, str) else keys[0])


def key_count() -> int:
    keys = settings.FIELD_ENCRYPTION_KEY
    return 1 if isinstance(keys, str) else len(keys)


def blind_index_key_fingerprint() -> str:
    return _fingerprint(settings.BLIND_INDEX_KEY)


def encrypt(plaintext: str) -> str:
    return _crypter().encrypt(plaintext.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _crypter().decrypt(token.encode()).decode()
    except InvalidToken:
        raise DecryptionError(
            "An encrypted value could not be decrypted with any key in FIELD_ENCRYPTION_KEY "
            "(wrong or missing key?). Nothing was shown or re-saved."
        ) from None


def encrypt_bytes(data: bytes) -> bytes:
    return _crypter().encrypt(data)


def decrypt_bytes(token: bytes) -> bytes:
    try:
        return _crypter().decrypt(token)
    except InvalidToken:
        raise DecryptionError("A stored file could not be decrypted with any key in FIELD_ENCRYPTION_KEY.") from None


def rotate(token: str) -> str:
    """Re-encrypt a token under the first key (used by key rotation)."""
    try:
        return _crypter().rotate(token.encode()).decode()
    except InvalidToken:
        raise DecryptionError("A value could not be decrypted for rotation.") from None


class EncryptedMixin:
    """Strict encryption: decrypt on read or fail, encrypt on write, refuse lookups."""

    def from_db_value(self, value, expression, connection):
        if value is None:
            return value
        return self._parse(decrypt(value))

    def to_python(self, value):
        # Values reaching to_python come from forms and code, never from the database: plaintext.
        return super(emf.EncryptedMixin, self).to_python(value)

    def _parse(self, plaintext: str):
        return super(emf.EncryptedMixin, self).to_python(plaintext)

    def get_db_prep_save(self, value, connection):
        value = super(emf.EncryptedMixin, self).get_db_prep_save(value, connection)
        return None if value is None else encrypt(str(value))

    def get_lookup(self, lookup_name):
        if lookup_name == "isnull":
            return super().get_lookup(lookup_name)
        raise EncryptedLookupError(
            f"'{self.name}' is encrypted: a '{lookup_name}' lookup cannot match. Use its blind index."
        )

    def get_transform(self, lookup_name):
        raise EncryptedLookupError(f"'{self.name}' is encrypted: it cannot be transformed in a query.")


class EncryptedCharField(EncryptedMixin, emf.EncryptedCharField):
    pass


class EncryptedTextField(EncryptedMixin, emf.EncryptedTextField):
    pass


class EncryptedDateField(EncryptedMixin, emf.EncryptedDateField):
    pass


# --- Blind indexes -------------------------------------------------------------------------

_DIGRAPHS = [
    ("dzh", "j"), ("dj", "j"), ("zh", "j"), ("kh", "h"), ("x", "h"), ("q", "k"),
    ("w", "v"), ("y", "i"), ("ck", "k"), ("ph", "f"),
]
_NOT_LETTER = re.compile(r"[^a-z ]+")
_REPEAT = re.compile(r"(.)\1+")
_VOWELS = re.compile(r"[aeiou]")


def fold(text: str) -> str:
    """Latin folding of a name in any script, so 'Қодиров', 'Kodirov' and 'Qodirov' compare equal."""
    text = anyascii(unicodedata.normalize("NFKC", text)).lower()
    text = text.replace("'", "").replace("`", "")
    for spelling, folded in _DIGRAPHS:
        text = text.replace(spelling, folded)
    text = _NOT_LETTER.sub(" ", text)
    return " ".join(_REPEAT.sub(r"\1", word) for word in text.split())


def skeleton(text: str) -> str:
    """Consonant skeleton of the folded name: survives vowel spelling differences (Juraev/Djuraev/Jurayev)."""
    return " ".join(_VOWELS.sub("", word) or word for word in fold(text).split())


def phonetic(text: str) -> str:
    return " ".join(jellyfish.metaphone(word) for word in fold(text).split())


def blind_index(purpose: str, value: str) -> str:
    """Keyed HMAC of an already normalised value; `purpose` keeps indexes of different kinds apart."""
    key = settings.BLIND_INDEX_KEY.encode()
    digest = hmac.new(key, f"{purpose}\x00{value}".encode(), hashlib.sha256).hexdigest()
    return digest[:BLIND_INDEX_LENGTH]
