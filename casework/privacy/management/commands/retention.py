"""`manage.py retention`: the retention run by hand, or with --dry-run the list of what it would erase.
The scheduled Celery task uses the same selectors and services."""

import datetime

from django.core.management.base import BaseCommand
from django.utils import timezone

from casework.privacy import selectors, services


class Command(BaseCommand):
    help = (
        "Erase the personal data of cases closed longer than their organisation's retention period, and of "
        "clients registered that long ago who never had a case, unless a legal hold keeps them. "
        "With --dry-run, list what would be erased (references and dates only) and change nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="List what would be erased; change nothing.")
        parser.add_argument("--date", type=datetime.date.fromisoformat,
                            help="Judge retention as on this day (YYYY-MM-DD), e.g. to see what goes next month.")

    def handle(self, *args, dry_run=False, date=None, **options):
        today = date or timezone.localdate()
        if not dry_run:
            cases, clients = services.retention_run(today=today)
            self.stdout.write(f"Erased the personal data of {cases} case(s) and {clients} client(s) without a case.")
            return
        due = list(selectors.cases_due_for_erasure(today).values_list("reference", "closed_on"))
        self.stdout.write(f"Would erase {len(due)} case(s):")
        for reference, closed_on in due:
            self.stdout.write(f"  {reference}  closed {closed_on:%Y-%m-%d}")
        clients = list(selectors.clients_due_for_erasure(today).values_list("public_id", "created_at"))
        self.stdout.write(f"Would erase {len(clients)} client(s) who never had a case:")
        for public_id, created_at in clients:
            self.stdout.write(f"  {public_id}  registered {timezone.localdate(created_at):%Y-%m-%d}")
        held = selectors.cases_held_past_retention(today)
        self.stdout.write(f"Kept on legal hold past retention: {len(held)} case(s):")
        for case in held:
            reasons = "; ".join(str(label) for kind, label in selectors.HOLD_KINDS.items() if getattr(case, kind))
            self.stdout.write(f"  {case.reference}  closed {case.closed_on:%Y-%m-%d}  held by {reasons}")
