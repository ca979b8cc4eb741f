"""Load the fictional demo organisations, members, clients and cases from fixtures/demo.yaml."""


import yaml
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from casework.cases.services import case_create
from casework.clients.services import client_create
from casework.orgs.models import Organisation
from casework.orgs.services import member_create, organisation_create

DEMO_FILE = settings.BASE_DIR / "fixtures" / "demo.yaml"


class Command(BaseCommand):
    help = "Load fictional demo data (local use only; refuses to run with DEBUG off unless --force)."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Run even with DEBUG off.")

    @transaction.atomic
    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError("Demo data is for local use: DEBUG is off (use --force to insist).")
        demo = yaml.safe_load(DEMO_FILE.read_text(encoding="utf-8"))
        if Organisation.objects.filter(slug=demo["organisations"][0]["slug"]).exists():
            self.stdout.write("Demo data already loaded.")
        else:
            self._load(demo)
        self.stdout.write(f"Demo logins (password '{demo['password']}'):")
        for member in demo["members"]:
            self.stdout.write(f"  {member['username']:8} {member['role']:12} {member['organisation']}")

    def _load(self, demo):
        orgs = {o["slug"]: organisation_create(**o) for o in demo["organisations"]}
        users = {}
        for m in demo["members"]:
            membership = member_create(
                organisation=orgs[m["organisation"]], password=demo["password"],
                **{k: v for k, v in m.items() if k != "organisation"},
            )
            users[m["username"]] = membership.user
        clients = {}
        for c in demo["clients"]:
            fields = {k: v for k, v in c.items() if k not in ("key", "organisation", "created_by")}
            clients[c["key"]] = client_create(
                organisation=orgs[c["organisation"]], created_by=users[c["created_by"]], **fields
            )
        for k in demo["cases"]:
            client = clients[k["client"]]
            case_create(
                organisation=client.organisation,
                client=client,
                case_type=k["case_type"],
                jurisdiction=k["jurisdiction"],
                assigned_to=users[k["assigned_to"]],
                created_by=users[k["assigned_to"]],
                is_sensitive=k.get("is_sensitive", False),
                opened_on=k["opened_on"],
            )
