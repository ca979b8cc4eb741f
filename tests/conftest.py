import pytest

from casework.orgs.models import Membership
from tests.factories import PASSWORD, CaseFactory, ClientFactory, MembershipFactory, OrganisationFactory

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
def charlie(other_org):
    """An outsider: caseworker of another organisation."""
    return MembershipFactory(organisation=other_org, username="charlie", role=Role.CASEWORKER).user


@pytest.fixture
def erin(other_org):
    """Coordinator of the other organisation."""
    return MembershipFactory(organisation=other_org, username="erin", role=Role.COORDINATOR).user


@pytest.fixture
def alice_client(org, alice):
    return ClientFactory(organisation=org, created_by=alice, family_name="Тошпулатова", given_names="Мадина")


@pytest.fixture
def alice_case(alice, alice_client):
    return CaseFactory(assigned_to=alice, client=alice_client)


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
def media_root(settings, tmp_path):
    """Uploaded (encrypted) documents go to a per-test folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
