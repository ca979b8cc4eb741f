"""Dates no one could mean (`0001-01-01`, `9999-12-31`) are refused with a message wherever a date is typed,
and by the services behind the forms, before anything is stored or a reminder computed from them."""

import datetime
import importlib
import pkgutil
import uuid

import pytest
from django import forms
from django.core.exceptions import ValidationError

import casework
from casework.cases.models import AsylumDetail, CaseEvent
from casework.cases.services import case_create, event_record
from casework.clients.models import Client
from casework.clients.services import client_create
from casework.deadlines import services as deadlines
from casework.deadlines.models import Deadline, DeadlineChange, Reminder
from casework.lib.dates import validate_plausible_date
from tests.factories import CaseFactory
from tests.pages import errors_shown

MESSAGE = "Enter a date between 1900 and 2100."
FAR = ["9999-12-31", "0001-01-01"]
DATE_FIELDS = (forms.DateField, forms.DateTimeField, forms.SplitDateTimeField)


def project_forms() -> list[type[forms.BaseForm]]:
    """Every form class defined in the project's code, found by importing all of it."""
    for module in pkgutil.walk_packages(casework.__path__, "casework."):
        if ".migrations" not in module.name:
            importlib.import_module(module.name)
    found, todo = [], [forms.BaseForm]
    while todo:
        for subclass in todo.pop().__subclasses__():
            todo.append(subclass)
            if subclass.__module__.startswith("casework."):
                found.append(subclass)
    return found


def test_every_date_field_of_every_form_is_bounded():
    classes = project_forms()
    names = {cls.__name__ for cls in classes}
    # The walk sees plain forms and ModelForms, with declared and model-made date fields.
    assert {"ManualDeadlineForm", "DeadlineEditForm", "EventForm", "ClientForm", "DeportationDetailForm"} <= names
    dated = {
        f"{cls.__module__}.{cls.__name__}.{name}": validate_plausible_date in field.validators
        for cls in classes for name, field in cls.base_fields.items() if isinstance(field, DATE_FIELDS)
    }
    assert "casework.cases.forms.DeportationDetailForm.scheduled_removal_at" in dated
    assert [name for name, bounded in dated.items() if not bounded] == []


# --- Through the pages ------------------------------------------------------------------------------


@pytest.fixture
def deadline(alice_case, alice):
    return deadlines.deadline_create_manual(case=alice_case, title="Lodge the appeal",
                                            due_date=datetime.date(2030, 5, 1), created_by=alice)


def _state(case):
    """What any of the posts below could change."""
    return (
        list(Deadline.objects.order_by("pk").values_list("due_date", "status")),
        DeadlineChange.objects.count(),
        list(Reminder.objects.order_by("pk").values_list("due_at", "status")),
        CaseEvent.objects.count(),
        Client.objects.count(),
        AsylumDetail.objects.filter(case=case).values_list("arrival_date", flat=True).get(),
    )


FORMS = {
    "manual deadline": lambda case, d, value: (
        f"/cases/{case.reference}/deadlines/new/",
        {"title": "Hearing", "due_date": value, "submission_token": str(uuid.uuid4())}),
    "deadline edit": lambda case, d, value: (
        f"/cases/{case.reference}/deadlines/{d.pk}/edit/", {"due_date": value, "reason": "Extension granted"}),
    "deadline close": lambda case, d, value: (
        f"/cases/{case.reference}/deadlines/{d.pk}/close/", {"status": "met", "completed_on": value}),
    "event": lambda case, d, value: (
        f"/cases/{case.reference}/events/new/",
        {"kind": "arrival", "occurred_on": value, "submission_token": str(uuid.uuid4())}),
    "client date of birth": lambda case, d, value: (
        "/clients/new/", {"family_name": "Kodirov", "date_of_birth": value, "submission_token": str(uuid.uuid4())}),
    "case details": lambda case, d, value: (
        f"/cases/{case.reference}/details/", {"procedure": "national", "stage": "application", "arrival_date": value}),
}


