"""Amounts owed and recovered are exact decimals in a currency, never negative, over a work period that
makes sense; the case shows how much of what was owed came back."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from casework.cases import services as case_services
from casework.cases.models import WageDetail
from tests.pages import body, errors_shown, text

WAGES = {"currency": "RUB", "amount_owed": "0", "amount_recovered": "0"}


def post_details(client, case, **data):
    return client.post(f"/cases/{case.reference}/details/", {**WAGES, **data})


def test_amounts_are_exact_decimals_in_the_chosen_currency(login, alice, wages_case):
    response = post_details(login(alice), wages_case, currency="TJS", amount_owed="1234567.89", amount_recovered="0.10")
    assert response.status_code == 302
    detail = WageDetail.objects.get(case=wages_case)
    assert detail.currency == "TJS"
    assert isinstance(detail.amount_owed, Decimal) and detail.amount_owed == Decimal("1234567.89")
    assert detail.amount_recovered + detail.amount_recovered == Decimal("0.20")


def test_a_currency_outside_the_list_is_refused(login, alice, wages_case):
    response = post_details(login(alice), wages_case, currency="BTC", amount_owed="10")
    assert response.status_code == 200 and errors_shown(response)
    assert WageDetail.objects.get(case=wages_case).amount_owed == 0


@pytest.mark.parametrize("field", ["amount_owed", "amount_recovered"])
def test_a_negative_amount_is_an_error_and_nothing_is_saved(login, alice, wages_case, field):
    client = login(alice)
    response = post_details(client, wages_case, **{field: "-100.00"}, intermediary="Посредник", sector="trade")
    assert response.status_code == 200
    assert "negative" in errors_shown(response) or "greater than or equal to 0" in errors_shown(response)
    detail = WageDetail.objects.get(case=wages_case)
    assert (detail.amount_owed, detail.amount_recovered, detail.intermediary, detail.sector) == (0, 0, "", "")


def test_the_service_refuses_a_negative_amount(wages_case):
    with pytest.raises(ValidationError) as error:
        case_services.details_update(case=wages_case, changed_by=wages_case.assigned_to, amount_owed=Decimal("-1"))
    assert "amount_owed" in error.value.message_dict
    assert WageDetail.objects.get(case=wages_case).amount_owed == 0


def test_work_cannot_end_before_it_began(login, alice, wages_case):
    response = post_details(login(alice), wages_case, work_from="2025-06-01", work_to="2025-05-31", amount_owed="100")
    assert response.status_code == 200
    assert "The work cannot end before it began." in errors_shown(response)
    detail = WageDetail.objects.get(case=wages_case)
    assert (detail.work_from, detail.work_to, detail.amount_owed) == (None, None, 0)


def test_a_one_day_job_is_fine(login, alice, wages_case):
    assert post_details(login(alice), wages_case, work_from="2025-06-01", work_to="2025-06-01").status_code == 302
    assert WageDetail.objects.get(case=wages_case).work_to == datetime.date(2025, 6, 1)


def test_the_case_shows_the_recovery_ratio(login, alice, wages_case):
    client = login(alice)
    assert post_details(client, wages_case, amount_owed="240000", amount_recovered="60000").status_code == 302
    page = text(body(client.get(f"/cases/{wages_case.reference}/")))
    assert "240000.00 RUB" in page and "60000.00 RUB (25% recovered)" in page


def test_nothing_owed_shows_no_ratio(login, alice, wages_case):
    page = text(body(login(alice).get(f"/cases/{wages_case.reference}/")))
    assert "recovered)" not in page


def test_recovery_ratio_is_exact(wages_case):
    detail = case_services.details_update(case=wages_case, changed_by=wages_case.assigned_to, amount_owed=Decimal("90000.00"), amount_recovered=Decimal("30000.00"))
    assert detail.recovery_ratio == Decimal(1) / Decimal(3)
    assert isinstance(detail.recovery_percent, Decimal)
