from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """Fictional demo data and the ``demo`` command; installed in development mode only."""

    name = "okoa.demo"
    verbose_name = _("Demo data")
