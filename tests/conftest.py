import datetime
import sys
import time

import pytest
from django.conf import settings as django_settings
from django.db import transaction
from django.test import Client as DjangoClient
from django.utils import translation
from django_otp import DEVICE_ID_SESSION_KEY

from casework.security.models import Authenticator
from casework.security.sessions import VERIFIED_AT
from tests.history import START as HISTORY_START
from tests.hashers import quick_password_hashing  # noqa: F401 - autouse: cheap Argon2 everywhere

from casework.orgs.models import Membership
from tests.world import build as build_world
from tests.factories import (
    PASSWORD, CaseFactory, ClientFactory, MembershipFactory, OrganisationFactory, PlatformOperatorFactory,
)

Role = Membership.Role


@pytest.fixture
def org(db):
    return OrganisationFactory(name="Volga Help", slug="volga", country="RU")


@pytest.fixture
def other_org(db):
    return OrganisationFactory(name="Steppe Rights", slug="steppe", country="KZ")


@pytest.fixture
def alice(org):
    """A caseworker."""
    return MembershipFactory(organisation=org, username="alice", role=Role.CASEWORKER).user


@pytest.fixture
def bob(org):
    """Alice's colleague, a coordinator."""
    return MembershipFactory(organisation=org, username="bob", role=Role.COORDINATOR).user


@pytest.fixture
def dana(org):
    """Alice's organisation admin."""
    return MembershipFactory(organisation=org, username="dana", role=Role.ORG_ADMIN).user


@pytest.fixture
def carol(org):
    """Alice's colleague, a caseworker of the same organisation assigned to none of alice's cases."""
    return MembershipFactory(organisation=org, username="carol", role=Role.CASEWORKER).user


@pytest.fixture
def charlie(other_org):
    """An outsider: caseworker of another organisation."""
    return MembershipFactory(organisation=other_org, username="charlie", role=Role.CASEWORKER).user


@pytest.fixture
def erin(other_org):
    """Coordinator of the other organisation."""
    return MembershipFactory(organisation=other_org, username="erin", role=Role.COORDINATOR).user


@pytest.fixture
def frank(other_org):
    """The other (partner) organisation's admin."""
    return MembershipFactory(organisation=other_org, username="frank", role=Role.ORG_ADMIN).user


@pytest.fixture
def olga(db):
    """A platform operator: creates, suspends and reactivates organisations, member of none."""
    return PlatformOperatorFactory(user__username="olga", user__email="olga@example.org").user


@pytest.fixture
def alice_client(org, alice):
    return ClientFactory(organisation=org, created_by=alice, family_name="Тошпулатова", given_names="Мадина")


@pytest.fixture
def alice_case(alice, alice_client):
    return CaseFactory(assigned_to=alice, client=alice_client)


@pytest.fixture
def clock(time_machine):
    """From 12 March 2026, 14:05 in Moscow, each call moves the clock a minute on, so every change has a moment of
    its own (ask for it before the client, which it then dates too)."""
    moments = (HISTORY_START + datetime.timedelta(minutes=i) for i in range(10_000))

    def tick():
        time_machine.move_to(next(moments), tick=False)

    tick()
    return tick


class VerifiedClient(DjangoClient):
    """A test client whose force_login also passes the second factor, as a user with an enrolled
    authenticator would after typing the code. Tests of the two-factor flow itself use `raw_client`."""

    def force_login(self, user, backend=None):
        super().force_login(user, backend)
        device = Authenticator.objects.filter(user=user, confirmed=True).first() or Authenticator.objects.create(
            user=user, name="test authenticator", confirmed=True
        )
        session = self.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session[VERIFIED_AT] = time.time()
        session.save()


@pytest.fixture
def client():
    return VerifiedClient()


@pytest.fixture
def raw_client():
    return DjangoClient()


@pytest.fixture
def login(client):
    """Sign a user in on the test client and return it."""

    def _login(user):
        client.force_login(user)
        return client

    return _login


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture(autouse=True)
def media_root(request, settings, tmp_path):
    """Uploaded (encrypted) documents go to a per-test folder (the shared world's own, for tests in it)."""
    in_world = "shared_world" in request.fixturenames
    settings.MEDIA_ROOT = request.getfixturevalue("shared_world").media_root if in_world else tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(scope="module")
def shared_world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The world of tests/world.py, built once for the test module in a transaction rolled back after
    it: each test runs in a savepoint on top, so what one test changes the next does not see. Its
    people and organisations are the cast above: a module using it takes all its data from it."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            built = build_world(tmp_path_factory.mktemp("world") / "media")
        except BaseException:
            outer.__exit__(*sys.exc_info())
            raise
    yield built
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


@pytest.fixture(autouse=True)
def site_language():
    """Each test starts in the site's language: a request in Russian leaves Russian active in the thread
    (as every request does for its own), which would otherwise carry into the next test's assertions."""
    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.activate(django_settings.LANGUAGE_CODE)
