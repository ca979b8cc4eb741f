"""`manage.py platform …` does what the operator's pages do, for scripted deployments: each invitation goes by
e-mail, nothing secret is printed, bad input is a clear error and changes nothing."""

import io

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from casework.audit.models import AccessEvent, Action
from casework.orgs.models import Membership, Organisation, PlatformOperator

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]


def platform(*args) -> str:
    out = io.StringIO()
    call_command("platform", *args, stdout=out)
    return out.getvalue()


CREATE = ["create-organisation", "--name", "Ферғана Ҳуқуқ", "--slug", "fergana", "--country", "UZ",
          "--admin-username", "nodira", "--admin-email", "nodira@example.org"]


def test_create_organisation_invites_its_admin_by_email_and_prints_no_link():
    out = platform(*CREATE)
    organisation = Organisation.objects.get(slug="fergana")
    admin = Membership.objects.get(organisation=organisation)
    assert (admin.user.username, admin.role) == ("nodira", "org_admin")
    [message] = mail.outbox
    assert message.to == ["nodira@example.org"] and "/accounts/invitation/" in message.body
    assert "/accounts/invitation/" not in out and "fergana" in out
    assert AccessEvent.objects.get(action=Action.ORG_CREATE).organisation == organisation


def test_a_mail_server_that_fails_says_how_to_invite_the_admin_again(settings):
    settings.EMAIL_BACKEND = "tests.orgs.failing_mail.Backend"
    with pytest.raises(CommandError, match="run `platform invite-admin --slug fergana`"):
        platform(*CREATE)
    assert Membership.objects.filter(organisation__slug="fergana", user__username="nodira").exists()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert "1 admin(s) of fergana e-mailed a new invitation." in platform("invite-admin", "--slug", "fergana")
    [message] = mail.outbox
    assert message.to == ["nodira@example.org"]
    assert AccessEvent.objects.filter(action=Action.INVITATION).count() == 1
    with pytest.raises(CommandError, match="No organisation 'nowhere'"):
        platform("invite-admin", "--slug", "nowhere")


@pytest.mark.parametrize("changes, error", [
    ({"--slug": "volga"}, "slug: This short name is taken by another organisation."),
    ({"--name": "Volga Help"}, "name: An organisation with this name exists already."),
    ({"--admin-username": "dana"}, "admin_username: This username is taken."),
    ({"--admin-email": "not an address"}, "admin_email: Enter a valid email address."),
    ({"--name": "x" * 10_000}, "name: Ensure this value has at most 200 characters"),
    ({"--country": "XX"}, "invalid choice: 'XX'"),
])
def test_bad_input_is_an_error_that_says_why(org, dana, changes, error):
    args = list(CREATE)
    for option, value in changes.items():
        args[args.index(option) + 1] = value
    with pytest.raises(CommandError, match=error.replace("(", r"\(")):
        platform(*args)
    assert not Organisation.objects.filter(slug="fergana").exists() and mail.outbox == []


def test_create_operator_makes_an_account_of_no_organisation_and_emails_it():
    out = platform("create-operator", "--username", "olga", "--email", "olga@example.org")
    operator = PlatformOperator.objects.get(user__username="olga")
    assert not Membership.objects.filter(user=operator.user).exists()
    assert not operator.user.has_usable_password()
    [message] = mail.outbox
    assert message.to == ["olga@example.org"] and "/accounts/invitation/" not in out
    with pytest.raises(CommandError, match="username: This username is taken."):
        platform("create-operator", "--username", "OLGA", "--email", "other@example.org")
    with pytest.raises(CommandError, match="email: An e-mail address is needed"):
        platform("create-operator", "--username", "oleg", "--email", "")
    assert PlatformOperator.objects.count() == 1

    platform("invite-operator", "--username", "olga")
    assert len(mail.outbox) == 2 and mail.outbox[1].to == ["olga@example.org"]
    with pytest.raises(CommandError, match="No platform operator 'nobody'"):
        platform("invite-operator", "--username", "nobody")


def test_suspend_and_reactivate_by_slug_twice_each(org):
    assert "suspended." in platform("suspend", "--slug", "volga")
    assert "already suspended" in platform("suspend", "--slug", "volga")
    assert "reactivated." in platform("reactivate", "--slug", "volga")
    assert "already active" in platform("reactivate", "--slug", "volga")
    assert list(AccessEvent.objects.filter(organisation=org).exclude(action=Action.ORG_CREATE)
                .order_by("pk").values_list("action", "actor")) == [
        (Action.ORG_SUSPEND, None), (Action.ORG_REACTIVATE, None)]
    with pytest.raises(CommandError, match="No organisation 'nowhere'"):
        platform("suspend", "--slug", "nowhere")

