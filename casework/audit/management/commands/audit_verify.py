from django.core.management.base import BaseCommand, CommandError

from casework.audit.chain import chain_check
from casework.audit.models import AccessEvent


class Command(BaseCommand):
    help = "Walk the audit trail's hash chain in order and report the first broken link (exit status 1)."

    def handle(self, *args, **options):
        result = chain_check(AccessEvent.objects.order_by("pk").iterator(chunk_size=2000))
        if result.broken_id is not None:
            raise CommandError(
                f"Broken at event {result.broken_id}: it does not follow from the event before it "
                f"({result.checked} events verified before it)."
            )
        self.stdout.write(f"OK: {result.checked} events")
        self.stdout.write(f"Last hash: {result.head}")
