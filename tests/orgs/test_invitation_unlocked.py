"""A slow mail server holds nothing up: every invitation e-mail goes outside any transaction, so the trail's
one lock (taken by each audit record until its transaction commits) is free while the server answers, and
every other audited page goes on. Real transactions here (the test's own would hold the lock)."""

import pytest
from django.db import connection, connections

from casework.audit.models import AccessEvent, Action
from casework.audit.services import CHAIN_LOCK
from casework.orgs.models import Membership
from tests.pages import messages_shown

pytestmark = pytest.mark.django_db(transaction=True)

SEEN = []  # for each e-mail sent: (inside a transaction?, the chain lock free for another connection?)


class Backend:
    """Sends nothing; notes what holds the database while the mail server would be answering."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        SEEN.append((connection.in_atomic_block, _chain_lock_free()))
        return len(messages)


def _chain_lock_free():
    if connection.vendor != "postgresql":
        return True  # SQLite: one writer anyway, and no transaction is open (asserted beside)
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [CHAIN_LOCK])
            free = cursor.fetchone()[0]
            if free:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [CHAIN_LOCK])
        return free
    finally:
        other.close()


@pytest.fixture(autouse=True)
def watching_mail(settings):
    settings.EMAIL_BACKEND = f"{__name__}.Backend"
    SEEN.clear()


def test_each_invitation_goes_with_nothing_locked(login, dana, olga, org):
    admin = login(dana)
    response = admin.post("/org/members/new/", {"username": "timur", "email": "timur@example.org",
                                                "role": "coordinator"}, follow=True)
    assert "sent to the member's e-mail address" in messages_shown(response)
    timur = Membership.objects.get(user__username="timur")
    admin.post(f"/org/members/{timur.pk}/invitation/")
    operator = login(olga)
    operator.post("/platform/new/", {"name": "Ферғана Ҳуқуқ", "slug": "fergana", "country": "UZ",
                                     "admin_username": "nodira", "admin_email": "nodira@example.org",
                                     "language": "ru", "submission_token": "8c4e7c8e-1f0e-4b7e-9d7c-5a7c1e0b6f21"})
    operator.post("/platform/organisations/fergana/invitation/")
    assert SEEN == [(False, True)] * 4
    assert AccessEvent.objects.filter(action=Action.INVITATION).count() == 4
