from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    name = "okoa.intake"
    verbose_name = _("Intake")

    def ready(self) -> None:
        from okoa.intake import checks  # noqa: F401  (registers the system checks)
