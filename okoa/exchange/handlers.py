"""What each kind of message does when it arrives: one handler per kind.

Apps register their handlers in ``AppConfig.ready()``::

    from okoa.exchange.handlers import register

    @register("referrals.referral")
    def receive_referral(*, partner, from_organisation, to_organisation, body, message_id,
                         in_reply_to):
        ...

Contract of a handler:

* It runs inside the transaction that records the message as received (``InboundMessage``):
  its changes and that record commit together or not at all. It may queue answers with
  ``okoa.exchange.actions.send`` (delivered once everything commits).
* ``from_organisation`` is the local stand-in of the sending organisation and
  ``to_organisation`` the local organisation it is addressed to (both ``None`` for messages
  between installations). The transport has checked the signature, the recipient, the time and
  that the message id is new; the handler checks the body.
* It raises ``django.core.exceptions.ValidationError`` for a body it will never accept: the
  message is refused (422) and recorded, nothing is kept. ``RetryLater`` (a message that
  depends on one that has not arrived yet: messages may arrive out of order) or any other
  exception rolls everything back and answers 503, so that the sender tries again later.
* It must not log the body, nor put any of it in an exception's message.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any, Protocol

from django.core.exceptions import ImproperlyConfigured

from okoa.accounts.models import Organisation
from okoa.exchange.envelope import KIND
from okoa.exchange.models import Partner


class Handler(Protocol):
    def __call__(
        self,
        *,
        partner: Partner,
        from_organisation: Organisation | None,
        to_organisation: Organisation | None,
        body: dict[str, Any],
        message_id: uuid.UUID,
        in_reply_to: uuid.UUID | None,
    ) -> None: ...


HANDLERS: dict[str, Handler] = {}


class RetryLater(Exception):
    """The message cannot be processed yet (it depends on another): the sender tries again."""


def register(kind: str) -> Callable[[Handler], Handler]:
    """Make the decorated function the handler of ``kind`` (``app.noun``, lower case)."""
    if not KIND.match(kind) or len(kind) > 64:
        raise ImproperlyConfigured(f"{kind!r} is not a message kind (like 'referrals.referral').")

    def decorate(handler: Handler) -> Handler:
        if kind in HANDLERS and HANDLERS[kind] is not handler:
            raise ImproperlyConfigured(f"Message kind {kind!r} has a handler already.")
        HANDLERS[kind] = handler
        return handler

    return decorate


def handler_for(kind: str) -> Handler | None:
    """The handler of ``kind``, or None if this installation does not know it."""
    return HANDLERS.get(kind)
