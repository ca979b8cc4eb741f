from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "casework.privacy"
    verbose_name = _("Privacy and retention")

    def ready(self):
        # Registers the tasks in every process (web too), so services can enqueue them by name.
        from casework.privacy import tasks  # noqa: F401
