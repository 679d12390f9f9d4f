from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    name = "okoa.exchange"
    verbose_name = _("Exchange between installations")

    def ready(self) -> None:
        from okoa.exchange import kinds  # noqa: F401  (registers the exchange's own kinds)
