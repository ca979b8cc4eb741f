import datetime

import pytest
from django.utils import timezone

from tests.hashers import quick_password_hashing  # noqa: F401  (autouse)


class Clock:
    """Every clock the app and the simulated phone read (time.time(), timezone.now()) standing still at
    the moment the test began, moved only by the test: idle timeouts, sign-in and step-up ages and
    code throttling never depend on how fast the machine runs the test."""

    def __init__(self, traveller):
        self._traveller = traveller

    def advance(self, *, minutes: float = 0, seconds: float = 0) -> None:
        self._traveller.shift(datetime.timedelta(minutes=minutes, seconds=seconds))


@pytest.fixture
def clock(time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    return Clock(time_machine)
