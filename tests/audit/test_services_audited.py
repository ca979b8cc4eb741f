"""Every service that changes data records its audit event itself, in its own transaction, so a script, a
task or a page calling it leaves the same trail.

The test finds every public function of every `casework.*.services` module. Each one is either called here
through a recipe (and then, if it wrote to any table, it must have appended to the audit trail with the
expected action and actor), or listed in NOT_AUDITED with the reason it needs no event of its own. A new
service that is neither fails `test_every_service_is_classified`."""

import datetime
import importlib
import inspect
import pkgutil
import re
from dataclasses import dataclass
from typing import Callable

import pytest
from django.contrib.sessions.middleware import SessionMiddleware
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

import casework
from casework.audit.models import AccessEvent, Action
from casework.cases import services as cases
from casework.cases.models import AsylumDecision, Case
from casework.clients import services as clients
from casework.deadlines import services as deadlines
from casework.orgs import services as orgs
from casework.orgs.models import PlatformOperator
from casework.platform import services as platform
from casework.privacy import services as privacy
from casework.security import services as security
from tests.factories import CaseFactory, PlatformOperatorFactory
from tests.signin import current_code, enrol_authenticator

# Services that write without an event of their own, and why.
NOT_AUDITED = {
    # Reads and pure helpers.
    "audit.audit_record": "writes the trail itself",
    "cases.check_dates": "validation only",
    "cases.employer_name_key": "computes a blind index",
    "deadlines.lock_case": "takes a row lock for the calling service",
    "deadlines.proposal_reminder_moments": "computes reminder times",
    "security.session_fenced": "reads the session fence",
    "security.second_factor_matches": "checks a code for the calling page",
    "security.totp_device": "reads the user's authenticator",
    "orgs.invitation_path": "builds a link",
    "orgs.lock_username": "takes an advisory lock for the calling service",
    "orgs.invitation_send": "e-mails a set-password link for member_invite and operator_invite, which record INVITATION",
    # Steps inside an audited service, which records the event.
    "deadlines.next_due_refresh": "keeps Case.next_due_date in step, inside every deadline service",
    "deadlines.proposals_sync": "inside event_record and event_correct_date (EVENT_RECORD / EVENT_CORRECT)",
    "deadlines.deadlines_recompute_for_event": "inside event_correct_date, whose deadlines record DEADLINE_EDIT",
    "deadlines.reminders_schedule": "arms reminders inside every deadline service",
    # Delivery and sign-in bookkeeping: no record of a person or case changes.
    "deadlines.reminders_dispatch": "hands due reminders to workers (delivery bookkeeping)",
    "deadlines.reminder_send": "delivers one reminder as a content-free notification",
    "deadlines.notifications_deliver": "e-mails content-free notifications",
    "deadlines.notifications_mark_read": "the reader's own inbox state",
    "orgs.member_set_language": "the person's own interface language",
    "security.totp_enrolment_device": "an unconfirmed authenticator; confirming it is audited (totp_confirm)",
    "security.two_factor_verify": "passes the sign-in's second step; the sign-in is audited",
    "privacy.retention_sweep": "enqueues erasures by id; each erasure is audited (ERASE)",
    "privacy.retention_run": "runs the erasures, each audited (ERASE)",
    "privacy.retention_erase_case": "an erasure, audited by case_erase_personal_data (ERASE)",
    "privacy.retention_erase_client": "an erasure, audited (ERASE)",
}


def public_services() -> set[str]:
    found = set()
    for module_info in pkgutil.walk_packages(casework.__path__, "casework."):
        if not module_info.name.endswith(".services"):
            continue
        module = importlib.import_module(module_info.name)
        app = module_info.name.split(".")[-2]
        found |= {
            f"{app}.{name}" for name, value in vars(module).items()
            if inspect.isfunction(value) and value.__module__ == module.__name__ and not name.startswith("_")
        }
    return found


@dataclass
class World:
    alice: object
    bob: object
    dana: object
    case: Case
    client: object
    other_org: object


@dataclass
class Recipe:
    """How to call a service on the test world, and what its event must be."""

    call: Callable[[World], object]
    action: str
    actor: str = "alice"
    read: bool = False  # an export: the event is its only write


def _today():
    return timezone.localdate()


def _decision(w):
    return cases.event_record(case=w.case, kind="decision_served", occurred_on=_today(), recorded_by=w.alice)


