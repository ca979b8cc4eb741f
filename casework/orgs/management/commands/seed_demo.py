"""Load the fictional demo organisations, members, clients and cases from fixtures/demo.yaml."""


import datetime
from decimal import Decimal

import yaml
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from casework.cases import services as case_services
from casework.cases.models import RECORD_KINDS, Case
from casework.clients.services import client_create
from casework.orgs.models import Organisation
from casework.orgs.services import member_create, organisation_create

DEMO_FILE = settings.BASE_DIR / "fixtures" / "demo.yaml"


class Command(BaseCommand):
    help = "Load fictional demo data (local use only; refuses to run with DEBUG off unless --force)."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Run even with DEBUG off.")

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
        self.stdout.write("Each login sets up an authenticator app on its first sign-in (any TOTP app reads the QR code);"
                          " instead of a phone, `.venv/bin/python -m casework.democode alice` prints a login's code.")

    @transaction.atomic
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
        for spec in demo["cases"]:
            self._case(spec, clients[spec["client"]], users[spec["assigned_to"]])

    def _case(self, spec, client, user):
        case = case_services.case_create(
            organisation=client.organisation, client=client, case_type=spec["case_type"],
            jurisdiction=spec["jurisdiction"], assigned_to=user, created_by=user,
            is_sensitive=spec.get("is_sensitive", False), opened_on=spec["opened_on"],
            removal_kind=spec.get("removal_kind", ""),
        )
        details = dict(spec.get("details", {}))
        if hours := details.pop("removal_in_hours", None):
            # Relative to now, so the demo always shows an urgent removal.
            details["scheduled_removal_at"] = (timezone.now() + datetime.timedelta(hours=hours)).replace(minute=0, second=0, microsecond=0)
        if "amount_owed" in details:
            details["amount_owed"] = Decimal(details["amount_owed"])
            details["amount_recovered"] = Decimal(details.get("amount_recovered", "0"))
        case_services.details_update(case=case, **details)
        for event in spec.get("events", []):
            case_services.event_record(case=case, recorded_by=user, **event)
        for kind, records in spec.get("records", {}).items():
            for record in records:
                case_services.record_add(case=case, model=RECORD_KINDS[kind][0], **record)
        for text in spec.get("notes", []):
            case_services.note_add(case=case, text=text, author=user)
        if outcome := spec.get("close"):
            case_services.case_set_status(case=case, status=Case.Status.CLOSED, outcome=outcome, changed_by=user)
