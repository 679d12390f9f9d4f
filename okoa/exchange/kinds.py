"""The message kinds of the exchange itself (registered by ``ExchangeConfig.ready``).

* ``exchange.organisations``: the sender's directory, ``{"organisations": [{"code", "name",
  "kind"}, ...]}``, the whole list each time. The receiver creates or updates the stand-ins and
  deactivates those no longer listed.
* ``exchange.ping``: ``{}``; the receiver answers with ``exchange.pong`` (``in_reply_to`` the
  ping), between the same organisations in the other direction when the ping names any.
* ``exchange.pong``: ``{}``, ``in_reply_to`` a ping this installation sent; it records the
  answer.
"""

from __future__ import annotations

import uuid
from typing import Any

from okoa.accounts.models import Organisation
from okoa.exchange import actions
from okoa.exchange.handlers import register
from okoa.exchange.models import Partner


@register(actions.DIRECTORY)
def receive_directory(
    *,
    partner: Partner,
    from_organisation: Organisation | None,
    to_organisation: Organisation | None,
    body: dict[str, Any],
    message_id: uuid.UUID,
    in_reply_to: uuid.UUID | None,
) -> None:
    """Take in the partner's organisations."""
    actions.apply_directory(partner, body)


@register(actions.PING)
def answer_ping(
    *,
    partner: Partner,
    from_organisation: Organisation | None,
    to_organisation: Organisation | None,
    body: dict[str, Any],
    message_id: uuid.UUID,
    in_reply_to: uuid.UUID | None,
) -> None:
    """Answer a ping with a pong, the way it came."""
    if from_organisation is not None and to_organisation is not None:
        actions.send(
            kind=actions.PONG,
            body={},
            from_organisation=to_organisation,
            to_organisation=from_organisation,
            in_reply_to=message_id,
        )
    else:
        actions.send_to_partner(partner, kind=actions.PONG, body={}, in_reply_to=message_id)


@register(actions.PONG)
def receive_pong(
    *,
    partner: Partner,
    from_organisation: Organisation | None,
    to_organisation: Organisation | None,
    body: dict[str, Any],
    message_id: uuid.UUID,
    in_reply_to: uuid.UUID | None,
) -> None:
    """Record the partner's answer to our ping."""
    actions.record_answer(partner, in_reply_to=in_reply_to, kind=actions.PING)
