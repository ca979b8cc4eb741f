"""Where a person at risk can be found — their addresses, the place they are detained — is shown on a
sensitive case only to the people named on it, and only after a second-factor check of the last 10
minutes: an unattended open session is not enough to find them."""

import html

import pytest

from casework.cases import services as case_services
from casework.cases.models import Case
from tests.factories import CaseFactory, ClientFactory
from tests.pages import body, errors_shown
from tests.security.flows import VERIFY, authenticator_code, landed, pause_after_failures, wrong_code

ADDRESS = "Подольск, ул. Садовая 7, кв. 12"
DETENTION = "ЦВСИГ Сахарово, корпус 3"


def deportation_case(alice, *, sensitive):
    client = ClientFactory(organisation=alice.membership.organisation, created_by=alice, family_name="Рахимов",
                           given_names="Бахтиёр", addresses=ADDRESS)
    case = CaseFactory(assigned_to=alice, client=client, case_type=Case.Type.DEPORTATION, removal_kind="extradition",
                       is_sensitive=sensitive)
    case_services.details_update(case=case, changed_by=case.assigned_to, detention_place=DETENTION)
    return case


@pytest.fixture
def sensitive(alice):
    return deportation_case(alice, sensitive=True)


def whereabouts(case) -> str:
    return f"/cases/{case.reference}/whereabouts/"


def shows_whereabouts(response) -> bool:
    page = html.unescape(body(response))
    return ADDRESS in page or DETENTION in page


def shows_both(response) -> bool:
    page = html.unescape(body(response))
    return ADDRESS in page and DETENTION in page


def test_named_user_sees_the_case_but_not_where_the_person_is(login, alice, sensitive):
    client = login(alice)
    for url in (f"/cases/{sensitive.reference}/", f"/clients/{sensitive.client.public_id}/"):
        page = client.get(url)
        assert page.status_code == 200
        assert "Рахимов" in body(page), "the named user does see the case"
        assert not shows_whereabouts(page), f"{url} shows where the person is"
        assert whereabouts(sensitive) in body(page) and "asks for your code" in body(page)


@pytest.mark.parametrize("url", ["/clients/{public_id}/edit/", "/cases/{reference}/details/"])
def test_edit_forms_do_not_show_whereabouts_without_a_fresh_check(clock, login, alice, sensitive, url):
    """The forms that change addresses and the detention place would otherwise show them without the check."""
    client = login(alice)
    clock.advance(minutes=11)
    url = url.format(public_id=sensitive.client.public_id, reference=sensitive.reference)
    response = client.get(url)
    assert not shows_whereabouts(response)
    assert response.status_code == 302 and response.url.startswith(VERIFY)


def test_right_after_the_code_the_whereabouts_are_shown(login, alice, sensitive):
    response = login(alice).get(whereabouts(sensitive))
    assert response.status_code == 200
    assert shows_both(response)


def test_a_check_older_than_10_minutes_asks_for_the_code_again(clock, login, alice, sensitive):
    client = login(alice)
    clock.advance(minutes=9)
    assert shows_both(client.get(whereabouts(sensitive)))

    clock.advance(minutes=2)
    asked = client.get(whereabouts(sensitive), follow=True)
    assert landed(asked).startswith(VERIFY)
    assert not shows_whereabouts(asked)
    assert 'name="token"' in body(asked)

    device = alice.authenticator_set.get(confirmed=True)
    refused = client.post(landed(asked), {"token": wrong_code(device)}, follow=True)
    assert "not correct" in errors_shown(refused) and not shows_whereabouts(refused)
    assert not shows_whereabouts(client.get(whereabouts(sensitive), follow=True))

    pause_after_failures(alice)
    shown = client.post(landed(asked), {"token": authenticator_code(device)}, follow=True)
    assert landed(shown) == whereabouts(sensitive)
    assert shows_both(shown)


def test_edit_forms_work_after_a_fresh_check(login, alice, sensitive):
    client = login(alice)
    page = client.get(f"/cases/{sensitive.reference}/details/")
    assert page.status_code == 200 and DETENTION in html.unescape(body(page))


def test_a_case_that_is_not_sensitive_shows_them_without_asking(clock, login, alice):
    case = deportation_case(alice, sensitive=False)
    client = login(alice)
    clock.advance(minutes=20)
    assert DETENTION in html.unescape(body(client.get(f"/cases/{case.reference}/")))
    assert ADDRESS in html.unescape(body(client.get(f"/clients/{case.client.public_id}/")))
    response = client.get(whereabouts(case))
    assert response.status_code == 302 and response.url == f"/cases/{case.reference}/"


@pytest.mark.parametrize("who", ["bob", "carol"])
def test_people_not_named_on_the_case_never_get_there(request, login, sensitive, who):
    """The coordinator sees that the case exists; neither he nor a colleague gets its whereabouts,
    however freshly they typed a code."""
    client = login(request.getfixturevalue(who))
    assert client.get(whereabouts(sensitive)).status_code == 404
    assert not shows_whereabouts(client.get(f"/cases/{sensitive.reference}/"))
    assert client.get(f"/clients/{sensitive.client.public_id}/").status_code == 404


def test_the_colleague_who_registered_the_client_does_not_find_them(login, alice, carol):
    """Registering a client (intake) does not make a colleague one of the people named on the
    sensitive case opened for them later."""
    client = ClientFactory(organisation=carol.membership.organisation, created_by=carol, family_name="Рахимов",
                           addresses=ADDRESS)
    case = CaseFactory(assigned_to=alice, client=client, case_type=Case.Type.DEPORTATION, removal_kind="deportation",
                       is_sensitive=True)
    case_services.details_update(case=case, changed_by=case.assigned_to, detention_place=DETENTION)
    browser = login(carol)
    page = browser.get(f"/clients/{client.public_id}/")
    assert not shows_whereabouts(page) and whereabouts(case) not in body(page)
    edit = browser.get(f"/clients/{client.public_id}/edit/", follow=True)
    assert not shows_whereabouts(edit)
    assert browser.get(whereabouts(case)).status_code == 404
