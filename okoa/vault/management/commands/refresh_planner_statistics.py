from django.core.management.base import BaseCommand

from okoa.vault.planner import refresh_planner_statistics


class Command(BaseCommand):
    help = (
        "Refresh the database's query-planner statistics (ANALYZE). Daily from cron on SQLite "
        "installations, as tables grow; migrate runs it too."
    )

    def handle(self, *args: object, **options: object) -> None:
        """Analyse the default database."""
        refresh_planner_statistics()
        self.stdout.write("Planner statistics refreshed.")
