"""WSGI entry point. Before serving a single request, verifies the encryption keys and runs
Okoa's security checks (refusing to start on a critical one, e.g. okoa.E003: two-step
verification off in production)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "okoa.settings")

application = get_wsgi_application()

from okoa.vault.keys import verify_at_start_up  # noqa: E402  (needs Django set up)

verify_at_start_up()

from okoa.accounts.checks import stop_on_critical_security_problems  # noqa: E402

stop_on_critical_security_problems()
