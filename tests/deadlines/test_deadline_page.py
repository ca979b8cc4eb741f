"""The deadline page shows the rule, its sources, the nominal and legal last days and every doubt."""

import pytest
from django.urls import reverse

from casework.deadlines import services
from tests.deadlines.conftest import D

pytestmark = pytest.mark.django_db


def page(client, deadline):
    return client.get(reverse("deadline_detail", args=[deadline.case.reference, deadline.pk])).content.decode()


def test_rolled_deadline_shows_both_days_the_rule_and_its_sources(make_case, record, login, alice):
    event = record(make_case(jurisdiction="RU", case_type="deportation"), "expulsion_ruling_received", D("2025-06-02"))
    deadline = services.deadline_confirm(event=event, rule_id="ru-koap-30-3-expulsion-appeal", confirmed_by=alice,
                                         late_acknowledged=True)
    body = page(login(alice), deadline)
    assert "Complaint against a ruling in an administrative-offence case" in body
    assert "June 12, 2025" in body and "June 16, 2025" in body  # nominal, then legal
    assert "KoAP RF art. 30.3(1)" in body  # a source
    assert "2024-10-29" in body  # the version applied
    assert "It is not confirmed whether the period counts calendar or working days" in body
    assert "Verify before relying on this date." in body


def test_unconfirmed_rule_says_verify_before_relying(make_case, record, login, alice):
    event = record(make_case(jurisdiction="RU", case_type="deportation"), "decision_served", D("2025-02-03"))
    deadline = services.deadline_confirm(event=event, rule_id="ru-kas-deportation-and-other-admin-claims",
                                         confirmed_by=alice, late_acknowledged=True)
    body = page(login(alice), deadline)
    assert "not confirmed against a primary legal text: verify before relying on it" in body


def test_missing_holiday_data_names_the_country(make_case, record, login, alice):
    event = record(make_case(jurisdiction="KZ", case_type="unpaid_wages"), "wages_due", D("2025-06-02"))
    deadline = services.deadline_confirm(event=event, rule_id="kz-labour-160-other-disputes-1-year", confirmed_by=alice,
                                         late_acknowledged=True)
    assert "no_holiday_data" in deadline.warnings
    assert "Days off moved by decree in Kazakhstan are not yet known" in page(login(alice), deadline)


def test_a_manual_deadline_page_has_no_rule_section(make_case, manual, login, alice, today):
    deadline = manual(make_case(), today, title="Bring the passport copy")
    body = page(login(alice), deadline)
    assert "Bring the passport copy" in body and "Sources" not in body
