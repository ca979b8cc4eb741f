"""Member management exists only for the organisation's own admin: everyone else gets a 404,
and nothing changes."""

import pytest

from casework.orgs.models import Membership


def member_urls(membership_id):
    return [
        ("get", "/org/members/", {}),
        ("get", "/org/members/new/", {}),
        ("post", "/org/members/new/", {"username": "intruder", "role": "org_admin"}),
        ("get", f"/org/members/{membership_id}/", {}),
        ("post", f"/org/members/{membership_id}/", {"role": "org_admin"}),
        ("post", f"/org/members/{membership_id}/active/", {"active": "0"}),
    ]


def snapshot():
    return sorted(Membership.objects.values_list("user__username", "role", "is_active"))


@pytest.mark.parametrize("who", ["alice", "bob"])
def test_caseworker_and_coordinator_get_404(request, login, who, alice, bob, dana):
    user = request.getfixturevalue(who)
    client = login(user)
    before = snapshot()
    for method, url, data in member_urls(dana.membership.pk):
        assert getattr(client, method)(url, data).status_code == 404, f"{method} {url}"
    assert snapshot() == before


def test_admin_cannot_open_another_organisations_member(login, dana, charlie, erin):
    client = login(dana)
    before = snapshot()
    for method, url, data in member_urls(charlie.membership.pk)[3:]:
        assert getattr(client, method)(url, data).status_code == 404, f"{method} {url}"
    assert snapshot() == before
    charlie.refresh_from_db()
    assert charlie.is_active


def test_other_organisations_admin_cannot_manage_alice(login, alice, dana, frank):
    client = login(frank)
    before = snapshot()
    for method, url, data in member_urls(alice.membership.pk)[3:]:
        assert getattr(client, method)(url, data).status_code == 404, f"{method} {url}"
    assert snapshot() == before
    assert "alice" not in client.get("/org/members/").content.decode()
