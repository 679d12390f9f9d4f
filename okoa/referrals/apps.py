from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferralsConfig(AppConfig):
    name = "okoa.referrals"
    verbose_name = _("Referrals")

    def ready(self) -> None:
        from okoa.referrals import kinds  # noqa: F401  (registers the referral message kinds)
