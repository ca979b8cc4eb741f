"""Two coordinators deciding one waiting role at the same moment, or a decision racing the admin's withdrawal:
one outcome, one event, the other told clearly (PostgreSQL, each in its own connection)."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from casework.audit.models import AccessEvent, Action
from casework.deadlines.models import Notification
from casework.orgs.models import Membership, RoleRequest
from casework.orgs.services import member_create, role_request_decide, role_request_withdraw
from tests.factories import MembershipFactory
from tests.pages import messages_shown
from tests.test_concurrent_writes import at_once, only_refusals, overlapping, signed_in

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent transactions need PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def waiting(dana, bob, org):
    """Timur, a new coordinator the admin asked for, waiting; bob and zarina coordinate."""
    MembershipFactory(organisation=org, username="zarina", role="coordinator")
    timur = member_create(organisation=org, username="timur", role="coordinator", created_by=dana)
    return timur.role_requests.get()


def fresh(role_request):
    """The request as another request handler would load it."""
    return RoleRequest.objects.select_related("membership").get(pk=role_request.pk)


def decided_events():
    return AccessEvent.objects.filter(action__in=[Action.ROLE_CONFIRM, Action.ROLE_REFUSE, Action.ROLE_WITHDRAW]).count()


@pytest.mark.parametrize("second_confirms", [True, False])
def test_two_coordinators_deciding_at_once_give_one_outcome(waiting, bob, second_confirms):
    zarina = Membership.objects.get(user__username="zarina").user
    first, second = only_refusals(overlapping(
        lambda: role_request_decide(request=fresh(waiting), decided_by=bob, confirm=True),
        lambda: role_request_decide(request=fresh(waiting), decided_by=zarina, confirm=second_confirms),
    ))
    assert isinstance(first, RoleRequest)
    assert isinstance(second, ValidationError) and "already decided or withdrawn" in " ".join(second.messages)
    waiting.refresh_from_db()
    assert (waiting.status, waiting.decided_by) == ("confirmed", bob)
    assert decided_events() == 1
    # zarina is told once; bob, who confirmed, is not told of his own decision
    assert list(Notification.objects.filter(kind=Notification.Kind.ROLE_GAINED).values_list("recipient__username", flat=True)) == ["zarina"]


@pytest.mark.parametrize("order", ["decision first", "withdrawal first"])
def test_a_decision_racing_the_withdrawal_gives_one_outcome(waiting, dana, bob, order):
    decide = lambda: role_request_decide(request=fresh(waiting), decided_by=bob, confirm=True)  # noqa: E731
    withdraw = lambda: role_request_withdraw(request=fresh(waiting), withdrawn_by=dana)  # noqa: E731
    calls = (decide, withdraw) if order == "decision first" else (withdraw, decide)
    first, second = only_refusals(overlapping(*calls))
    assert isinstance(second, ValidationError)
    waiting.refresh_from_db()
    timur = Membership.objects.get(pk=waiting.membership_id)
    if order == "decision first":
        assert waiting.status == "confirmed" and timur.is_active
    else:
        assert waiting.status == "withdrawn" and not timur.is_active
    assert AccessEvent.objects.filter(action__in=[Action.ROLE_CONFIRM, Action.ROLE_REFUSE, Action.ROLE_WITHDRAW]).count() == 1


def test_two_coordinators_pressing_confirm_at_the_same_moment_through_the_page(waiting, bob):
    zarina = Membership.objects.get(user__username="zarina").user
    clients = [signed_in(bob), signed_in(zarina)]
    responses = at_once(*[
        (lambda c=c: c.post(f"/org/access/{waiting.pk}/", {"decision": "confirm"}, follow=True)) for c in clients
    ])
    shown = sorted(messages_shown(r) for r in responses)
    assert all(r.status_code == 200 for r in responses)
    assert ["Role confirmed." in s for s in shown].count(True) == 1
    assert any("already decided or withdrawn" in s for s in shown)
    assert decided_events() == 1
