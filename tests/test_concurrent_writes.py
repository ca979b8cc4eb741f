"""The same write twice at the same moment (a double click, two colleagues, a retried request): one row,
and the second gets the same result or a clear refusal. Never an IntegrityError or a 500.

`overlapping` plays the interleaving a check-then-insert loses, every time: the first write has done its
work but not committed when the second runs its checks. The second then either waits for a lock the first
holds (and is let go on when the first commits) or finishes; no clock decides when. The tests through the
pages send two requests at the same moment instead (the whole stack, with ATOMIC_REQUESTS)."""

import datetime
import threading
import uuid
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import connection, connections, transaction

from casework.cases.models import CaseEvent, CaseNote, CaseUserObjectPermission, Employer
from casework.cases.services import (
    case_create,
    case_grant,
    case_set_status,
    details_update,
    event_correct_date,
    event_record,
    note_add,
)
from casework.clients.models import Client
from casework.clients.services import client_create
from casework.deadlines import services as deadlines
from casework.deadlines.models import CalendarFeed, Deadline, Reminder
from casework.orgs.models import Membership, Organisation
from casework.orgs.services import member_change_role, member_create
from casework.platform.services import organisation_open
from casework.privacy.models import LegalHold
from casework.privacy.models import Erasure
from casework.privacy.services import case_erase_personal_data, client_erase_personal_data, legal_hold_place
from casework.security.models import Authenticator
from casework.security.services import totp_enrolment_device
from tests.conftest import VerifiedClient
from tests.factories import CaseFactory, MembershipFactory, PlatformOperatorFactory
from tests.pages import messages_shown

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent transactions need PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]

ECHR = "echr-art35-4-months"


