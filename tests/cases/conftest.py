import pytest

from casework.orgs.models import Membership
from tests.factories import MembershipFactory


@pytest.fixture
def carol(org):
    """Another caseworker of alice's organisation: a colleague not assigned to alice's cases."""
    return MembershipFactory(organisation=org, username="carol", role=Membership.Role.CASEWORKER).user
