"""The world the URL walks request every page of (tests/test_outsider.py, tests/security/test_permission_matrix.py),
built once by `build()`; the `shared_world` fixture (tests/conftest.py) builds it once per test module.

  Volga Help     alice (caseworker), carol (caseworker), bob (coordinator), dana (organisation admin)
  Steppe Rights  charlie (caseworker), erin (coordinator): the partner organisation
  Caspian Aid    zara (caseworker): an organisation none of the others has anything to do with

Volga Help and Caspian Aid each have a new caseworker waiting for a coordinator's confirmation (timur, yusuf:
four-eyes is on), whose role requests fill the URLs about one.

Three cases, each with a client, an event, a note, a document, an asylum decision, a deadline and a
legal hold: `own` (alice's, granted to charlie by name, read only), `sensitive` (alice's, shared with
Steppe Rights as a whole, which opens nothing of a sensitive case) and `foreign` (zara's).
"""

import datetime
from dataclasses import dataclass
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import timezone

from casework.cases import services
from casework.cases.models import AsylumDecision, Case
from casework.deadlines import selectors as deadline_selectors
from casework.deadlines import services as deadline_services
from casework.orgs.models import Membership
from casework.privacy import services as privacy_services
from tests.factories import CaseFactory, ClientFactory, MembershipFactory, OrganisationFactory

Role = Membership.Role
CASES = ("own", "foreign", "sensitive")
# Each case's client: family name, given names, document number.
CLIENTS = {"own": ("Ахмедова", "Мадина", "OWN4410021"), "foreign": ("Бекмуратов", "Алишер", "FRN7730145"),
           "sensitive": ("Юлдашева", "Ойгул", "SNS2250987")}
# Typed about alice's clients into every record of her cases (zara's case has notes of its own).
SECRET_NOTE = "Заметка: прячется у брата"
FOREIGN_NOTE = "Заметка Caspian Aid"


@dataclass(frozen=True)
class World:
    people: dict  # by username
    organisations: dict  # by slug
    cases: dict[str, Case]  # by name in CASES
    values: dict[str, dict]  # by case: what fills the parameters of a URL about it
    media_root: Path  # where its documents are kept


def _records(case: Case, assignee, *, note: str) -> dict:
    """Fill the case with a record of each kind; returns the values that fill a URL's parameters for it
    (a member's URL and the calendar feed take the assignee's)."""
    event = services.event_record(case=case, kind="decision_served", occurred_on=datetime.date(2026, 3, 2),
                                  recorded_by=assignee, note=note)
    services.note_add(case=case, text=note, author=assignee)
    document = services.document_upload(case=case, upload=SimpleUploadedFile("decision.txt", note.encode()),
                                        title="Решение", uploaded_by=assignee)
    decision = services.record_add(case=case, changed_by=case.assigned_to, model=AsylumDecision, stage="first_decision",
                                   decided_on=datetime.date(2026, 3, 1), outcome="refused")
    deadline = deadline_services.deadline_create_manual(case=case, title=note, created_by=assignee,
                                                        due_date=timezone.localdate() + datetime.timedelta(days=30))
    hold = privacy_services.legal_hold_place(case=case, reason=note, placed_by=assignee)
    proposals = deadline_selectors.event_proposals(event)
    return {
        "reference": case.reference, "public_id": case.client.public_id, "membership_id": assignee.membership.pk,
        "event_id": event.pk, "document_id": document.public_id, "kind": "decisions", "record_id": decision.pk,
        "deadline_id": deadline.pk, "hold_id": hold.pk,
        "rule_id": proposals[0].rule.id if proposals else "none", "slug": case.organisation.slug,
    }


def build(media_root: Path) -> World:
    """Everything at once, through the services; documents are written under `media_root`."""
    volga = OrganisationFactory(name="Volga Help", slug="volga", country="RU")
    steppe = OrganisationFactory(name="Steppe Rights", slug="steppe", country="KZ")
    caspian = OrganisationFactory(name="Caspian Aid", slug="caspian", country="AZ")
    cast = [("alice", volga, Role.CASEWORKER), ("carol", volga, Role.CASEWORKER), ("bob", volga, Role.COORDINATOR),
            ("dana", volga, Role.ORG_ADMIN), ("charlie", steppe, Role.CASEWORKER), ("erin", steppe, Role.COORDINATOR),
            ("zara", caspian, Role.CASEWORKER)]
    people = {name: MembershipFactory(organisation=org, username=name, role=role).user for name, org, role in cast}
    alice, zara, dana = people["alice"], people["zara"], people["dana"]

    def client(name, organisation, created_by):
        family_name, given_names, document = CLIENTS[name]
        return ClientFactory(organisation=organisation, created_by=created_by, family_name=family_name,
                             given_names=given_names, document_numbers=document)

    cases = {
        "own": CaseFactory(assigned_to=alice, client=client("own", volga, alice)),
        "foreign": CaseFactory(assigned_to=zara, client=client("foreign", caspian, zara)),
        "sensitive": CaseFactory(assigned_to=alice, client=client("sensitive", volga, alice), is_sensitive=True),
    }
    services.case_grant(case=cases["own"], granted_by=dana, level="view", user=people["charlie"])
    services.case_grant(case=cases["sensitive"], granted_by=dana, level="view", organisation=steppe)
    with override_settings(MEDIA_ROOT=media_root):
        values = {
            "own": _records(cases["own"], alice, note=SECRET_NOTE),
            "foreign": _records(cases["foreign"], zara, note=FOREIGN_NOTE),
            "sensitive": _records(cases["sensitive"], alice, note=SECRET_NOTE),
        }
    tokens = {user: deadline_services.calendar_feed_issue(user=user) for user in (alice, zara)}
    waiting = {org: MembershipFactory(organisation=org, username=name, role=Role.CASEWORKER, created_by=by)
               .role_requests.get() for name, org, by in (("timur", volga, dana), ("yusuf", caspian, zara))}
    for name, case in cases.items():
        values[name]["calendar_token"] = tokens[case.assigned_to]
        values[name]["request_id"] = waiting[case.organisation].pk
    return World(people=people, organisations={"volga": volga, "steppe": steppe, "caspian": caspian}, cases=cases,
                 values=values, media_root=media_root)
