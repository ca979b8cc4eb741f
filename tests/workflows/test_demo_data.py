"""The demo data shows every workflow: the three case types with timelines, Cyrillic and Latin names,
a closed case with its outcome and an urgent removal; loading it twice changes nothing."""

import datetime
import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from casework.cases.models import Case, CaseEvent, CaseNote, Employer, StatusChange, WageDetail
from casework.cases.selectors import with_urgency
from casework.clients.models import Client
from casework.deadlines.models import Deadline
from casework.orgs.models import Membership, Organisation

CYRILLIC = re.compile(r"[\u0400-\u04FF]")
LATIN = re.compile(r"[A-Za-z]")

# The demo data is what the SQLite quick run (`make run`) loads.
pytestmark = pytest.mark.sqlite


def counts() -> dict:
    return {model.__name__: model.objects.count()
            for model in (Organisation, Membership, Client, Case, CaseEvent, CaseNote, StatusChange, Employer)}


def test_demo_data_covers_every_workflow(db):
    call_command("seed_demo", force=True, stdout=io.StringIO())
    cases = list(with_urgency(Case.objects.all()).select_related("client"))
    assert {case.case_type for case in cases} == set(Case.Type.values)
    for case_type in Case.Type.values:
        typed = [case for case in cases if case.case_type == case_type]
        assert any(CaseEvent.objects.filter(case=case).count() >= 3 for case in typed), case_type
    family_names = [client.family_name for client in Client.objects.all()]
    assert any(CYRILLIC.search(name) for name in family_names)
    assert any(LATIN.search(name) and not CYRILLIC.search(name) for name in family_names)
    closed = [case for case in cases if case.status == "closed"]
    assert closed and all(case.outcome and case.closed_on for case in closed)
    assert StatusChange.objects.filter(case__in=closed, to_status="closed").exists()
    assert any(case.is_urgent for case in cases if case.case_type == "deportation")
    assert WageDetail.objects.filter(amount_recovered__gt=0, amount_owed__gt=0).exists()
    assert any(employer.wage_cases.count() > 1 for employer in Employer.objects.all()), "a reused employer"


def test_loading_twice_does_not_duplicate(db):
    call_command("seed_demo", force=True, stdout=io.StringIO())
    first = counts()
    call_command("seed_demo", force=True, stdout=io.StringIO())
    assert counts() == first


def test_demo_pages_render(client, db):
    call_command("seed_demo", force=True, stdout=io.StringIO())
    alice = Membership.objects.get(user__username="alice").user
    client.force_login(alice)
    response = client.get("/cases/")
    assert response.status_code == 200 and 'class="flag urgent"' in response.content.decode()
    for case in Case.objects.filter(assigned_to=alice):
        assert client.get(f"/cases/{case.reference}/").status_code == 200


def _what_is_waiting() -> dict:
    """Each demo proposal's days to its last day and days waited, and the removal's hours ahead."""
    today, now = timezone.localdate(), timezone.now()
    removal = Case.objects.get(organisation__slug="volga", deportation__scheduled_removal_at__isnull=False)
    return {
        "proposals": sorted(((d.due_date - today).days, (now - d.created_at).days)
                            for d in Deadline.objects.filter(status="proposed")),
        "removal_hours": round((removal.deportation.scheduled_removal_at - now).total_seconds() / 3600),
    }


def test_run_again_weeks_later_the_demo_still_shows_the_removal_and_the_proposals(client, db, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    call_command("seed_demo", force=True, stdout=io.StringIO())
    loaded, opened = _what_is_waiting(), sorted(Case.objects.values_list("opened_on", flat=True))
    assert loaded["proposals"] and 40 <= loaded["removal_hours"] <= 48
    time_machine.move_to(timezone.now() + datetime.timedelta(days=40), tick=False)
    out = io.StringIO()
    call_command("seed_demo", force=True, stdout=out)
    assert "moved on by 40 days" in out.getvalue()
    # The same picture 40 days on: proposals as near and as old, the removal 48 hours ahead again.
    later = _what_is_waiting()["proposals"]
    assert len(later) == len(loaded["proposals"])
    for (due, waited), (due_then, waited_then) in zip(later, loaded["proposals"], strict=True):
        assert waited == waited_then and abs(due - due_then) <= 3  # a last day may roll off a day off
    assert 40 <= _what_is_waiting()["removal_hours"] <= 48
    assert sorted(Case.objects.values_list("opened_on", flat=True)) == [d + datetime.timedelta(days=40) for d in opened]
    client.force_login(Membership.objects.get(user__username="bob").user)
    body = client.get(reverse("deadline_dashboard")).content.decode()
    assert "Scheduled removals" in body and "to confirm" in body
    call_command("seed_demo", force=True, stdout=(out := io.StringIO()))
    assert "up to date" in out.getvalue()
