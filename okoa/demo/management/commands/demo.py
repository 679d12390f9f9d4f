"""The ``demo`` command: load the invented demo data and print the demo logins."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from okoa.accounts.models import Membership
from okoa.demo import data
from okoa.demo.loading import DemoDataError, load_demo


class Command(BaseCommand):
    """Load the fictional demo (idempotent) and print the logins; refused in production."""

    help = (
        "Load invented demo organisations, logins, survivors and cases into a development "
        "database, then print the demo logins. Running it again changes nothing."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        """Refuse in production, load the demo unless it is there, print the logins."""
        if settings.PRODUCTION:
            raise CommandError(
                "Refusing to load demo data: this installation runs in production mode "
                "(SECRET_KEY is set). The demo's invented people and shared password belong "
                "in development databases only."
            )
        try:
            created = load_demo()
        except DemoDataError as error:
            raise CommandError(str(error)) from error
        if created:
            self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        else:
            self.stdout.write("Demo data is already loaded; nothing changed.")
        self.print_logins()

    def print_logins(self) -> None:
        """Print every demo login, its role and organisation, and the shared password."""
        organisations = {
            organisation.reference_prefix: organisation.name for organisation in data.ORGANISATIONS
        }
        rows = [
            (
                login.email,
                str(Membership.Role(login.role).label) if login.role else "Site administrator",
                organisations[login.organisation] if login.organisation else "-",
            )
            for login in data.LOGINS
        ]
        widths = [max(len(row[column]) for row in rows) for column in (0, 1)]
        self.stdout.write("")
        self.stdout.write(
            self.style.WARNING(
                "DEMO ONLY: invented people and organisations. Never use these logins or this "
                "password on a real installation."
            )
        )
        self.stdout.write(f"Password for every demo login: {data.DEMO_PASSWORD}")
        self.stdout.write("")
        for email, role, organisation in [("Email", "Role", "Organisation"), *rows]:
            self.stdout.write(f"{email:<{widths[0]}}  {role:<{widths[1]}}  {organisation}")
