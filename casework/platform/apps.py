from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlatformConfig(AppConfig):
    """The pages and command of the people who run the deployment (platform operators): organisations and
    their counts, never their data."""

    name = "casework.platform"
    verbose_name = _("Platform")
