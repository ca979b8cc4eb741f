from django.conf import settings
from django.db import models


class SessionFence(models.Model):
    """Sessions of this user that began before `not_before` are no longer valid: 'sign out everywhere'
    without scanning every session row."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="session_fence")
    not_before = models.DateTimeField()
