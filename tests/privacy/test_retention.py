"""The retention run erases the personal data of cases closed longer than their organisation's period,
keeps the anonymous statistics, and leaves an audit event with ids only."""

import datetime
from decimal import Decimal

import pytest

from casework.audit.models import AccessEvent, Action
from casework.cases.models import Case, CaseDocument, CaseEvent, CaseNote, DeportationDetail, StatusChange, WageDetail
from casework.cases.services import case_set_status
from casework.lib.storage import documents_dir
from casework.clients.models import Client
from casework.deadlines.models import Deadline, DeadlineChange
from casework.privacy import services, tasks
from config.celery import app
from tests.factories import CaseFactory
from tests.privacy.conftest import FAMILY_NAME, SECRET, close, years_ago


def erased(case: Case) -> bool:
    return hasattr(Case.objects.get(pk=case.pk), "erasure")


def test_only_cases_closed_longer_than_the_period_are_erased(alice, kodirov, old_case, other_org, erin):
    just_five_years = close(CaseFactory(assigned_to=alice, client=kodirov), on=years_ago(5), by=alice)
    four_years = close(CaseFactory(assigned_to=alice, client=kodirov), on=years_ago(4), by=alice)
    still_open = CaseFactory(assigned_to=alice, client=kodirov)
    other_org.retention_years = 10
    other_org.save()
    kept_ten_years = close(CaseFactory(assigned_to=erin), on=years_ago(6), by=erin)

    assert services.retention_run() == (1, 0)

    assert erased(old_case)
    for case in (just_five_years, four_years, still_open, kept_ten_years):
        assert not erased(case)


def test_statistics_stay_and_personal_fields_go(alice, old_case, django_capture_on_commit_callbacks):
    files = list(CaseDocument.objects.filter(case=old_case).values_list("storage_name", flat=True))
    assert files and all((documents_dir() / name).exists() for name in files)
    before = Case.objects.values("case_type", "jurisdiction", "opened_on", "closed_on", "status", "outcome").get(pk=old_case.pk)

    with django_capture_on_commit_callbacks(execute=True):
        services.retention_run()

    assert Case.objects.values(*before).get(pk=old_case.pk) == before
    assert before["outcome"] == Case.Outcome.REMOVAL_STOPPED
    detail = DeportationDetail.objects.get(case=old_case)
    assert detail.removal_kind == "extradition" and detail.requesting_state == "Uzbekistan"
    assert (detail.charges, detail.detention_place, detail.detained_from, detail.detained_until) == ("", "", None, None)
    assert list(CaseEvent.objects.filter(case=old_case).values_list("kind", "occurred_on", "note")) == [
        ("decision_served", datetime.date(2019, 3, 2), "")
    ]
    assert list(CaseNote.objects.filter(case=old_case).values_list("text", flat=True)) == [""]
    assert not CaseDocument.objects.filter(case=old_case).exists()
    assert not any((documents_dir() / name).exists() for name in files)
    assert set(StatusChange.objects.filter(case=old_case).values_list("reason", flat=True)) == {""}
    # The deadline added by hand, and the proposal of its event, dismissed when the case was closed.
    assert set(Deadline.objects.filter(case=old_case).values_list("title", "status")) == {("", "waived"), ("", "dismissed")}
    assert set(DeadlineChange.objects.filter(deadline__case=old_case).values_list("reason", flat=True)) == {""}
    client = Client.objects.get(pk=old_case.client_id)
    assert (client.family_name, client.given_names, client.date_of_birth, client.addresses) == ("", "", None, "")
    assert client.nationality == "Uzbekistan"  # kept for statistics


def test_wage_statistics_stay(alice, kodirov, fill):
    case = fill(CaseFactory(assigned_to=alice, client=kodirov, case_type=Case.Type.UNPAID_WAGES), alice)
    close(case, on=years_ago(7), by=alice, outcome=Case.Outcome.WAGES_PARTLY_RECOVERED)

    services.retention_run()

    wages = WageDetail.objects.get(case=case)
    assert wages.intermediary == ""
    assert (wages.sector, wages.currency, wages.amount_owed, wages.amount_recovered) == (
        "construction", "RUB", Decimal("120000.00"), Decimal("30000.00"))
    assert (wages.work_from, wages.work_to) == (datetime.date(2018, 4, 1), datetime.date(2018, 11, 30))
    assert Case.objects.get(pk=case.pk).outcome == Case.Outcome.WAGES_PARTLY_RECOVERED


def test_the_client_stays_while_another_case_of_theirs_holds_data(alice, kodirov, old_case):
    newer = close(CaseFactory(assigned_to=alice, client=kodirov), on=years_ago(2), by=alice)

    services.retention_run()

    assert erased(old_case)
    assert Client.objects.get(pk=kodirov.pk).family_name == FAMILY_NAME
    assert not hasattr(Client.objects.get(pk=kodirov.pk), "erasure")

    Case.objects.filter(pk=newer.pk).update(closed_on=years_ago(5, days=1))
    services.retention_run()
    assert Client.objects.get(pk=kodirov.pk).family_name == ""


def test_a_client_who_never_had_a_case_goes_after_the_period(org, alice, kodirov):
    Client.objects.filter(pk=kodirov.pk).update(created_at=datetime.datetime(2019, 1, 1, tzinfo=datetime.UTC))

    assert services.retention_run(today=datetime.date(2024, 1, 1)) == (0, 0)
    assert services.retention_run(today=datetime.date(2024, 1, 2)) == (0, 1)
    assert Client.objects.get(pk=kodirov.pk).family_name == ""


def test_a_reopened_case_is_erased_again_after_its_new_closing(alice, old_case):
    services.retention_run()
    case_set_status(case=old_case, status=Case.Status.ACTIVE, changed_by=alice, reason="Клиент вернулся")
    assert services.retention_run() == (0, 0)
    close(Case.objects.get(pk=old_case.pk), on=years_ago(5, days=30), by=alice)

    assert services.retention_run() == (1, 0)
    assert set(StatusChange.objects.filter(case=old_case).values_list("reason", flat=True)) == {""}


def test_the_daily_task_is_idempotent_and_audited(old_case, eager_celery):
    tasks.retention_sweep.delay()
    tasks.retention_sweep.delay()

    assert erased(old_case)
    events = AccessEvent.objects.filter(action=Action.ERASE)
    assert list(events.filter(case=old_case).values_list("actor", "organisation", "detail")) == [
        (None, old_case.organisation_id, "reason=retention")
    ]
    assert list(events.filter(case=None).values_list("detail", flat=True)) == [
        f"client={old_case.client.public_id} reason=retention"
    ]
    assert not any(FAMILY_NAME in detail or SECRET in detail for detail in events.values_list("detail", flat=True))


def test_the_task_takes_ids_only_and_beat_runs_the_sweep_daily():
    entry = app.conf.beat_schedule["retention-sweep"]
    assert entry["task"] == tasks.retention_sweep.name
    assert "args" not in entry and "kwargs" not in entry
    assert tasks.retention_erase.name in app.tasks


@pytest.mark.parametrize("years", [1, 3])
def test_the_period_is_the_organisations(org, alice, kodirov, years):
    org.retention_years = years
    org.save()
    inside = close(CaseFactory(assigned_to=alice, client=kodirov), on=years_ago(years), by=alice)
    past = close(CaseFactory(assigned_to=alice, client=kodirov), on=years_ago(years, days=1), by=alice)

    services.retention_run()

    assert erased(past) and not erased(inside)