def _backend_waits_for_a_lock(pid: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s", [pid])
        row = cursor.fetchone()
    return row is not None and row[0] == "Lock"


def overlapping(first, second) -> list:
    """Run `first` in a transaction of its own up to (not including) its commit, then `second` in another,
    and commit `first` once `second` has finished or waits for one of its locks. Returns both results, or
    the exceptions raised."""
    outcomes, pid = [None, None], []
    first_done, commit_first, second_started = threading.Event(), threading.Event(), threading.Event()

    def run_first():
        try:
            with transaction.atomic():
                outcomes[0] = first()
                first_done.set()
                commit_first.wait()
        except Exception as error:  # noqa: BLE001 - returned to the test
            outcomes[0] = error
        finally:
            first_done.set()
            connections.close_all()

    def run_second():
        try:
            first_done.wait()
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_backend_pid()")
                    pid.append(cursor.fetchone()[0])
                second_started.set()
                outcomes[1] = second()
        except Exception as error:  # noqa: BLE001 - returned to the test
            outcomes[1] = error
        finally:
            second_started.set()
            connections.close_all()

    threads = [threading.Thread(target=run_first), threading.Thread(target=run_second)]
    for thread in threads:
        thread.start()
    second_started.wait()
    while threads[1].is_alive() and not (pid and _backend_waits_for_a_lock(pid[0])):
        threads[1].join(0.005)
    commit_first.set()
    for thread in threads:
        thread.join()
    return outcomes


def at_once(*calls) -> list:
    """Start the calls at the same moment, each in its own thread and database connection."""
    start = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def run(index, call):
        try:
            start.wait()
            outcomes[index] = call()
        except Exception as error:  # noqa: BLE001 - returned to the test
            outcomes[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def only_refusals(outcomes) -> list:
    """The outcomes, once checked that none is an error other than a service's refusal."""
    assert [o for o in outcomes if isinstance(o, Exception) and not isinstance(o, ValidationError)] == []
    return outcomes


def signed_in(user) -> VerifiedClient:
    client = VerifiedClient()
    client.force_login(user)
    return client


# --- Services that check, then insert -------------------------------------------------------------------
# Each builder returns the write (done twice), the rows it makes, how many there must be, and what the second
# gets: the same result as the first, a refusal, or its own result (a new calendar address voids the first).


def _same_token(make, rows):
    def build(alice, case):
        token = uuid.uuid4()
        return (lambda: make(alice, case, token)), rows(case), 1, "same"
    return build


def _reminders(alice, case):
    deadline = deadlines.deadline_create_manual(case=case, title="Hearing", due_date=datetime.date(2030, 5, 1),
                                                created_by=alice)
    Reminder.objects.filter(deadline=deadline).delete()  # as if the deadline had been stored unarmed
    return (lambda: deadlines.reminders_schedule(deadline=deadline)), Reminder.objects.filter(deadline=deadline), 6, "same"


def _employer(alice, case):
    wages = CaseFactory(assigned_to=alice, client=case.client, case_type="unpaid_wages")
    write = lambda: details_update(case=wages, changed_by=wages.assigned_to, new_employer_name="ООО «Стройка»", currency="RUB",  # noqa: E731
                                   amount_owed=Decimal(1000), amount_recovered=Decimal(0))
    return write, Employer.objects.filter(organisation=case.organisation), 1, "same"


def _member(alice, case):
    names = iter(["gulnara", "Gulnara"])  # the same name in another case is taken too
    write = lambda: member_create(organisation=case.organisation, username=next(names), role="caseworker",  # noqa: E731
                                  created_by=None)
    return write, get_user_model().objects.filter(username__iexact="gulnara"), 1, "refusal"


def _organisation(*, same_form: bool):
    """An operator's organisation form posted twice (one token), or two forms naming the same organisation."""
    def build(alice, case):
        operator = PlatformOperatorFactory(user__username="olga").user
        tokens = iter([uuid.uuid4()] * 2 if same_form else [uuid.uuid4(), uuid.uuid4()])
        write = lambda: organisation_open(  # noqa: E731
            name="Ферғана Ҳуқуқ", slug="fergana", country="UZ", admin_username="nodira",
            admin_email="nodira@example.org", language="ru", by=operator, submission_token=next(tokens))
        return write, Organisation.objects.filter(slug="fergana"), 1, "same" if same_form else "refusal"
    return build


def _legal_hold(alice, case):
    write = lambda: legal_hold_place(case=case, reason="Иск против ФСИН", placed_by=alice)  # noqa: E731
    return write, LegalHold.objects.filter(case=case), 1, "same"


def _grant(alice, case):
    colleague = MembershipFactory(organisation=case.organisation, username="carol", role="caseworker").user
    write = lambda: case_grant(case=case, granted_by=alice, level="view", user=colleague)  # noqa: E731
    return write, CaseUserObjectPermission.objects.filter(user=colleague), 1, "same"


def _authenticator(alice, case):
    rows = Authenticator.objects.filter(user=alice, confirmed=False)
    return (lambda: totp_enrolment_device(alice)), rows, 1, "same"


def _calendar_feed(alice, case):
    return (lambda: deadlines.calendar_feed_issue(user=alice)), CalendarFeed.objects.filter(user=alice), 1, "own"


CHECK_THEN_INSERT = {
    "manual deadline, same form": _same_token(
        lambda alice, case, token: deadlines.deadline_create_manual(
            case=case, title="Hearing", due_date=datetime.date(2030, 5, 1), created_by=alice, submission_token=token),
        lambda case: Deadline.objects.filter(case=case)),
    "event, same form": _same_token(
        lambda alice, case, token: event_record(case=case, kind="arrival", occurred_on=datetime.date(2024, 2, 1),
                                                recorded_by=alice, submission_token=token),
        lambda case: CaseEvent.objects.filter(case=case)),
    "note, same form": _same_token(
        lambda alice, case, token: note_add(case=case, text="Called the lawyer", author=alice, submission_token=token),
        lambda case: CaseNote.objects.filter(case=case)),
    "client, same form": _same_token(
        lambda alice, case, token: client_create(organisation=case.organisation, created_by=alice,
                                                 family_name="Kodirov", submission_token=token),
        lambda case: Client.objects.exclude(pk=case.client_id)),
    "case, same form": _same_token(
        lambda alice, case, token: case_create(organisation=case.organisation, client=case.client, case_type="asylum",
                                               jurisdiction="RU", assigned_to=alice, created_by=alice,
                                               submission_token=token),
        lambda case: case.client.cases.exclude(pk=case.pk)),
    "reminders scheduled": _reminders,
    "new employer named": _employer,
    "member created": _member,
    "organisation, same form": _organisation(same_form=True),
    "organisation, same name": _organisation(same_form=False),
    "legal hold placed": _legal_hold,
    "case shared with a user": _grant,
    "calendar address issued": _calendar_feed,
    "authenticator set-up started": _authenticator,
}


@pytest.mark.parametrize("write", CHECK_THEN_INSERT)
def test_the_same_write_twice_at_once_makes_one_row(alice, alice_case, write):
    call, rows, expected, second_gets = CHECK_THEN_INSERT[write](alice, alice_case)
    first, second = only_refusals(overlapping(call, call))
    assert rows.count() == expected
    assert not isinstance(first, Exception)
    assert isinstance(second, ValidationError) == (second_gets == "refusal")
    if second_gets == "same":
        assert second == first


# --- Two decisions on one deadline proposal ---------------------------------------------------------------


@pytest.fixture
def decision(alice):
    """A final decision in Armenia: the European Court's four months are proposed."""
    case = CaseFactory(assigned_to=alice, jurisdiction="AM", case_type="asylum")
    return event_record(case=case, kind="final_domestic_decision", occurred_on=datetime.date(2025, 3, 10),
                        recorded_by=alice)


def _decide(action, event, user):
    if action == "confirm":
        return lambda: deadlines.deadline_confirm(event=event, rule_id=ECHR, confirmed_by=user, late_acknowledged=True)
    return lambda: deadlines.deadline_dismiss(event=event, rule_id=ECHR, dismissed_by=user, reason="Not exhausted")


@pytest.mark.parametrize("first, second, history, status, second_refused", [
    ("confirm", "confirm", ["proposed", "confirmed"], "open", False),
    ("dismiss", "dismiss", ["proposed", "dismissed"], "dismissed", False),
    ("confirm", "dismiss", ["proposed", "confirmed"], "open", True),  # "This deadline is confirmed already"
    ("dismiss", "confirm", ["proposed", "dismissed", "confirmed"], "open", False),  # a dismissal may be reversed
])
def test_two_decisions_on_one_proposal_at_once(alice, bob, decision, first, second, history, status, second_refused):
    outcomes = only_refusals(overlapping(_decide(first, decision, alice), _decide(second, decision, bob)))
    deadline = Deadline.objects.get(trigger_event=decision, rule_id=ECHR)
    assert list(deadline.changes.order_by("pk").values_list("action", flat=True)) == history
    assert deadline.status == status
    assert isinstance(outcomes[1], ValidationError) == second_refused
    kinds = list(Reminder.objects.filter(deadline=deadline).values_list("kind", flat=True))
    assert len(kinds) == len(set(kinds))


@pytest.mark.parametrize("other", ["record", "correct", "close", "edit"])
def test_a_decision_on_a_proposal_and_another_write_of_the_same_case_take_turns(alice, decision, other):
    """Every deadline write of a case takes the event, then the case, then the deadlines: whichever of two
    writers comes second waits for the first instead of both waiting for each other (a deadlock)."""
    case = decision.case
    manual = deadlines.deadline_create_manual(case=case, title="Bundle", due_date=datetime.date(2030, 1, 10),
                                              created_by=alice)
    writes = {
        "record": lambda: event_record(case=case, kind="decision_served", occurred_on=datetime.date(2025, 3, 20),
                                       recorded_by=alice),
        "correct": lambda: event_correct_date(event=decision, occurred_on=datetime.date(2025, 3, 11),
                                              changed_by=alice, reason="Served a day later"),
        "close": lambda: case_set_status(case=case, status="closed", outcome="withdrawn", changed_by=alice),
        "edit": lambda: deadlines.deadline_edit(deadline=manual, due_date=datetime.date(2030, 1, 20),
                                                changed_by=alice, reason="Extended"),
    }
    for first, second in ((_decide("confirm", decision, alice), writes[other]),
                          (writes[other], _decide("dismiss", decision, alice))):
        only_refusals(overlapping(first, second))
    case.refresh_from_db()
    pending = Deadline.objects.filter(case=case, status__in=("open", "proposed")).order_by("due_date").first()
    assert case.next_due_date == (pending.due_date if pending else None)


def test_two_admins_demoting_each_other_at_once_leave_one(dana, org):
    other = MembershipFactory(organisation=org, username="zarina", role="org_admin")
    first, second = only_refusals(overlapping(
        lambda: member_change_role(membership=dana.membership, role="coordinator", changed_by=None),
        lambda: member_change_role(membership=other, role="coordinator", changed_by=None),
    ))
    assert Membership.objects.filter(organisation=org, role="org_admin", is_active=True).get() == other
    assert isinstance(second, ValidationError) and "at least one active admin" in " ".join(second.messages)


# --- Two erasures of one person -------------------------------------------------------------------------


@pytest.mark.parametrize("order", ["case first", "person first"])
def test_erasing_a_persons_case_and_the_person_at_once(alice, alice_case, order):
    """The retention of a case and a request to erase the person, at the same moment: the second waits for
    the first, finds what it erased, and everything ends erased once, with no error."""
    closed = case_set_status(case=alice_case, status="closed", outcome="withdrawn", changed_by=alice)
    of_case = lambda: case_erase_personal_data(case=closed, actor=alice, reason="retention")  # noqa: E731
    of_person = lambda: client_erase_personal_data(client=closed.client, actor=alice)  # noqa: E731
    calls = (of_case, of_person) if order == "case first" else (of_person, of_case)
    only_refusals(overlapping(*calls))
    assert Erasure.objects.filter(case=closed).count() == 1
    assert Erasure.objects.filter(client=closed.client).count() == 1


# --- Through the pages ------------------------------------------------------------------------------------


def test_a_deadline_form_posted_twice_at_once_adds_one(alice, alice_case):
    data = {"title": "Hearing", "due_date": "2030-05-01", "submission_token": str(uuid.uuid4())}
    browsers = [signed_in(alice), signed_in(alice)]
    url = f"/cases/{alice_case.reference}/deadlines/new/"
    responses = at_once(*(lambda b=b: b.post(url, data) for b in browsers))
    assert [r.status_code for r in responses] == [302, 302]
    assert responses[0].url == responses[1].url
    assert Deadline.objects.filter(case=alice_case).count() == 1


@pytest.mark.parametrize("second", ["confirm", "dismiss"])
def test_a_proposal_decided_twice_at_once_through_the_page(alice, decision, second):
    url = f"/cases/{decision.case.reference}/events/{decision.pk}/deadlines/"
    posts = {"confirm": {"rule_id": ECHR, "action": "confirm", "late_acknowledged": "on"},  # its last day has passed
             "dismiss": {"rule_id": ECHR, "action": "dismiss", "reason": "Not exhausted"}}
    browsers = [signed_in(alice), signed_in(alice)]
    responses = at_once(lambda: browsers[0].post(url, posts["confirm"]), lambda: browsers[1].post(url, posts[second]))
    assert [r.status_code for r in responses] == [302, 302]
    deadline = Deadline.objects.get(trigger_event=decision, rule_id=ECHR)
    assert deadline.status == "open"
    if list(deadline.changes.order_by("pk").values_list("action", flat=True)) == ["proposed", "confirmed"] \
            and second == "dismiss":
        # The dismissal came second: refused, and the page it lands on says why.
        assert "This deadline is confirmed already" in messages_shown(browsers[1].get(url))