def _manual(w):
    return deadlines.deadline_create_manual(case=w.case, title="Court hearing", created_by=w.alice,
                                            due_date=_today() + datetime.timedelta(days=20))


def _proposal(w):
    event = _decision(w)
    return event, event.deadlines.get(status="proposed").rule_id


def _closed(w):
    return cases.case_set_status(case=w.case, status=Case.Status.CLOSED, changed_by=w.bob, outcome="protection_granted")


def _role_request(w):
    """Alice's step up to coordinator, asked for by the admin and waiting (four-eyes is on)."""
    orgs.member_change_role(membership=w.alice.membership, role="coordinator", changed_by=w.dana)
    return w.alice.membership.role_requests.get(status="pending")


def _signed_in(user):
    """A request of `user`'s with a session, as the account pages pass one to the sign-in services."""
    request = RequestFactory().post("/accounts/")
    SessionMiddleware(lambda r: None).process_request(request)
    request.user = user
    return request


def _new_authenticator(w):
    """Alice replaces her authenticator with a new one and types its current code."""
    enrol_authenticator(w.alice)
    device = security.totp_enrolment_device(w.alice)
    return security.totp_confirm(_signed_in(w.alice), device=device, token=current_code(device))


def _olga():
    """A platform operator (the same one however often asked), for the services only operators or scripts call."""
    operator = PlatformOperator.objects.filter(user__username="olga").select_related("user").first()
    return (operator or PlatformOperatorFactory(user__username="olga", user__email="olga@example.org")).user


def _uninvited(w):
    """The other organisation with an admin who has not set a password (their invitation went astray)."""
    return platform.organisation_open(name="Ферғана Ҳуқуқ", slug="fergana", country="UZ", admin_username="nodira",
                                      admin_email="nodira@example.org", language="ru", by=None)


def _suspended(w):
    platform.organisation_suspend(organisation=w.other_org, by=_olga())
    return w.other_org


