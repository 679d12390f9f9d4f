from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "okoa.accounts"
    verbose_name = _("Organisations and users")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from okoa.accounts import checks  # noqa: F401  (registers the system checks)
        from okoa.accounts.middleware import start_session_clock_on_login

        user_logged_in.connect(start_session_clock_on_login, dispatch_uid="okoa_session_clock")
