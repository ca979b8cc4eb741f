"""`manage.py rotate_keys`: re-encrypt everything under a new field key, or rebuild the blind indexes
under a new BLIND_INDEX_KEY. See casework/security/rotation.py for how, README "Keys" for when."""

from django.core.management.base import BaseCommand, CommandError

from casework import crypto
from casework.security import rotation


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted column and document file under the first key of FIELD_ENCRYPTION_KEY "
        "(put the new key first, keep the old ones after it, and restart every web and worker process "
        "with that list before running this). With --blind-index, rebuild the blind indexes under the "
        "current BLIND_INDEX_KEY instead. Resumable: a new run continues after the last finished batch."
    )

    def add_arguments(self, parser):
        parser.add_argument("--blind-index", action="store_true",
                            help="Rebuild the blind indexes under the current BLIND_INDEX_KEY.")
        parser.add_argument("--batch-size", type=int, default=rotation.BATCH_SIZE,
                            help=f"Rows per transaction (default {rotation.BATCH_SIZE}).")
        parser.add_argument("--restart", action="store_true",
                            help="Ignore the progress of earlier runs under the same key and go through everything again.")

    def handle(self, *args, blind_index=False, batch_size=rotation.BATCH_SIZE, restart=False, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        if blind_index:
            fingerprint = crypto.blind_index_key_fingerprint()
            self.stdout.write(f"Rebuilding blind indexes under BLIND_INDEX_KEY {fingerprint}.")
            work = rotation.rebuild_blind_indexes
        else:
            if crypto.key_count() < 2:
                raise CommandError(
                    "FIELD_ENCRYPTION_KEY holds one key: put the new key first and the old key(s) after it."
                )
            fingerprint = crypto.field_key_fingerprint()
            self.stdout.write(f"Re-encrypting under FIELD_ENCRYPTION_KEY {fingerprint}.")
            work = rotation.rotate_field_keys
        try:
            done = work(batch_size=batch_size, restart=restart, on_batch=self._batch_done)
        except rotation.RotationError as error:
            raise CommandError(f"{error} Nothing of that batch was written; fix it and run again to resume.") from None
        self.stdout.write("Summary:")
        for progress in done:
            missing = f", {progress.files_missing} file(s) missing" if progress.files_missing else ""
            self.stdout.write(f"  {progress.get_kind_display():18} {progress.model_label:28} {progress.rows_done:>9} rows{missing}")
        if blind_index:
            self.stdout.write(self.style.SUCCESS("Done: every blind index is under the current key."))
        else:
            self.stdout.write(self.style.SUCCESS(
                f"Done: everything is under key {fingerprint}. Remove the old keys from FIELD_ENCRYPTION_KEY "
                "once no backup you may need to restore is encrypted with them."
            ))

    def _batch_done(self, progress):
        self.stdout.write(f"  {progress.get_kind_display()} {progress.model_label}: {progress.rows_done} rows (up to pk {progress.last_pk})")
