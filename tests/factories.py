"""Test data built through the services, so tests see what users would create."""

import datetime

import factory
from django.contrib.auth import get_user_model

from casework.cases.models import Case, Employer
from casework.cases.services import case_create, employer_name_key
from casework.clients.models import Client
from casework.clients.services import client_create
from casework.orgs.models import Membership, Organisation, PlatformOperator
from casework.orgs.services import member_create, organisation_create

PASSWORD = "correct-horse-battery-staple"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    slug = factory.Sequence(lambda n: f"org-{n}")
    country = "RU"
    created_by = None  # as by a deployment script

    @classmethod
    def _create(cls, model_class, **kwargs):
        return organisation_create(**kwargs)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    organisation = factory.SubFactory(OrganisationFactory)
    username = factory.Sequence(lambda n: f"member{n}")
    role = Membership.Role.CASEWORKER

    @classmethod
    def _create(cls, model_class, *, organisation, username, role, created_by=None, **kwargs):
        """Made as a script would by default (no admin, so no four-eyes wait); pass `created_by` for an admin's."""
        return member_create(organisation=organisation, username=username, role=role, password=PASSWORD,
                             created_by=created_by, **kwargs)


class PlatformOperatorFactory(factory.django.DjangoModelFactory):
    """Someone who runs the deployment: an account with a password and no membership."""

    class Meta:
        model = PlatformOperator

    user = factory.SubFactory(UserFactory, username=factory.Sequence(lambda n: f"operator{n}"))


class ClientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Client

    organisation = factory.SubFactory(OrganisationFactory)
    family_name = factory.Faker("last_name", locale="ru_RU")
    given_names = factory.Faker("first_name", locale="ru_RU")
    date_of_birth = factory.Faker("date_between", start_date=datetime.date(1950, 1, 1), end_date=datetime.date(2005, 12, 31))
    nationality = "Uzbekistan"
    document_numbers = factory.Sequence(lambda n: f"FA{n:07d}")
    created_by = None

    @classmethod
    def _create(cls, model_class, **kwargs):
        return client_create(**kwargs)


class CaseFactory(factory.django.DjangoModelFactory):
    """A case of the assignee's organisation; pass `assigned_to` (a user with a membership)."""

    class Meta:
        model = Case

    case_type = Case.Type.ASYLUM
    jurisdiction = "RU"
    is_sensitive = False

    @classmethod
    def _create(cls, model_class, *, assigned_to, client=None, organisation=None, **kwargs):
        organisation = organisation or assigned_to.membership.organisation
        client = client or ClientFactory(organisation=organisation)
        return case_create(
            organisation=organisation, client=client, assigned_to=assigned_to, created_by=assigned_to, **kwargs
        )


class EmployerFactory(factory.django.DjangoModelFactory):
    """An employer of an organisation, keyed as a wage case's details name it."""

    class Meta:
        model = Employer

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"ООО Employer {n}")
    name_bidx = factory.LazyAttribute(lambda employer: employer_name_key(employer.name))