RECIPES: dict[str, Recipe] = {
    "clients.client_create": Recipe(
        lambda w: clients.client_create(organisation=w.case.organisation, created_by=w.alice, family_name="Qodirov"),
        Action.CLIENT_CREATE),
    "clients.client_update": Recipe(
        lambda w: clients.client_update(client=w.client, changed_by=w.alice, phones="+7 900 000-00-00"),
        Action.CLIENT_UPDATE),
    "cases.case_create": Recipe(
        lambda w: cases.case_create(organisation=w.case.organisation, client=w.client, case_type="asylum",
                                    jurisdiction="RU", assigned_to=w.alice, created_by=w.alice),
        Action.CASE_CREATE),
    "cases.case_update": Recipe(
        lambda w: cases.case_update(case=w.case, changed_by=w.bob, case_type="asylum", jurisdiction="KZ",
                                    is_sensitive=True),
        Action.CASE_UPDATE, "bob"),
    "cases.case_reassign": Recipe(lambda w: cases.case_reassign(case=w.case, assigned_to=w.bob, changed_by=w.bob),
                                  Action.CASE_REASSIGN, "bob"),
    "cases.case_set_status": Recipe(_closed, Action.CASE_STATUS, "bob"),
    "cases.details_update": Recipe(
        lambda w: cases.details_update(case=w.case, changed_by=w.alice, country_of_origin="Uzbekistan"),
        Action.DETAILS_UPDATE),
    "cases.record_add": Recipe(
        lambda w: cases.record_add(case=w.case, model=AsylumDecision, changed_by=w.alice, stage="first_decision",
                                   decided_on=_today(), outcome="refused"),
        Action.RECORD_ADD),
    "cases.record_update": Recipe(
        lambda w: cases.record_update(
            record=AsylumDecision.objects.create(case=w.case, stage="first_decision", decided_on=_today(),
                                                 outcome="refused"),
            changed_by=w.alice, decided_on=_today() - datetime.timedelta(days=1)),
        Action.RECORD_UPDATE),
    "cases.note_add": Recipe(lambda w: cases.note_add(case=w.case, text="Called the client.", author=w.alice),
                             Action.NOTE_ADD),
    "cases.document_upload": Recipe(
        lambda w: cases.document_upload(case=w.case, upload=SimpleUploadedFile("a.txt", b"text"), title="t",
                                        uploaded_by=w.alice),
        Action.DOCUMENT_UPLOAD),
    "cases.case_grant": Recipe(
        lambda w: cases.case_grant(case=w.case, granted_by=w.dana, level="view", organisation=w.other_org),
        Action.GRANT, "dana"),
    "cases.case_revoke": Recipe(lambda w: cases.case_revoke(case=w.case, revoked_by=w.dana, organisation=w.other_org),
                                Action.REVOKE, "dana"),
    "cases.event_record": Recipe(_decision, Action.EVENT_RECORD),
    "cases.event_correct_date": Recipe(
        lambda w: cases.event_correct_date(event=_decision(w), occurred_on=_today() - datetime.timedelta(days=2),
                                           changed_by=w.alice, reason="Served earlier"),
        Action.EVENT_CORRECT),
    "deadlines.deadline_confirm": Recipe(
        lambda w: deadlines.deadline_confirm(event=(p := _proposal(w))[0], rule_id=p[1], confirmed_by=w.alice),
        Action.DEADLINE_CONFIRM),
    "deadlines.deadline_dismiss": Recipe(
        lambda w: deadlines.deadline_dismiss(event=(p := _proposal(w))[0], rule_id=p[1], dismissed_by=w.alice,
                                             reason="Not served on the client"),
        Action.DEADLINE_DISMISS),
    "deadlines.proposals_dismiss_for_closed_case": Recipe(
        lambda w: (_proposal(w), deadlines.proposals_dismiss_for_closed_case(case=w.case, dismissed_by=w.bob)),
        Action.DEADLINE_DISMISS, "bob"),
    "deadlines.deadline_create_manual": Recipe(_manual, Action.DEADLINE_CREATE),
    "deadlines.deadline_edit": Recipe(
        lambda w: deadlines.deadline_edit(deadline=_manual(w), due_date=_today() + datetime.timedelta(days=30),
                                          changed_by=w.alice, reason="Extension granted"),
        Action.DEADLINE_EDIT),
    "deadlines.deadline_complete": Recipe(
        lambda w: deadlines.deadline_complete(deadline=_manual(w), status="met", completed_by=w.alice),
        Action.DEADLINE_COMPLETE),
    "deadlines.calendar_feed_issue": Recipe(lambda w: deadlines.calendar_feed_issue(user=w.alice), Action.CALENDAR_FEED),
    "deadlines.calendar_feed_revoke": Recipe(
        lambda w: (deadlines.calendar_feed_issue(user=w.alice), deadlines.calendar_feed_revoke(user=w.alice)),
        Action.CALENDAR_FEED),
    "privacy.legal_hold_place": Recipe(
        lambda w: privacy.legal_hold_place(case=w.case, reason="Pending complaint", placed_by=w.bob),
        Action.LEGAL_HOLD_PLACE, "bob"),
    "privacy.legal_hold_release": Recipe(
        lambda w: privacy.legal_hold_release(
            hold=privacy.legal_hold_place(case=w.case, reason="Pending complaint", placed_by=w.bob), released_by=w.bob),
        Action.LEGAL_HOLD_RELEASE, "bob"),
    "privacy.subject_access_export": Recipe(
        lambda w: privacy.subject_access_export(client=w.client, exported_by=w.alice), Action.EXPORT, read=True),
    "privacy.case_erase_personal_data": Recipe(
        lambda w: privacy.case_erase_personal_data(case=_closed(w), actor=w.bob, reason="request"),
        Action.ERASE, "bob"),
    "privacy.client_erase_personal_data": Recipe(
        lambda w: privacy.client_erase_personal_data(client=w.client, actor=w.bob), Action.ERASE, "bob"),
    "orgs.member_create": Recipe(
        lambda w: orgs.member_create(organisation=w.case.organisation, username="timur", role="caseworker",
                                     email="timur@example.org", created_by=w.dana),
        Action.MEMBER_CREATE, "dana"),
    "orgs.member_change_role": Recipe(
        lambda w: orgs.member_change_role(membership=w.bob.membership, role="caseworker", changed_by=w.dana),
        Action.ROLE_CHANGE, "dana"),
    "orgs.member_set_active": Recipe(
        lambda w: orgs.member_set_active(membership=w.bob.membership, active=False, changed_by=w.dana),
        Action.MEMBER_DEACTIVATE, "dana"),
    "orgs.member_invite": Recipe(
        lambda w: orgs.member_invite(membership=orgs.member_create(
            organisation=w.case.organisation, username="timur", role="org_admin", email="timur@example.org",
            created_by=w.dana), invited_by=w.dana),
        Action.INVITATION, "dana"),
    "orgs.role_request_decide": Recipe(
        lambda w: orgs.role_request_decide(request=_role_request(w), decided_by=w.bob, confirm=True),
        Action.ROLE_CONFIRM, "bob"),
    "orgs.role_request_withdraw": Recipe(
        lambda w: orgs.role_request_withdraw(request=_role_request(w), withdrawn_by=w.dana),
        Action.ROLE_WITHDRAW, "dana"),
    "orgs.organisation_create": Recipe(
        lambda w: orgs.organisation_create(name="Ферғана Ҳуқуқ", slug="fergana", country="UZ", created_by=_olga()),
        Action.ORG_CREATE, "olga"),
    "orgs.organisation_settings_update": Recipe(
        lambda w: orgs.organisation_settings_update(organisation=w.case.organisation, changed_by=w.dana,
                                                    retention_years=9),
        Action.ORG_SETTINGS, "dana"),
    "platform.organisation_open": Recipe(
        lambda w: platform.organisation_open(name="Ферғана Ҳуқуқ", slug="fergana", country="UZ",
                                             admin_username="nodira", admin_email="nodira@example.org",
                                             language="ru", by=_olga()),
        Action.ORG_CREATE, "olga"),
    "platform.admin_invite": Recipe(lambda w: platform.admin_invite(organisation=_uninvited(w), by=_olga()),
                                    Action.INVITATION, "olga"),
    "platform.organisation_suspend": Recipe(_suspended, Action.ORG_SUSPEND, "olga"),
    "platform.organisation_reactivate": Recipe(
        lambda w: platform.organisation_reactivate(organisation=_suspended(w), by=_olga()),
        Action.ORG_REACTIVATE, "olga"),
    "platform.operator_create": Recipe(
        lambda w: platform.operator_create(username="oleg", email="oleg@example.org", language="en",
                                           created_by=_olga()),
        Action.INVITATION, "olga"),
    "platform.operator_invite": Recipe(
        lambda w: platform.operator_invite(operator=(olga := _olga()).platform_operator, language="en",
                                           invited_by=olga),
        Action.INVITATION, "olga", read=True),
    "security.password_change": Recipe(
        lambda w: security.password_change(_signed_in(w.alice), new_password="a-new-long-pass-phrase-2026"),
        Action.PASSWORD_CHANGE),
    "security.recovery_codes_replace": Recipe(lambda w: security.recovery_codes_replace(_signed_in(w.alice)),
                                              Action.RECOVERY_CODES),
    "security.totp_confirm": Recipe(_new_authenticator, Action.AUTHENTICATOR),
    "security.sessions_end": Recipe(lambda w: security.sessions_end(user=w.alice, ended_by=w.dana),
                                    Action.SESSIONS_END, "dana"),
}

