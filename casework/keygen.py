"""Print fresh local secrets in .env format (used by `make run`; production keys are made the same way).

Kept free of Django so it runs before any settings exist.
"""

import secrets

from cryptography.fernet import Fernet


def main() -> None:
    print(f"SECRET_KEY={secrets.token_urlsafe(50)}")
    print(f"FIELD_ENCRYPTION_KEY={Fernet.generate_key().decode()}")
    print(f"BLIND_INDEX_KEY={secrets.token_urlsafe(48)}")


if __name__ == "__main__":
    main()
