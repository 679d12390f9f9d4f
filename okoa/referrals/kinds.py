"""What a referral message from a partner installation does when it arrives (registered by
``ReferralsConfig.ready``). The bodies are described in ``okoa.referrals.remote``.

* ``referral.sent``: the referral is created here, without a case, for the local organisation
  the message is addressed to, and that organisation is notified. Once per sender's code.
* ``referral.answered`` (in reply to the ``referral.sent`` message): the receiver's answer is
  applied to the referral this installation sent, through the same actions as a local answer
  (``by=None``, the partner named on the events), which write the case's ``REFERRAL_UPDATED``
  event and notify the sender.
* ``referral.withdrawn``: the sender withdrew the referral; the receiver here no longer sees
  its details.
* ``referral.erased``: the sender erased the survivor's details; the copy here is wiped (and
  withdrawn if still open) by ``actions.erase_received_referral``. An answer that arrives for a
  referral whose details were erased here keeps its category, not its note.

A message names a referral by the sender's code, and only the two organisations it joins may
move (or erase) it: anything else is refused (``ValidationError``: the transport answers 422,
records the refusal and nothing changes). So is a move the referral can no longer make (an
answer to a referral withdrawn or closed here). A move that needs one not arrived yet
(completed before accepted, a withdrawal before the referral) raises ``RetryLater``: the sender
tries again. The same move arriving twice changes nothing.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from okoa.accounts.models import Organisation
from okoa.exchange.handlers import RetryLater, register
from okoa.exchange.models import Partner
from okoa.referrals import actions, remote
from okoa.referrals.models import ExchangedReferral, Referral

Status = Referral.Status


def _between_organisations(
    from_organisation: Organisation | None, to_organisation: Organisation | None
) -> tuple[Organisation, Organisation]:
    if from_organisation is None or to_organisation is None:
        raise ValidationError(_("A referral message goes from one organisation to another."))
    return from_organisation, to_organisation


def _reachable(status: str) -> set[str]:
    """Every status the lifecycle can still lead to from ``status`` (not ``status`` itself)."""
    found: set[str] = set()
    waiting = list(Referral.TRANSITIONS[Status(status)])
    while waiting:
        step = waiting.pop()
        if step not in found:
            found.add(step)
            waiting.extend(Referral.TRANSITIONS[Status(step)])
    return found


def _move(referral: Referral, to: str, act: Callable[[], Any]) -> None:
    """Apply a move that arrived from the partner, once, in the lifecycle's order."""
    current = Referral.objects.select_for_update().only("status").get(pk=referral.pk)
    if current.status == to:
        return  # this move arrived already
    if current.can_move_to(to):
        act()
    elif to in _reachable(current.status):
        raise RetryLater  # an earlier move (the acceptance) has not arrived yet
    else:
        raise ValidationError(
            {"status": [_("This referral can no longer make this move here.")]},
        )


@register(remote.SENT)
def receive_referral(
    *,
    partner: Partner,
    from_organisation: Organisation | None,
    to_organisation: Organisation | None,
    body: dict[str, Any],
    message_id: uuid.UUID,
    in_reply_to: uuid.UUID | None,
) -> None:
    """Take in a referral from the partner's organisation to a local one."""
    sender, receiver = _between_organisations(from_organisation, to_organisation)
    actions.receive_remote_referral(
        remote.parse_sent(body),
        partner=partner,
        from_organisation=sender,
        to_organisation=receiver,
        message_id=message_id,
    )


