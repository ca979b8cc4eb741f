"""Cases of each type for alice, a client with a known birth date, and a reader of raw database rows."""

import datetime
import uuid

import pytest
from django.db import connection

from casework.cases.models import Case
from tests.factories import CaseFactory, ClientFactory
from tests.hashers import quick_password_hashing  # noqa: F401  (autouse)

BORN = datetime.date(1990, 5, 17)


@pytest.fixture
def born_client(org, alice):
    """A client whose date of birth the tests rely on."""
    return ClientFactory(organisation=org, created_by=alice, family_name="Қодиров", given_names="Алишер", date_of_birth=BORN)


@pytest.fixture
def asylum_case(alice, born_client):
    return CaseFactory(assigned_to=alice, client=born_client, case_type=Case.Type.ASYLUM)


@pytest.fixture
def deportation_case(alice, born_client):
    return CaseFactory(assigned_to=alice, client=born_client, case_type=Case.Type.DEPORTATION, removal_kind="extradition")


@pytest.fixture
def wages_case(alice, born_client):
    return CaseFactory(assigned_to=alice, client=born_client, case_type=Case.Type.UNPAID_WAGES)


@pytest.fixture
def case_of_type(request):
    """The case of a type named by the test's `case_type` parameter."""

    def _case(case_type):
        fixture = {"asylum": "asylum_case", "deportation": "deportation_case", "unpaid_wages": "wages_case"}[case_type]
        return request.getfixturevalue(fixture)

    return _case


def token() -> str:
    return str(uuid.uuid4())


def raw_rows(model, **where) -> str:
    """Every column of the matching rows as the database holds them, joined into one string."""
    columns = " AND ".join(f"{connection.ops.quote_name(name)} = %s" for name in where)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {model._meta.db_table} WHERE {columns}", list(where.values()))
        rows = cursor.fetchall()
    assert rows, f"no {model.__name__} row matches {where}"
    return " ".join(str(value) for row in rows for value in row)
