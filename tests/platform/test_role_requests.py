"""A new organisation's first coordinator waits under four-eyes, and nobody inside can confirm them: the
platform operator finds the request on the platform pages and decides it there. Requests an organisation's
own coordinators can decide are not shown to the operator."""

from casework.orgs.models import Membership, RoleRequest
from tests.conftest import VerifiedClient
from tests.pages import body, messages_shown
from tests.security.flows import landed

URL = "/platform/roles/"


def signed_in(user):
    client = VerifiedClient()
    client.force_login(user)
    return client


def add_coordinator(admin, username="timur"):
    signed_in(admin).post("/org/members/new/", {"username": username, "email": f"{username}@example.org",
                                                 "role": "coordinator"})
    return RoleRequest.objects.get(membership__user__username=username)


def test_the_operator_confirms_a_first_coordinator(olga, dana, org):
    waiting = add_coordinator(dana)
    operator = signed_in(olga)
    assert 'href="/platform/roles/"' in body(operator.get("/platform/"))  # "To confirm" in the navigation
    page = body(operator.get(URL))
    assert "timur" in page and "timur@example.org" in page and "Volga Help" in page
    response = operator.post(f"/org/access/{waiting.pk}/", {"decision": "confirm", "next": URL}, follow=True)
    assert landed(response) == URL and "Role confirmed." in messages_shown(response)
    membership = Membership.objects.get(user__username="timur")
    assert (membership.role, membership.is_active) == ("coordinator", True)
    assert "Nothing is waiting for your confirmation." in body(operator.get(URL))


def test_a_request_the_organisations_coordinators_decide_is_not_the_operators(olga, dana, bob, org):
    waiting = add_coordinator(dana)
    operator = signed_in(olga)
    assert "timur" not in body(operator.get(URL))
    assert operator.post(f"/org/access/{waiting.pk}/", {"decision": "confirm"}).status_code == 404
    assert RoleRequest.objects.get(pk=waiting.pk).status == "pending"


def test_members_do_not_find_the_page(dana, bob, alice):
    for user in (dana, bob, alice):
        assert signed_in(user).get(URL).status_code == 404
