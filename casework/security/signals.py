import time

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from casework.security.sessions import LOGIN_AT, LAST_SEEN


@receiver(user_logged_in)
def _stamp_session(sender, request, user, **kwargs):
    now = time.time()
    request.session[LOGIN_AT] = now
    request.session[LAST_SEEN] = now
