"""Each case type's details form saves what the caseworker typed and the case page shows it."""

import datetime

from django.utils import timezone
from django.utils.formats import date_format

from casework.cases.models import AsylumDetail, DeportationDetail, WageDetail
from tests.pages import body, errors_shown, text


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def shown(value: datetime.date) -> str:
    return date_format(value, "DATE_FORMAT")


def save_details(client, case, data):
    response = client.post(f"/cases/{case.reference}/details/", data)
    assert response.status_code == 302, errors_shown(response)
    assert response["Location"] == f"/cases/{case.reference}/#details"
    return text(body(client.get(f"/cases/{case.reference}/")))


def test_asylum_details_save_and_show(login, alice, asylum_case):
    page = save_details(login(alice), asylum_case, {
        "country_of_origin": "Tajikistan", "arrival_date": days(-400).isoformat(), "procedure": "unhcr_mandate",
        "stage": "court", "status_renewal_date": days(300).isoformat(),
        "resettlement_country": "Canada", "resettled_on": days(-3).isoformat(),
    })
    detail = AsylumDetail.objects.get(case=asylum_case)
    assert (detail.country_of_origin, detail.procedure, detail.stage) == ("Tajikistan", "unhcr_mandate", "court")
    assert detail.arrival_date == days(-400)
    for fragment in ("Tajikistan", "UNHCR mandate", "Court", shown(days(-400)), shown(days(300)),
                     "Canada", shown(days(-3))):
        assert fragment in page


def test_deportation_details_save_and_show(login, alice, deportation_case):
    removal = timezone.localtime() + datetime.timedelta(days=20)
    page = save_details(login(alice), deportation_case, {
        "removal_kind": "extradition", "requesting_state": "Uzbekistan",
        "charges": "Статья 159 УК — мошенничество (вымышленное)", "detention_place": "СИЗО-1 (вымышленный)",
        "detained_from": days(-30).isoformat(), "detained_until": days(30).isoformat(),
        "scheduled_removal_at": removal.strftime("%Y-%m-%dT%H:%M"), "echr_application_no": "12345/26",
        "reentry_ban_until": days(5 * 365).isoformat(),
    })
    detail = DeportationDetail.objects.get(case=deportation_case)
    assert detail.charges == "Статья 159 УК — мошенничество (вымышленное)"
    assert (detail.detained_from, detail.detained_until) == (days(-30), days(30))
    assert detail.scheduled_removal_at == removal.replace(second=0, microsecond=0)
    for fragment in ("Extradition", "Uzbekistan", "Статья 159 УК — мошенничество (вымышленное)", "СИЗО-1 (вымышленный)",
                     shown(days(-30)), shown(days(30)), "12345/26", shown(days(5 * 365)),
                     date_format(timezone.localtime(detail.scheduled_removal_at), "SHORT_DATETIME_FORMAT")):
        assert fragment in page


def test_unpaid_wages_details_save_and_show(login, alice, wages_case):
    page = save_details(login(alice), wages_case, {
        "new_employer_name": "ООО «Стройка»", "new_employer_director": "Петров П. П.",
        "new_employer_address": "Москва, ул. Вымышленная, 1", "new_employer_registration_number": "1027700000000",
        "intermediary": "Бригадир Саша", "sector": "construction",
        "work_from": days(-200).isoformat(), "work_to": days(-20).isoformat(),
        "currency": "RUB", "amount_owed": "240000.00", "amount_recovered": "60000.00",
        "passport_held_by_employer": "true", "written_contract": "false",
    })
    detail = WageDetail.objects.select_related("employer").get(case=wages_case)
    assert detail.employer.name == "ООО «Стройка»" and detail.employer.registration_number == "1027700000000"
    assert (detail.passport_held_by_employer, detail.written_contract) == (True, False)
    for fragment in ("ООО «Стройка» · Петров П. П. · 1027700000000", "Бригадир Саша", "Construction",
                     f"{shown(days(-200))} – {shown(days(-20))}", "240000.00 RUB", "60000.00 RUB",
                     "Employer holds the passport yes", "Written contract no"):
        assert fragment in page


def test_details_form_shows_what_was_saved(login, alice, deportation_case):
    client = login(alice)
    save_details(client, deportation_case, {"removal_kind": "deportation", "charges": "Нарушение режима пребывания"})
    form_page = body(client.get(f"/cases/{deportation_case.reference}/details/"))
    assert "Нарушение режима пребывания" in form_page
    assert '<option value="deportation" selected>' in form_page


def test_colleague_without_edit_rights_cannot_save_details(login, carol, charlie, asylum_case):
    for outsider in (carol, charlie):
        response = login(outsider).post(f"/cases/{asylum_case.reference}/details/", {"country_of_origin": "Nowhere"})
        assert response.status_code == 404
    assert AsylumDetail.objects.get(case=asylum_case).country_of_origin == ""

