from django.apps import AppConfig


class VaultConfig(AppConfig):
    name = "okoa.vault"
    verbose_name = "Key ring and encryption checks"

    def ready(self) -> None:
        from okoa.vault import checks  # noqa: F401  (registers the system checks)
