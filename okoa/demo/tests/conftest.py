"""Fixtures of the demo tests: the demo, loaded through its command.

Loading the demo takes about a second, so the demo tests load it once, inside a transaction that
is rolled back when the last of them has run; each test still runs in its own savepoint
(pytest-django ``db``), so a test's own changes never reach the next test.
"""

from __future__ import annotations

from collections.abc import Iterator
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings


def run_demo() -> str:
    """Run ``manage.py demo`` and return what it printed."""
    output = StringIO()
    # System checks are the project's, not the demo's; `make check` runs them.
    call_command("demo", stdout=output, skip_checks=True)
    return output.getvalue()


# The root conftest's fast hasher is function-scoped and not yet active for a package fixture.
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="package")
def _demo_for_package(django_db_setup, django_db_blocker) -> Iterator[str]:
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=FAST_HASHERS),
        transaction.atomic(),
    ):
        yield run_demo()
        transaction.set_rollback(True)


@pytest.fixture
def demo_output(_demo_for_package: str, db) -> str:
    """The loaded demo; the value is what the command printed."""
    return _demo_for_package
