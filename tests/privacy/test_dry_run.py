"""`manage.py retention --dry-run` lists what would go, by reference and date only, and changes nothing."""

from django.core.management import call_command

from casework.audit.models import AccessEvent
from casework.cases.models import Case, CaseNote
from casework.clients.models import Client
from casework.privacy import selectors
from tests.factories import CaseFactory
from tests.privacy.conftest import FAMILY_NAME, SECRET, close, years_ago


def state():
    return (
        list(Client.objects.values_list("family_name", "full_name_bidx")),
        list(CaseNote.objects.values_list("text", flat=True)),
        list(Case.objects.values_list("reference", "status", "closed_on")),
        AccessEvent.objects.count(),
    )


def test_dry_run_lists_and_changes_nothing(alice, kodirov, old_case, capsys):
    kept = close(CaseFactory(assigned_to=alice, client=kodirov), on=years_ago(3), by=alice)
    before = state()

    call_command("retention", "--dry-run")

    out = capsys.readouterr().out
    assert state() == before
    assert "Would erase 1 case(s):" in out
    assert f"{old_case.reference}  closed {old_case.closed_on:%Y-%m-%d}" in out
    assert kept.reference not in out
    assert FAMILY_NAME not in out and SECRET not in out


def test_the_task_and_the_dry_run_share_one_selector(old_case):
    from django.utils import timezone

    assert list(selectors.cases_due_for_erasure(timezone.localdate())) == [old_case]


def test_without_dry_run_the_command_erases(old_case, capsys):
    call_command("retention")
    assert "Erased the personal data of 1 case(s)" in capsys.readouterr().out
    assert Client.objects.get(pk=old_case.client_id).family_name == ""
