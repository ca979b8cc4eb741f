"""A client with a case of each type full of personal data, closing in the past, and eager Celery."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from casework.cases import services as case_services
from casework.cases.models import OUTCOMES_BY_TYPE, AsylumDecision, Case, InterimMeasure, WageClaim
from casework.deadlines import services as deadline_services
from casework.privacy import selectors
from config.celery import app
from tests.factories import CaseFactory, ClientFactory
from tests.hashers import quick_password_hashing  # noqa: F401  (autouse)

FAMILY_NAME, GIVEN_NAMES, BORN = "Қодиров", "Алишер", datetime.date(1990, 5, 17)
# Written into every personal field of the case records, so a leftover anywhere is found.
SECRET = "Қодиров скрывается у брата в Подольске"
DOCUMENT_BYTES = "Решение ФМС по делу Қодиров".encode()


def years_ago(years: int, days: int = 0) -> datetime.date:
    today = timezone.localdate()
    return selectors.retention_cutoff(today, years) - datetime.timedelta(days=days)


def close(case: Case, *, on: datetime.date, by, outcome: str = "") -> Case:
    """Close a case through the workflow, then move its closing date into the past."""
    outcome = outcome or next(iter(sorted(OUTCOMES_BY_TYPE[case.case_type])))
    case_services.case_set_status(case=case, status=Case.Status.CLOSED, changed_by=by, outcome=outcome, reason=SECRET)
    Case.objects.filter(pk=case.pk).update(closed_on=on)
    case.refresh_from_db()
    return case


@pytest.fixture
def kodirov(org, alice):
    return ClientFactory(organisation=org, created_by=alice, family_name=FAMILY_NAME, given_names=GIVEN_NAMES,
                         date_of_birth=BORN, phones="+7 916 000 00 00", addresses=SECRET,
                         other_spellings="Kodirov\nQodirov", document_numbers="FA1234567", languages="uz, ru")


@pytest.fixture
def fill():
    """Put personal data into every kind of record a case of its type holds."""

    def _fill(case: Case, user) -> Case:
        event = case_services.event_record(case=case, kind="decision_served", occurred_on=datetime.date(2019, 3, 2),
                                           recorded_by=user, note=SECRET)
        case_services.note_add(case=case, text=SECRET, author=user)
        case_services.document_upload(case=case, upload=SimpleUploadedFile("решение.txt", DOCUMENT_BYTES),
                                 title=SECRET, uploaded_by=user)
        deadline = deadline_services.deadline_create_manual(case=case, title=SECRET, due_date=datetime.date(2019, 4, 1),
                                                            created_by=user)
        deadline_services.deadline_complete(deadline=deadline, status="waived", completed_by=user,
                                            completed_on=datetime.date(2019, 3, 20), note=SECRET)
        if case.case_type == Case.Type.ASYLUM:
            case_services.details_update(case=case, changed_by=case.assigned_to, country_of_origin="Uzbekistan", arrival_date=datetime.date(2018, 1, 5))
            case_services.record_add(case=case, changed_by=case.assigned_to, model=AsylumDecision, stage="first_decision", decided_on=event.occurred_on,
                                outcome="refused", refusal_grounds=["illegal_entry"])
        elif case.case_type == Case.Type.DEPORTATION:
            case_services.details_update(case=case, changed_by=case.assigned_to, removal_kind="extradition", requesting_state="Uzbekistan",
                                    charges=SECRET, detention_place=SECRET, detained_from=datetime.date(2019, 2, 1),
                                    detained_until=datetime.date(2019, 8, 1))
            case_services.record_add(case=case, changed_by=case.assigned_to, model=InterimMeasure, body="echr_rule39", requested_on=datetime.date(2019, 2, 3),
                                status="refused", decided_on=datetime.date(2019, 2, 4))
        else:
            case_services.details_update(case=case, changed_by=case.assigned_to, new_employer_name="ООО Стройинвест", intermediary=SECRET,
                                    sector="construction", currency="RUB", amount_owed=Decimal("120000.00"),
                                    amount_recovered=Decimal("30000.00"), work_from=datetime.date(2018, 4, 1),
                                    work_to=datetime.date(2018, 11, 30))
            case_services.record_add(case=case, changed_by=case.assigned_to, model=WageClaim, forum="labour_inspectorate", filed_on=datetime.date(2019, 1, 10),
                                outcome="partly_upheld", decided_on=datetime.date(2019, 3, 1))
        return case

    return _fill


@pytest.fixture
def old_case(alice, kodirov, fill):
    """A deportation case full of personal data, closed six years ago."""
    case = CaseFactory(assigned_to=alice, client=kodirov, case_type=Case.Type.DEPORTATION, removal_kind="extradition",
                       opened_on=datetime.date(2019, 1, 15))
    fill(case, alice)
    return close(case, on=years_ago(6), by=alice, outcome=Case.Outcome.REMOVAL_STOPPED)


@pytest.fixture
def eager_celery():
    """Tasks run in the test's process and transaction, as a worker would run them."""
    previous = app.conf.task_always_eager, app.conf.task_eager_propagates
    app.conf.task_always_eager = app.conf.task_eager_propagates = True
    yield
    app.conf.task_always_eager, app.conf.task_eager_propagates = previous
