import time

import pytest

from tests.hashers import quick_password_hashing  # noqa: F401  (autouse)


class Clock:
    """The clock the session rules read (idle timeout, session fence, step-up age), moved forward by
    tests instead of waiting. Authenticator codes keep real time, as a phone does."""

    def __init__(self):
        self.offset = 0.0

    def time(self) -> float:
        return time.time() + self.offset

    def advance(self, *, minutes: float) -> None:
        self.offset += minutes * 60


@pytest.fixture
def clock(monkeypatch):
    from casework.security import middleware, services, sessions, signals

    fake = Clock()
    for module in (middleware, services, sessions, signals):
        monkeypatch.setattr(module, "time", fake)
    return fake
