"""Password hashing cheap enough for tests that create many users.

Production Argon2 costs ~0.2 s a hash; at five users a test that is most of the suite's time. The
hasher below is still Argon2 (same algorithm, same stored prefix) with minimal costs. The test that
checks how passwords are stored uses the real settings (tests/test_auth.py).
"""

import pytest
from django.contrib.auth.hashers import Argon2PasswordHasher


class QuickArgon2PasswordHasher(Argon2PasswordHasher):
    time_cost = 1
    memory_cost = 8
    parallelism = 1


@pytest.fixture(autouse=True)
def quick_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["tests.hashers.QuickArgon2PasswordHasher", *settings.PASSWORD_HASHERS]
