"""SMS gateways: how an outbound SMS leaves Okoa.

``OKOA_SMS_GATEWAY`` chooses one:

* ``africastalking``: Africa's Talking's messaging API (``POST {OKOA_SMS_API_URL}/version1/
  messaging`` with the ``apiKey`` header), the gateway most Kenyan services use;
* ``console``: prints messages on standard output (development only: refused in production);
* ``null``: accepts every message and sends nothing (tests and benchmarks);
* ``none``: no gateway: no acknowledgement SMS is queued at all.

A gateway raises ``GatewayError`` when the whole request failed (the network, an HTTP error) and
otherwise answers one ``SendResult`` per number. Error texts name statuses, never a number or
a message.
"""

from __future__ import annotations

import http.client
import json
import ssl
import sys
import threading
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any, Protocol, TextIO
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from okoa.lib import names


@dataclass(frozen=True)
class SendResult:
    """What the gateway did with the message to one number."""

    number: str
    accepted: bool
    # Sending again cannot help (an invalid or blacklisted number, DND).
    permanent_failure: bool = False
    message_id: str = ""
    status: str = ""


class GatewayError(Exception):
    """The gateway could not be reached or refused the whole request: try again later."""


class Gateway(Protocol):
    def send(self, to: list[str], message: str) -> list[SendResult]:
        """Send ``message`` to every number of ``to``; one result per number, in order."""
        ...