@pytest.mark.parametrize("value", FAR)
@pytest.mark.parametrize("form", FORMS)
def test_a_far_date_is_refused_with_a_message_and_changes_nothing(login, alice, alice_case, deadline, form, value):
    url, data = FORMS[form](alice_case, deadline, value)
    before = _state(alice_case)
    response = login(alice).post(url, data)
    assert response.status_code == 200
    assert MESSAGE in errors_shown(response)
    assert _state(alice_case) == before


def test_the_message_comes_in_russian(login, alice, alice_case):
    client = login(alice)
    client.post("/i18n/setlang/", {"language": "ru", "next": "/"})
    response = client.post(f"/cases/{alice_case.reference}/deadlines/new/",
                           {"title": "Суд", "due_date": "9999-12-31", "submission_token": str(uuid.uuid4())})
    assert "Введите дату между 1900 и 2100 годами." in errors_shown(response)


# --- Straight to the services (scripts, a future API) ----------------------------------------------------


FAR_DATES = [datetime.date(9999, 12, 31), datetime.date(1, 1, 1)]
SERVICES = {
    "deadline_create_manual": lambda case, d, day, user: deadlines.deadline_create_manual(
        case=case, title="Hearing", due_date=day, created_by=user),
    "deadline_edit": lambda case, d, day, user: deadlines.deadline_edit(
        deadline=d, due_date=day, changed_by=user, reason="Extension granted"),
    "deadline_complete": lambda case, d, day, user: deadlines.deadline_complete(
        deadline=d, status="met", completed_by=user, completed_on=day),
    "event_record": lambda case, d, day, user: event_record(
        case=case, kind="arrival", occurred_on=day, recorded_by=user),
    "client_create": lambda case, d, day, user: client_create(
        organisation=case.organisation, created_by=user, family_name="Kodirov", date_of_birth=day),
    "case_create": lambda case, d, day, user: case_create(
        organisation=case.organisation, client=case.client, case_type="asylum", jurisdiction="RU",
        assigned_to=user, created_by=user, opened_on=day),
}


@pytest.mark.parametrize("day", FAR_DATES, ids=str)
@pytest.mark.parametrize("service", SERVICES)
def test_a_service_refuses_a_far_date(alice, alice_case, deadline, service, day):
    before = _state(alice_case)
    with pytest.raises(ValidationError) as refused:
        SERVICES[service](alice_case, deadline, day, alice)
    assert MESSAGE in " ".join(refused.value.messages)
    assert _state(alice_case) == before


@pytest.mark.parametrize("day", FAR_DATES, ids=str)
def test_reminders_are_not_scheduled_for_a_far_date_stored_by_other_means(alice, deadline, day):
    """Rows written around the services (an import, a data fix) still cannot make the scheduler overflow."""
    deadline.due_date = day
    deadline.save(update_fields=["due_date"])
    before = list(Reminder.objects.values_list("pk", "due_at", "status"))
    with pytest.raises(ValidationError):
        deadlines.reminders_schedule(deadline=deadline)
    assert list(Reminder.objects.values_list("pk", "due_at", "status")) == before


def test_a_confirmed_proposal_refuses_a_far_date(alice, org):
    case = CaseFactory(assigned_to=alice, jurisdiction="AM", case_type="asylum")
    event = event_record(case=case, kind="final_domestic_decision", occurred_on=datetime.date(2025, 3, 10),
                         recorded_by=alice)
    with pytest.raises(ValidationError) as refused:
        deadlines.deadline_confirm(event=event, rule_id="echr-art35-4-months", confirmed_by=alice,
                                   due_date=datetime.date(9999, 12, 31), reason="Typed by a script",
                                   late_acknowledged=True)
    assert MESSAGE in " ".join(refused.value.messages)
    # The proposal recording the event stored is left waiting, as it was.
    [proposal] = Deadline.objects.filter(trigger_event=event)
    assert (proposal.status, proposal.due_date) == ("proposed", datetime.date(2025, 7, 10))
    assert list(proposal.changes.values_list("action", flat=True)) == ["proposed"]