@register(remote.ANSWERED)
def receive_answer(
    *,
    partner: Partner,
    from_organisation: Organisation | None,
    to_organisation: Organisation | None,
    body: dict[str, Any],
    message_id: uuid.UUID,
    in_reply_to: uuid.UUID | None,
) -> None:
    """Apply the partner organisation's answer to a referral sent to it from here."""
    receiver, sender = _between_organisations(from_organisation, to_organisation)
    answer = remote.parse_answer(body)
    exchanged = (
        ExchangedReferral.objects.select_related("referral")
        .filter(
            partner=partner,
            direction=ExchangedReferral.Direction.SENT,
            referral__code=answer.sender_code,
            referral__from_organisation=sender,
            referral__to_organisation=receiver,
        )
        .first()
    )
    if exchanged is None:
        # Sent from here, so it exists before any answer can: this one answers nothing.
        raise ValidationError({"referral": [_("No referral to this organisation has this code.")]})
    if in_reply_to != exchanged.message_id:
        raise ValidationError({"in_reply_to": [_("An answer replies to the referral's message.")]})
    if not exchanged.remote_code:
        ExchangedReferral.objects.filter(pk=exchanged.pk).update(remote_code=answer.receiver_code)
    referral = exchanged.referral

    def note() -> str:
        # Read under the referral's lock (``_move`` takes it; erasure writes the row): an
        # erasure committed meanwhile counts. The receiver's words about an erased survivor are
        # not kept here.
        if (
            answer.note
            and ExchangedReferral.objects.filter(pk=exchanged.pk, erased_at__isnull=False).exists()
        ):
            return remote.note_not_kept()
        return answer.note

    if answer.status == Status.ACCEPTED:
        _move(
            referral,
            Status.ACCEPTED,
            lambda: actions.accept_referral(referral, by=None, partner=partner),
        )
    elif answer.status == Status.DECLINED:
        _move(
            referral,
            Status.DECLINED,
            lambda: actions.decline_referral(
                referral, reason=answer.reason, note=note(), by=None, partner=partner
            ),
        )
    else:
        _move(
            referral,
            Status.COMPLETED,
            lambda: actions.complete_referral(
                referral, outcome=answer.outcome, note=note(), by=None, partner=partner
            ),
        )


@register(remote.WITHDRAWN)
def receive_withdrawal(
    *,
    partner: Partner,
    from_organisation: Organisation | None,
    to_organisation: Organisation | None,
    body: dict[str, Any],
    message_id: uuid.UUID,
    in_reply_to: uuid.UUID | None,
) -> None:
    """Withdraw a referral the partner's organisation sent here."""
    sender, receiver = _between_organisations(from_organisation, to_organisation)
    sender_code = remote.parse_withdrawn(body)
    exchanged = (
        ExchangedReferral.objects.select_related("referral")
        .filter(
            partner=partner,
            direction=ExchangedReferral.Direction.RECEIVED,
            remote_code=sender_code,
        )
        .first()
    )
    if exchanged is None:
        raise RetryLater  # the referral itself has not arrived yet
    referral = exchanged.referral
    if (referral.from_organisation_id, referral.to_organisation_id) != (sender.pk, receiver.pk):
        raise ValidationError({"referral": [_("This referral joins other organisations.")]})
    _move(
        referral,
        Status.WITHDRAWN,
        lambda: actions.withdraw_referral(
            referral,
            # The sender's reason stays with the sender; the receiver never reads it anyway.
            reason=_("Withdrawn by the sender on its own installation."),
            by=None,
            partner=partner,
        ),
    )


@register(remote.ERASED)
def receive_erasure(
    *,
    partner: Partner,
    from_organisation: Organisation | None,
    to_organisation: Organisation | None,
    body: dict[str, Any],
    message_id: uuid.UUID,
    in_reply_to: uuid.UUID | None,
) -> None:
    """Wipe the copy of a referral whose sender, the partner's organisation, erased the
    survivor's details.

    Only for a referral this installation received from that partner, between exactly the two
    organisations of the header: any other (an unknown code, another partner's referral, a
    referral sent from here) is refused and changes nothing. The sender queues this message
    only after its ``referral.sent`` may have arrived, so an unknown code is not one still on
    its way; if it ever is (the two crossed), the sender's retry after the refusal finds it.
    """
    sender, receiver = _between_organisations(from_organisation, to_organisation)
    sender_code = remote.parse_erased(body)
    exchanged = ExchangedReferral.objects.filter(
        partner=partner,
        direction=ExchangedReferral.Direction.RECEIVED,
        remote_code=sender_code,
    ).first()
    if exchanged is None:
        raise ValidationError(
            {"referral": [_("No referral from this installation has this code.")]}
        )
    referral = Referral.objects.only("from_organisation_id", "to_organisation_id").get(
        pk=exchanged.referral_id
    )
    if (referral.from_organisation_id, referral.to_organisation_id) != (sender.pk, receiver.pk):
        raise ValidationError({"referral": [_("This referral joins other organisations.")]})
    actions.erase_received_referral(exchanged, partner=partner, message_id=message_id)
