"""ASGI entry point. Verifies the encryption keys before serving a single request."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "okoa.settings")

application = get_asgi_application()

from okoa.vault.keys import verify_at_start_up  # noqa: E402  (needs Django set up)

verify_at_start_up()