class AfricasTalkingGateway:
    """Africa's Talking's SMS API (``version1/messaging``), over HTTPS with the standard library.

    Recipient status codes: 100 processed, 101 sent, 102 queued are accepted; 403 invalid phone
    number, 404 unsupported number type, 406 user in blacklist and 409 do-not-disturb rejection
    are permanent; the rest (balance, routing, gateway errors) are tried again later.
    """

    ACCEPTED = frozenset({100, 101, 102})
    PERMANENT = frozenset({403, 404, 406, 409})

    def __init__(
        self,
        *,
        base_url: str,
        username: str,
        api_key: str,
        sender_id: str = "",
        timeout: float = 10.0,
    ) -> None:
        if urlsplit(base_url).scheme not in ("https", "http"):
            raise ImproperlyConfigured("OKOA_SMS_API_URL must be an https:// URL.")
        if not username or not api_key:
            raise ImproperlyConfigured(
                "OKOA_SMS_USERNAME and OKOA_SMS_API_KEY are needed to send SMS through "
                "Africa's Talking."
            )
        self.url = base_url.rstrip("/") + "/version1/messaging"
        self.username, self.api_key = username, api_key
        self.sender_id, self.timeout = sender_id, timeout

    def send(self, to: list[str], message: str) -> list[SendResult]:
        fields = {"username": self.username, "to": ",".join(to), "message": message}
        if self.sender_id:
            fields["from"] = self.sender_id
        body = urlencode(fields).encode("utf-8")
        headers = {
            "apiKey": self.api_key,
            "Accept": "application/json",
            "Content-Type": "application/x-www-form-urlencoded",
        }
        if _proxy_for(self.url):
            status, content = self._post_through_urllib(body, headers)
        else:
            status, content = self._post(body, headers)
        if status >= 400:
            raise GatewayError(f"HTTP {status}")
        try:
            payload = json.loads(content)
        except ValueError:
            raise GatewayError("the answer is not JSON") from None
        return self._results(to, payload)

    def _post(self, body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
        """POST on this thread's open connection to the gateway (a new one when there is none).

        One connection per sender thread, kept open between messages: over HTTPS a new
        connection costs a TLS handshake (CPU on both sides and round trips to the gateway) for
        every acknowledgement of a surge. A kept connection the gateway has closed meanwhile
        fails before any answer: the message is then sent once more on a new connection.
        """
        parts = urlsplit(self.url)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        for attempt in (1, 2):
            connection, reused = _open_connection(parts.scheme, parts.netloc, self.timeout)
            try:
                connection.request("POST", path, body=body, headers=headers)
                response = connection.getresponse()
                content = response.read(1_000_000)
                if response.will_close:
                    _forget_connection(parts.scheme, parts.netloc, self.timeout)
                return response.status, content
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError) as error:
                _forget_connection(parts.scheme, parts.netloc, self.timeout)
                if reused and attempt == 1:
                    continue  # closed by the gateway while idle
                raise GatewayError(f"unreachable ({type(error).__name__})") from None
            except (OSError, http.client.HTTPException) as error:
                _forget_connection(parts.scheme, parts.netloc, self.timeout)
                raise GatewayError(f"unreachable ({type(error).__name__})") from None
        raise AssertionError("unreachable")  # pragma: no cover

    def _post_through_urllib(self, body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
        """POST through the proxy the environment names (``https_proxy``): a connection each."""
        request = urllib.request.Request(  # noqa: S310 (the scheme is checked in __init__)
            self.url, data=body, method="POST", headers=headers
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                return response.status, response.read(1_000_000)
        except urllib.error.HTTPError as error:
            return error.code, b""
        except (urllib.error.URLError, OSError) as error:
            raise GatewayError(f"unreachable ({type(error).__name__})") from None

    def _results(self, to: list[str], payload: Any) -> list[SendResult]:
        data = payload.get("SMSMessageData") if isinstance(payload, dict) else None
        recipients = data.get("Recipients") if isinstance(data, dict) else None
        if not isinstance(recipients, list):
            raise GatewayError("the answer has no recipients")
        by_number: dict[str, dict[str, Any]] = {}
        for recipient in recipients:
            if isinstance(recipient, dict):
                by_number[names.normalise_phone(str(recipient.get("number", "")))] = recipient
        results = []
        for number in to:
            recipient = by_number.get(names.normalise_phone(number))
            if recipient is None:
                results.append(SendResult(number, accepted=False, status="not in the answer"))
                continue
            try:
                code = int(recipient.get("statusCode", 0))
            except (TypeError, ValueError):
                code = 0
            results.append(
                SendResult(
                    number,
                    accepted=code in self.ACCEPTED,
                    permanent_failure=code in self.PERMANENT,
                    message_id=str(recipient.get("messageId", ""))[:100],
                    status=f"{code} {recipient.get('status', '')}".strip()[:100],
                )
            )
        return results


_connections = threading.local()


def _open_connection(
    scheme: str, netloc: str, timeout: float
) -> tuple[http.client.HTTPConnection, bool]:
    """This thread's connection to ``netloc``, and whether it was used before."""
    kept: dict[tuple[str, str, float], http.client.HTTPConnection] = (
        _connections.__dict__.setdefault("by_address", {})
    )
    key = (scheme, netloc, timeout)
    if (connection := kept.get(key)) is not None:
        return connection, True
    if scheme == "https":
        connection = http.client.HTTPSConnection(
            netloc, timeout=timeout, context=ssl.create_default_context()
        )
    else:
        connection = http.client.HTTPConnection(netloc, timeout=timeout)
    kept[key] = connection
    return connection, False


def _forget_connection(scheme: str, netloc: str, timeout: float) -> None:
    kept = _connections.__dict__.get("by_address", {})
    if (connection := kept.pop((scheme, netloc, timeout), None)) is not None:
        connection.close()


def _proxy_for(url: str) -> bool:
    """Whether the environment sends requests to ``url`` through a proxy."""
    parts = urlsplit(url)
    proxies = urllib.request.getproxies()
    return parts.scheme in proxies and not urllib.request.proxy_bypass(parts.hostname or "")


class ConsoleGateway:
    """Print messages instead of sending them (development only)."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream

    def send(self, to: list[str], message: str) -> list[SendResult]:
        stream = self.stream or sys.stdout
        for number in to:
            stream.write(f"SMS to {number}: {message}\n")
        return [SendResult(number, accepted=True, status="printed") for number in to]


class NullGateway:
    """Accept every message and send nothing."""

    def send(self, to: list[str], message: str) -> list[SendResult]:
        return [SendResult(number, accepted=True, status="discarded") for number in to]


GATEWAYS = ("africastalking", "console", "null", "none")


def sms_enabled() -> bool:
    """Whether acknowledgements are sent by SMS at all (``OKOA_SMS_GATEWAY`` is not ``none``)."""
    return settings.OKOA_SMS_GATEWAY != "none"


def get_gateway() -> Gateway:
    """Return the gateway that ``OKOA_SMS_GATEWAY`` names."""
    name = settings.OKOA_SMS_GATEWAY
    if name == "africastalking":
        return AfricasTalkingGateway(
            base_url=settings.OKOA_SMS_API_URL,
            username=settings.OKOA_SMS_USERNAME,
            api_key=settings.OKOA_SMS_API_KEY,
            sender_id=settings.OKOA_SMS_SENDER_ID,
            timeout=settings.OKOA_SMS_TIMEOUT_SECONDS,
        )
    if name == "console":
        return ConsoleGateway()
    if name == "null":
        return NullGateway()
    raise ImproperlyConfigured(f"OKOA_SMS_GATEWAY={name!r} sends nothing: choose {GATEWAYS}.")