_WRITE = re.compile(r'^\s*(?:INSERT INTO|UPDATE|DELETE FROM)\s+"?(\w+)"?', re.I)


def test_every_service_is_classified():
    unclassified = public_services() - set(RECIPES) - set(NOT_AUDITED)
    assert not unclassified, f"Give these services a recipe here, or a reason in NOT_AUDITED: {sorted(unclassified)}"
    gone = (set(RECIPES) | set(NOT_AUDITED)) - public_services()
    assert not gone, f"No such services any more: {sorted(gone)}"


@pytest.fixture
def world(alice, bob, dana, alice_case, alice_client, other_org):
    return World(alice=alice, bob=bob, dana=dana, case=alice_case, client=alice_client, other_org=other_org)


@pytest.mark.parametrize("name", sorted(RECIPES))
def test_a_service_that_writes_records_its_event(world, name):
    recipe = RECIPES[name]
    before = AccessEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    with CaptureQueriesContext(connection) as queries:
        recipe.call(world)
    written = {m.group(1) for q in queries.captured_queries if (m := _WRITE.match(q["sql"]))}
    assert recipe.read or written - {"audit_accessevent"}, f"{name} changed nothing: the recipe does not exercise it"
    events = list(AccessEvent.objects.filter(pk__gt=before).values_list("action", "actor__username"))
    assert (recipe.action, recipe.actor) in events, f"{name} wrote {sorted(written)} and recorded {events}"
