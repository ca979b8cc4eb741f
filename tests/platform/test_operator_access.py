"""Platform operators reach the platform pages and nothing of any organisation's work; nobody else reaches the
platform pages. An operator signs in like everyone, with two factors, and lands on the organisations."""

import pytest
from django.db import connection
from django.test import Client as DjangoClient
from django.test.utils import CaptureQueriesContext

from casework.orgs.models import Membership, Organisation
from casework.security.models import Authenticator
from tests.conftest import VerifiedClient
from tests.factories import CaseFactory, MembershipFactory, OrganisationFactory, PlatformOperatorFactory
from tests.pages import body, signed_in
from tests.security.flows import SETUP, authenticator_code, landed, password_step
from tests.security.routes import all_patterns, fill
from tests.world import CLIENTS

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]

PLATFORM_URLS = [
    ("get", "/platform/"), ("get", "/platform/new/"), ("post", "/platform/new/"),
    ("get", "/platform/organisations/volga/"), ("post", "/platform/organisations/volga/"),
    ("post", "/platform/organisations/volga/reactivate/"), ("post", "/platform/organisations/volga/invitation/"),
]
# What an operator reaches outside the platform pages: their own account and its sign-in, and what anyone reaches.
OPERATORS_OWN = {"home", "login", "logout", "password_reset_confirm", "password_reset_complete", "set_language",
                 "healthz", "calendar_feed", "notification_list", "two_factor_setup", "two_factor_verify",
                 "recovery_codes_regenerate", "account", "password_change", "sign_out_everywhere", "quick_exit"}


def test_operator_signs_in_with_two_factors_and_lands_on_the_organisations(raw_client, olga, password):
    response = password_step(raw_client, "olga", password)
    assert landed(response).startswith(SETUP)
    device = Authenticator.objects.get(user=olga, confirmed=False)
    raw_client.post(landed(response), {"token": authenticator_code(device)})
    home = raw_client.get("/", follow=True)
    assert landed(home) == "/platform/" and home.status_code == 200
    assert 'href="/platform/"' in body(home)  # the navigation's "Organisations"


def test_the_list_shows_counts_and_nothing_about_people(login, olga, org, other_org, alice, bob, carol, dana, alice_case):
    carol.membership.is_active = False
    carol.membership.save()
    CaseFactory(assigned_to=bob)
    page = body(login(olga).get("/platform/"))
    row = page.partition('href="/platform/organisations/volga/"')[2].partition("</tr>")[0]
    cells = [cell.partition(">")[2].partition("<")[0] for cell in row.split("<td")[1:]]
    assert cells[-3:] == ["3", "4", "2"]  # active members, members, cases
    assert "Steppe Rights" in page
    for secret in ("alice", "bob", "dana", alice_case.client.family_name, alice_case.reference):
        assert secret not in page


def test_the_list_costs_the_same_for_more_organisations(login, olga, org, django_assert_num_queries):
    client = login(olga)
    client.get("/platform/")
    with CaptureQueriesContext(connection) as one:
        client.get("/platform/")
    for n in range(3):
        member = MembershipFactory(organisation=OrganisationFactory(), role=Membership.Role.CASEWORKER)
        CaseFactory(assigned_to=member.user)
    with django_assert_num_queries(len(one.captured_queries)):
        assert body(client.get("/platform/")).count('href="/platform/organisations/') == 4


def test_the_organisation_page_shows_its_counts(login, olga, org, alice, dana):
    page = body(login(olga).get("/platform/organisations/volga/"))
    assert "2 active of 2" in page and "Volga Help" in page
    assert "alice" not in page and "dana" not in page


@pytest.mark.parametrize("who", ["alice", "bob", "dana", "charlie"])
def test_members_of_organisations_do_not_find_the_platform_pages(request, login, org, who):
    client = login(request.getfixturevalue(who))
    for method, url in PLATFORM_URLS:
        response = getattr(client, method)(url, {"confirm": "on", "name": "X", "slug": "x", "country": "RU",
                                                  "admin_username": "x", "admin_email": "x@example.org"})
        assert response.status_code == 404, f"{method} {url}"
    assert 'href="/platform/"' not in body(client.get("/accounts/"))
    assert Organisation.objects.filter(suspended_at__isnull=False).count() == 0
    assert not Organisation.objects.filter(slug="x").exists()


def test_an_operator_who_is_also_a_member_is_no_operator(login, org):
    member = MembershipFactory(organisation=org, username="oleg", role=Membership.Role.ORG_ADMIN)
    PlatformOperatorFactory(user=member.user)
    client = login(member.user)
    assert client.get("/platform/").status_code == 404
    assert client.get("/").url == "/org/members/"


def test_an_operators_own_account_pages_work_without_a_membership(login, olga):
    client = login(olga)
    for url in ("/accounts/", "/accounts/password/", "/notifications/", "/platform/new/"):
        assert client.get(url).status_code == 200, url


def test_signed_out_the_platform_pages_ask_to_sign_in(org):
    response = DjangoClient().get("/platform/")
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


@pytest.mark.parametrize("method", ["get", "post"])
def test_an_operator_reaches_no_page_of_an_organisations_work(method, shared_world):
    olga = PlatformOperatorFactory(user__username="olga").user
    client = VerifiedClient()
    secrets = [value for names in CLIENTS.values() for value in names]
    checked = 0
    for route, name in all_patterns():
        if name in OPERATORS_OWN or name.startswith("platform_"):
            continue
        client.force_login(olga)
        url = fill(route, {**shared_world.values["own"], "uidb64": "MQ", "token": "set-password"})
        response = getattr(client, method)(url)
        assert response.status_code in (404, 405), f"{method.upper()} {url} ({name}) -> {response.status_code}"
        content = b"".join(response) if response.streaming else response.content
        assert not [secret for secret in secrets if secret.encode() in content], f"{url} shows a client"
        checked += 1
    assert checked >= 40
    assert signed_in(client)
