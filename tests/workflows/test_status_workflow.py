"""Open → active → closed with an outcome of the case's type; reopening needs a reason, clears the
outcome, and every move is listed with who made it."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from casework.cases import services as case_services
from casework.cases.models import Case, StatusChange
from tests.pages import body, errors_shown, text


def set_status(client, case, **data):
    return client.post(f"/cases/{case.reference}/status/", data)


def history(client, case) -> str:
    page = body(client.get(f"/cases/{case.reference}/"))
    return text(page[page.index('id="history"'):]) if 'id="history"' in page else ""


def test_open_active_closed_with_an_outcome(login, alice, asylum_case):
    client = login(alice)
    assert set_status(client, asylum_case, status="active").status_code == 302
    response = set_status(client, asylum_case, status="closed", outcome="protection_granted")
    assert response.status_code == 302 and response["Location"] == f"/cases/{asylum_case.reference}/"
    case = Case.objects.get(pk=asylum_case.pk)
    assert (case.status, case.outcome, case.closed_on) == ("closed", "protection_granted", timezone.localdate())
    page = text(body(client.get(f"/cases/{case.reference}/")))
    assert "Closed" in page and "Protection granted" in page


def test_closing_without_an_outcome_is_refused(login, alice, asylum_case):
    response = set_status(login(alice), asylum_case, status="closed")
    assert response.status_code == 200
    assert "Choose the outcome of the case to close it." in errors_shown(response)
    case = Case.objects.get(pk=asylum_case.pk)
    assert (case.status, case.closed_on) == ("open", None)
    assert not StatusChange.objects.exists()


@pytest.mark.parametrize("case_type, foreign_outcome", [
    ("asylum", "wages_recovered"), ("unpaid_wages", "protection_granted"), ("deportation", "wages_not_recovered"),
])
def test_an_outcome_of_another_case_type_is_refused(login, alice, case_of_type, case_type, foreign_outcome):
    case = case_of_type(case_type)
    response = set_status(login(alice), case, status="closed", outcome=foreign_outcome)
    assert response.status_code == 200 and errors_shown(response)
    assert Case.objects.get(pk=case.pk).status == "open"


def test_the_service_refuses_an_outcome_of_another_case_type(alice, asylum_case):
    with pytest.raises(ValidationError) as error:
        case_services.case_set_status(case=asylum_case, status="closed", outcome="wages_recovered", changed_by=alice)
    assert "outcome" in error.value.message_dict
    assert Case.objects.get(pk=asylum_case.pk).status == "open"


def test_the_status_form_offers_only_outcomes_of_the_case_type(login, alice, wages_case):
    page = body(login(alice).get(f"/cases/{wages_case.reference}/status/"))
    assert 'value="wages_partly_recovered"' in page and 'value="withdrawn"' in page
    assert 'value="protection_granted"' not in page and 'value="removal_stopped"' not in page


def test_reopening_needs_a_reason_and_clears_the_outcome(login, alice, bob, wages_case):
    case_services.case_set_status(case=wages_case, status="closed", outcome="wages_not_recovered", changed_by=alice)
    client = login(bob)
    response = set_status(client, wages_case, status="active", reason="  ")
    assert response.status_code == 200 and "Say why the case is reopened." in errors_shown(response)
    assert Case.objects.get(pk=wages_case.pk).status == "closed"

    response = set_status(client, wages_case, status="active", reason="Работодатель согласился заплатить")
    assert response.status_code == 302
    case = Case.objects.get(pk=wages_case.pk)
    assert (case.status, case.outcome, case.closed_on) == ("active", "", None)


def test_the_status_history_lists_each_move_with_who(login, alice, bob, asylum_case):
    set_status(login(alice), asylum_case, status="closed", outcome="withdrawn")
    client = login(bob)
    set_status(client, asylum_case, status="open", reason="Клиентка вернулась")
    shown = history(client, asylum_case)
    assert f"Open → Closed {alice.get_full_name() or alice.username}" in shown
    assert f"Closed → Open · Клиентка вернулась {bob.get_full_name() or bob.username}" in shown
    assert shown.index("Closed → Open") < shown.index("Open → Closed")
    moves = list(StatusChange.objects.order_by("pk").values_list("from_status", "to_status", "outcome", "changed_by"))
    assert moves == [("open", "closed", "withdrawn", alice.pk), ("closed", "open", "", bob.pk)]


def test_the_same_status_again_is_not_offered(login, alice, asylum_case):
    response = set_status(login(alice), asylum_case, status="open")
    assert response.status_code == 200 and "Select a valid choice" in errors_shown(response)
    assert not StatusChange.objects.exists()


def test_someone_who_cannot_edit_the_case_cannot_close_it(login, carol, charlie, asylum_case):
    for user in (carol, charlie):
        assert set_status(login(user), asylum_case, status="closed", outcome="withdrawn").status_code == 404
    assert Case.objects.get(pk=asylum_case.pk).status == "open"
