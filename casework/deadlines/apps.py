from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeadlinesConfig(AppConfig):
    name = "casework.deadlines"
    verbose_name = _("Deadlines")

    def ready(self):
        # Registers the tasks in every process (web too), so services can enqueue them by name.
        from casework.deadlines import tasks  # noqa: F401
