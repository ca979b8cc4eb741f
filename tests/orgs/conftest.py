import pytest

from casework.orgs.models import Organisation
from tests.hashers import quick_password_hashing  # noqa: F401  (autouse)


@pytest.fixture
def four_eyes_off(org):
    """Volga Help as an organisation that existed before four-eyes (it stays off for them until turned on)."""
    Organisation.objects.filter(pk=org.pk).update(four_eyes=False)
    org.refresh_from_db()
    return org
