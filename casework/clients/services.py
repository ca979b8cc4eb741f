import datetime
import uuid

from django.db import IntegrityError, transaction

from casework.audit.models import Action
from casework.audit.services import audit_record
from casework.clients.models import Client
from casework.clients.names import name_keys
from casework.lib.dates import require_plausible
from casework.lib.idempotency import replayed, replayed_or_refuse
from casework.orgs.models import Organisation

PERSONAL_FIELDS = (
    "family_name", "given_names", "other_spellings", "date_of_birth",
    "phones", "addresses", "document_numbers", "nationality", "languages",
)


def client_create(
    *,
    organisation: Organisation,
    created_by,
    family_name: str,
    given_names: str = "",
    other_spellings: str = "",
    date_of_birth: datetime.date | None = None,
    phones: str = "",
    addresses: str = "",
    document_numbers: str = "",
    nationality: str = "",
    languages: str = "",
    submission_token: uuid.UUID | None = None,
) -> Client:
    """Register a client. A repeated `submission_token` returns the client it already created."""
    if existing := replayed(Client.objects.filter(organisation=organisation), submission_token):
        return existing
    require_plausible(date_of_birth=date_of_birth)
    client = Client(
        organisation=organisation,
        created_by=created_by,
        family_name=family_name,
        given_names=given_names,
        other_spellings=other_spellings,
        date_of_birth=date_of_birth,
        phones=phones,
        addresses=addresses,
        document_numbers=document_numbers,
        nationality=nationality,
        languages=languages,
        submission_token=submission_token,
        **name_keys(
            family_name=family_name,
            given_names=given_names,
            birth_year=date_of_birth.year if date_of_birth else None,
        ),
    )
    client._history_user = created_by
    try:
        with transaction.atomic():
            client.save()
            audit_record(actor=created_by, action=Action.CLIENT_CREATE, client=client, organisation=organisation)
    except IntegrityError:
        if not submission_token:
            raise
        return replayed_or_refuse(Client.objects.filter(organisation=organisation), submission_token)
    return client


@transaction.atomic
def client_update(*, client: Client, changed_by, **changes) -> Client:
    """Change personal fields and keep the blind indexes in step with the names."""
    unknown = set(changes) - set(PERSONAL_FIELDS)
    if unknown:
        raise TypeError(f"client_update() got unexpected fields: {sorted(unknown)}")
    require_plausible(date_of_birth=changes.get("date_of_birth"))
    for name, value in changes.items():
        setattr(client, name, value)
    for name, value in name_keys(
        family_name=client.family_name,
        given_names=client.given_names,
        birth_year=client.date_of_birth.year if client.date_of_birth else None,
    ).items():
        setattr(client, name, value)
    client._history_user = changed_by  # for the field history (django-simple-history)
    client.save()
    audit_record(actor=changed_by, action=Action.CLIENT_UPDATE, client=client, organisation=client.organisation)
    return client
