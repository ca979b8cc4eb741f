"""What a platform operator does on the pages, for scripted deployments:

    manage.py platform create-organisation --name NAME --slug SLUG --country RU --admin-username U --admin-email E
    manage.py platform invite-admin --slug SLUG
    manage.py platform create-operator --username U --email E
    manage.py platform invite-operator --username U
    manage.py platform suspend --slug SLUG
    manage.py platform reactivate --slug SLUG

Every invitation goes by e-mail to its person (set EMAIL_BACKEND and SITE_URL); nothing secret is printed.
Each change is audited with no actor (a script)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from casework.orgs.models import JURISDICTIONS, Organisation, PlatformOperator
from casework.orgs.services import InvitationNotSent
from casework.platform import services


class Command(BaseCommand):
    help = "Create organisations and platform operators, suspend and reactivate organisations."

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        languages = [code for code, _name in settings.LANGUAGES]

        create = commands.add_parser("create-organisation", help="An organisation and its first admin, invited by e-mail.")
        create.add_argument("--name", required=True)
        create.add_argument("--slug", required=True, help="Short name: lower-case letters, digits, hyphens.")
        create.add_argument("--country", required=True, choices=[code for code, _name in JURISDICTIONS])
        create.add_argument("--admin-username", required=True)
        create.add_argument("--admin-email", required=True)
        create.add_argument("--language", choices=languages, default=settings.LANGUAGE_CODE,
                            help="Of the invitation e-mail and the admin's pages.")

        admin = commands.add_parser("invite-admin", help="A new set-password e-mail for an organisation's admin "
                                                         "who has not set a password yet.")
        admin.add_argument("--slug", required=True)

        operator = commands.add_parser("create-operator", help="A platform operator, invited by e-mail.")
        operator.add_argument("--username", required=True)
        operator.add_argument("--email", required=True)
        operator.add_argument("--language", choices=languages, default=settings.LANGUAGE_CODE)

        invite = commands.add_parser("invite-operator", help="A new set-password e-mail for an operator.")
        invite.add_argument("--username", required=True)
        invite.add_argument("--language", choices=languages, default=settings.LANGUAGE_CODE)

        for action in ("suspend", "reactivate"):
            command = commands.add_parser(action, help=f"{action.capitalize()} an organisation.")
            command.add_argument("--slug", required=True)

    def handle(self, *args, action, **options):
        try:
            getattr(self, "_" + action.replace("-", "_"))(**options)
        except ValidationError as error:
            raise CommandError(" ".join(_messages(error))) from None

    def _create_organisation(self, *, name, slug, country, admin_username, admin_email, language, **_options):
        try:
            organisation = services.organisation_open(
                name=name, slug=slug, country=country, admin_username=admin_username, admin_email=admin_email,
                language=language, by=None,
            )
        except InvitationNotSent as error:
            raise CommandError(f"Organisation {error.organisation.slug} created, but its admin's invitation e-mail could "
                               f"not be sent: run `platform invite-admin --slug {error.organisation.slug}` once the "
                               "mail server works.") from None
        self.stdout.write(f"Organisation {organisation.slug} created; its admin {admin_username} was e-mailed an invitation.")

    def _invite_admin(self, *, slug, **_options):
        count = services.admin_invite(organisation=_organisation(slug), by=None)
        self.stdout.write(f"{count} admin(s) of {slug} e-mailed a new invitation.")

    def _create_operator(self, *, username, email, language, **_options):
        services.operator_create(username=username, email=email, language=language)
        self.stdout.write(f"Platform operator {username} created and e-mailed an invitation.")

    def _invite_operator(self, *, username, language, **_options):
        operator = PlatformOperator.objects.filter(user__username__iexact=username).first()
        if operator is None:
            raise CommandError(f"No platform operator {username!r}.")
        services.operator_invite(operator=operator, language=language)
        self.stdout.write(f"Platform operator {operator.user.username} was e-mailed a new invitation.")

    def _suspend(self, *, slug, **_options):
        changed = services.organisation_suspend(organisation=_organisation(slug), by=None)
        self.stdout.write(f"Organisation {slug} suspended." if changed else f"Organisation {slug} was already suspended.")

    def _reactivate(self, *, slug, **_options):
        changed = services.organisation_reactivate(organisation=_organisation(slug), by=None)
        self.stdout.write(f"Organisation {slug} reactivated." if changed else f"Organisation {slug} was already active.")


def _organisation(slug: str) -> Organisation:
    organisation = Organisation.objects.filter(slug=slug).first()
    if organisation is None:
        raise CommandError(f"No organisation {slug!r}.")
    return organisation


def _messages(error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        return [f"{field}: {message}" for field, messages in error.message_dict.items() for message in messages]
    return error.messages
