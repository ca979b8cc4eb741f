"""The type of a case is fixed when it is opened: changing it is refused with a message that says what
to do instead."""

import pytest

from casework.cases.models import AsylumDetail, Case
from tests.pages import errors_shown


@pytest.mark.parametrize("case_type, new_type", [("asylum", "unpaid_wages"), ("unpaid_wages", "deportation"),
                                                 ("deportation", "asylum")])
def test_changing_the_type_is_refused(login, alice, case_of_type, case_type, new_type):
    case = case_of_type(case_type)
    response = login(alice).post(f"/cases/{case.reference}/edit/", {"case_type": new_type, "jurisdiction": "KZ"})
    assert response.status_code == 200
    assert ("The type of a case cannot be changed. Close this case and open a new one of the right type."
            in errors_shown(response))
    case = Case.objects.get(pk=case.pk)
    assert (case.case_type, case.jurisdiction) == (case_type, "RU")


def test_the_same_type_saves_other_changes(login, alice, asylum_case):
    response = login(alice).post(f"/cases/{asylum_case.reference}/edit/", {"case_type": "asylum", "jurisdiction": "KZ"})
    assert response.status_code == 302
    assert Case.objects.get(pk=asylum_case.pk).jurisdiction == "KZ"
    assert AsylumDetail.objects.filter(case=asylum_case).exists()


def test_the_edit_form_says_the_type_cannot_change(login, alice, asylum_case):
    page = login(alice).get(f"/cases/{asylum_case.reference}/edit/").content.decode()
    assert "Cannot be changed after the case is opened." in page
