"""A case on legal hold keeps its personal data past retention: an open deadline, an interim measure
pending or in force, a European Court application, or a hold placed by hand; released, it goes."""

import datetime

import pytest
from django.core.management import call_command

from casework.cases import services as case_services
from casework.cases.models import Case, InterimMeasure
from casework.deadlines import services as deadline_services
from casework.deadlines.models import Deadline
from casework.privacy import services
from casework.privacy.models import LegalHold
from tests.pages import body, errors_shown, messages_shown
from tests.privacy.conftest import SECRET


def hold_open_deadline(case, user):
    deadline_services.deadline_create_manual(case=case, title="Жалоба", due_date=datetime.date(2019, 5, 1), created_by=user)
    return lambda: Deadline.objects.filter(case=case).update(status=Deadline.Status.MET)


def hold_interim_measure(status):
    def _hold(case, user):
        case_services.record_add(case=case, changed_by=case.assigned_to, model=InterimMeasure, body="un_cat", requested_on=datetime.date(2019, 2, 1), status=status)
        return lambda: InterimMeasure.objects.filter(case=case).update(status=InterimMeasure.Status.LIFTED)
    return _hold


def hold_european_court(case, user):
    case_services.details_update(case=case, changed_by=case.assigned_to, removal_kind="extradition", echr_application_no="12345/19")
    return lambda: case_services.details_update(case=case, changed_by=case.assigned_to, removal_kind="extradition", echr_application_no="")


def hold_by_hand(case, user):
    hold = services.legal_hold_place(case=case, reason="Иск против ФСИН", placed_by=user)
    return lambda: services.legal_hold_release(hold=hold, released_by=user)


HOLDS = {
    "open deadline": hold_open_deadline,
    "pending interim measure": hold_interim_measure(InterimMeasure.Status.PENDING),
    "interim measure in force": hold_interim_measure(InterimMeasure.Status.GRANTED),
    "european court application": hold_european_court,
    "hold placed by hand": hold_by_hand,
}


@pytest.mark.parametrize("place", HOLDS.values(), ids=HOLDS.keys())
def test_a_held_case_is_kept_until_the_hold_ends(alice, old_case, place):
    release = place(old_case, alice)

    assert services.retention_run() == (0, 0)
    assert not hasattr(Case.objects.get(pk=old_case.pk), "erasure")
    assert Case.objects.get(pk=old_case.pk).deportation.charges == SECRET

    release()
    assert services.retention_run() == (1, 0)


def test_the_dry_run_names_what_holds_a_case(alice, old_case, capsys):
    hold_by_hand(old_case, alice)
    call_command("retention", "--dry-run")
    out = capsys.readouterr().out
    assert "Would erase 0 case(s)" in out
    assert f"{old_case.reference}  closed {old_case.closed_on:%Y-%m-%d}  held by a legal hold placed by hand" in out


def test_alice_places_and_releases_a_hold(login, alice, old_case):
    client = login(alice)
    url = f"/cases/{old_case.reference}/legal-holds/"

    assert "Nothing holds this case" in body(client.get(url))
    response = client.post(url, {"reason": "Жалоба в КПП ООН готовится"}, follow=True)
    assert "Legal hold placed." in messages_shown(response)
    assert "Жалоба в КПП ООН готовится" in body(response)
    hold = LegalHold.objects.get(case=old_case)
    assert hold.placed_by == alice and hold.is_active

    confirm = client.get(f"{url}{hold.pk}/release/")
    assert "Жалоба в КПП ООН готовится" in body(confirm)
    response = client.post(f"{url}{hold.pk}/release/", follow=True)
    assert "Legal hold released." in messages_shown(response)
    hold.refresh_from_db()
    assert hold.released_by == alice and not hold.is_active
    assert client.post(f"{url}{hold.pk}/release/").status_code == 404


def test_a_hold_needs_a_reason(login, alice, old_case):
    response = login(alice).post(f"/cases/{old_case.reference}/legal-holds/", {"reason": " "})
    assert errors_shown(response)
    assert not LegalHold.objects.exists()


def test_the_case_page_says_what_holds_it_and_links_the_holds(login, alice, old_case):
    hold_by_hand(old_case, alice)
    page = body(login(alice).get(f"/cases/{old_case.reference}/"))
    assert "a legal hold placed by hand" in page
    assert f'href="/cases/{old_case.reference}/legal-holds/"' in page


@pytest.mark.parametrize("who", ["charlie", "erin", "dana", "carol"])
def test_only_people_who_work_on_the_case_see_or_change_its_holds(request, login, alice, old_case, who):
    hold = services.legal_hold_place(case=old_case, reason="Иск против ФСИН", placed_by=alice)
    client = login(request.getfixturevalue(who))
    url = f"/cases/{old_case.reference}/legal-holds/"
    for response in (client.get(url), client.post(url, {"reason": "x"}), client.post(f"{url}{hold.pk}/release/")):
        assert response.status_code in (403, 404)
        assert "Иск против ФСИН" not in body(response)
    assert list(LegalHold.objects.values_list("released_at", flat=True)) == [None]


def test_a_coordinator_not_named_on_a_sensitive_case_cannot_see_its_holds(login, alice, bob, old_case):
    Case.objects.filter(pk=old_case.pk).update(is_sensitive=True)
    assert login(bob).get(f"/cases/{old_case.reference}/legal-holds/").status_code == 404


def test_a_partner_with_edit_rights_cannot_place_holds(login, alice, dana, charlie, old_case):
    from casework.cases.services import case_grant

    case_grant(case=old_case, granted_by=dana, level="edit", user=charlie)
    response = login(charlie).post(f"/cases/{old_case.reference}/legal-holds/", {"reason": "x"})
    assert response.status_code == 403
    assert not LegalHold.objects.exists()
