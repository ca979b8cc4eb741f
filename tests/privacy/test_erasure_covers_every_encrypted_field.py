"""Erasure finds personal fields by their class, as key rotation does: every encrypted field of every
model is erased with its case or its client; only employers, the organisation's own records of
companies reused across cases, and staff authenticators' secrets are not a client's personal data."""

from casework.cases.models import CaseDocument, CaseEvent, CaseNote, DeportationDetail, Employer, StatusChange, WageDetail
from casework.clients.models import Client
from casework.deadlines.models import Deadline, DeadlineChange
from casework.privacy.models import LegalHold
from casework.privacy.services import case_personal_records
from casework.security.models import Authenticator
from casework.security.rotation import encrypted_tables


def test_every_encrypted_field_is_erased_with_a_case_or_a_client():
    with_case = {model for model, _lookup, _fields in case_personal_records()}
    # The client's field history is erased with the client (casework.privacy.services._erase_client).
    assert {model for table in encrypted_tables() for model in [table.model]} - with_case == {
        Client, Client.history.model, Employer, Authenticator}
    assert {CaseEvent, CaseNote, CaseDocument, StatusChange, DeportationDetail, WageDetail, Deadline, DeadlineChange,
            LegalHold, DeportationDetail.history.model, WageDetail.history.model} <= with_case
    assert dict((model, lookup) for model, lookup, _fields in case_personal_records())[DeadlineChange] == "deadline__case"
