"""Fixtures for the deadline app: cases of any country and type, events recorded through the case
services, deadlines made through the deadline services."""

import datetime

import pytest
from django.utils import timezone

from casework.cases.services import event_record
from casework.deadlines import services
from tests.factories import CaseFactory
from tests.hashers import quick_password_hashing  # noqa: F401  (autouse)

D = datetime.date.fromisoformat


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def make_case(alice):
    def _make(*, assigned_to=None, case_type="asylum", **kwargs):
        if case_type == "deportation":
            kwargs.setdefault("removal_kind", "deportation")
        return CaseFactory(assigned_to=assigned_to or alice, case_type=case_type, **kwargs)

    return _make


@pytest.fixture
def record():
    def _record(case, kind, occurred_on, by=None):
        return event_record(case=case, kind=kind, occurred_on=occurred_on, recorded_by=by or case.assigned_to)

    return _record


@pytest.fixture
def manual(alice):
    """A deadline added by hand on a case, due on the given date."""

    def _manual(case, due_date, title="Lodge the appeal"):
        return services.deadline_create_manual(case=case, title=title, due_date=due_date, created_by=case.assigned_to)

    return _manual
