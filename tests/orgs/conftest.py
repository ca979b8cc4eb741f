from tests.hashers import quick_password_hashing  # noqa: F401  (autouse)
