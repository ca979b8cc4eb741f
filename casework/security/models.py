from django.conf import settings
from django.db import models


class SessionFence(models.Model):
    """Sessions of this user that began before `not_before` are no longer valid: 'sign out everywhere'
    without scanning every session row."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="session_fence")
    not_before = models.DateTimeField()


class RotationProgress(models.Model):
    """How far `manage.py rotate_keys` got with one table (or the document files) under one key, so an
    interrupted run resumes after the last finished batch instead of starting again.

    The key is named by a fingerprint (a truncated SHA-256 of it), never stored: a run under a newer
    key starts afresh because its fingerprint differs."""

    class Kind(models.TextChoices):
        COLUMNS = "columns", "encrypted columns"
        FILES = "files", "document files"
        BLIND_INDEX = "blind_index", "blind indexes"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    model_label = models.CharField(max_length=100)
    key_fingerprint = models.CharField(max_length=16)
    last_pk = models.BigIntegerField(default=0)
    rows_done = models.BigIntegerField(default=0)
    # Files a row names that are not on disk: reported, never fatal.
    files_missing = models.BigIntegerField(default=0)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "model_label", "key_fingerprint"], name="rotation_progress_unique"),
        ]

    def __str__(self):
        return f"{self.kind} {self.model_label} {self.key_fingerprint} after {self.last_pk}"
