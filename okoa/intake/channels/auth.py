"""Tell the SMS and USSD gateway's callbacks from anybody else's requests.

Africa's Talking does not sign its callbacks. Okoa accepts a callback when every configured check
passes: the shared secret (``OKOA_WEBHOOK_SECRET``, in the callback URL's path or in the
``X-Okoa-Webhook-Secret`` header, compared in constant time) and the allow-list of gateway
addresses (``OKOA_WEBHOOK_ALLOWED_IPS``, CIDRs). With neither configured, every callback is
refused: an open webhook would let anybody fill the triage queue.

The secret is not personal data, but a path that carries it ends up in the web server's access
log: use a random value that is only this secret, and rotate it if a log leaks.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest
from django.utils.crypto import constant_time_compare

from okoa.audit.actions import client_address

SECRET_HEADER = "X-Okoa-Webhook-Secret"

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def allowed_networks() -> list[Network]:
    """The gateway's addresses, from ``OKOA_WEBHOOK_ALLOWED_IPS``."""
    networks = []
    for item in settings.OKOA_WEBHOOK_ALLOWED_IPS:
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError as error:
            raise ImproperlyConfigured(
                f"OKOA_WEBHOOK_ALLOWED_IPS holds {item!r}, which is not an address or CIDR."
            ) from error
    return networks


def is_from_gateway(request: HttpRequest, *, path_secret: str | None = None) -> bool:
    """Whether the request passes every configured check (and at least one is configured)."""
    secret: str = settings.OKOA_WEBHOOK_SECRET or ""
    networks = allowed_networks()
    if not secret and not networks:
        return False
    if secret:
        given = path_secret if path_secret is not None else request.headers.get(SECRET_HEADER, "")
        if not constant_time_compare(given or "", secret):
            return False
    if networks:
        try:
            address = ipaddress.ip_address(client_address(request) or "")
        except ValueError:
            return False
        if not any(address in network for network in networks):
            return False
    return True
