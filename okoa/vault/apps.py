from django.apps import AppConfig


class VaultConfig(AppConfig):
    name = "okoa.vault"
    verbose_name = "Key ring and encryption checks"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from okoa.vault import checks  # noqa: F401  (registers the system checks)
        from okoa.vault.planner import refresh_after_migrate

        # Once per migrate, after every app's migrations (post_migrate is sent per app).
        post_migrate.connect(refresh_after_migrate, sender=self)
