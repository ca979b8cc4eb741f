"""Case references: random and unguessable, safe to read aloud, the only case id a URL carries."""

import re
import secrets

# No 0/O, 1/I/L, 5/S, 2/Z: references are read aloud on the phone and copied by hand.
REFERENCE_ALPHABET = "346789ABCDEFGHJKMNPQRTUVWXY"
# What a URL may carry; anything else (a NUL byte would be a database error) is not a case.
REFERENCE = re.compile(r"[0-9A-Z]{3}-[0-9A-Z]{3}-[0-9A-Z]{3}")
# What a person may type into a search box or filter: dashes optional, any case.
TYPED_REFERENCE = re.compile(r"^[0-9A-Z]{3}-?[0-9A-Z]{3}-?[0-9A-Z]{3}$")


def new_reference() -> str:
    """Random, unguessable (27^9 ≈ 7.6e12) reference such as 'K7Q-4FD-93X'."""
    chars = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(9))
    return f"{chars[:3]}-{chars[3:6]}-{chars[6:]}"


def is_reference(value: str) -> bool:
    return bool(REFERENCE.fullmatch(value))
