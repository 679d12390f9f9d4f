"""Changes to the exchange: partners, the directory of their organisations, and sending.

Contract:

* ``send`` queues a message from a local organisation to a partner's organisation (its local
  stand-in). Call it inside the transaction of the change the message belongs to: the message
  exists exactly when that change does, and it leaves once the transaction commits (then
  ``manage.py deliver_exchange_messages`` retries until the partner acknowledges it). The body
  is sealed with the key ring until it is delivered.
* ``add_partner`` registers another installation from its card; only site administrators (or
  the command line) do it. Partners are never deleted: deactivated, they neither send nor
  receive, and what is queued for them waits.
* The directory (``exchange.organisations``) tells a partner which organisations this
  installation has (code, name, kind: nothing about anybody); receiving it creates or updates
  the local stand-ins.
* Every change is atomic and logged to ``okoa.security`` with codes and ids only.
"""

from __future__ import annotations

import logging
import secrets
import string
import uuid
from datetime import timedelta
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from okoa.accounts.actions import create_organisation
from okoa.accounts.models import Organisation, User
from okoa.exchange import delivery
from okoa.exchange.access import local_organisations, remote_of
from okoa.exchange.envelope import KIND, encode_body
from okoa.exchange.identity import PartnerCard, this_installation
from okoa.exchange.models import (
    OutboundMessage,
    Partner,
    RefusedMessage,
    RemoteOrganisation,
)

security_log = logging.getLogger("okoa.security")

DIRECTORY = "exchange.organisations"
PING = "exchange.ping"
PONG = "exchange.pong"
MAX_DIRECTORY_ENTRIES = 2000


# Partners ------------------------------------------------------------------------------------


@transaction.atomic
def add_partner(card: PartnerCard, *, by: User | None, replace: bool = False) -> Partner:
    """Register the installation of ``card``; with ``replace``, update a registered one.

    Replacing is how a partner's new keys or address are taken in: messages signed with the old
    keys are refused from then on.
    """
    if card.installation_id == this_installation().installation_id:
        raise ValidationError(
            {"installation_id": _("This is this installation's own card.")}, code="self"
        )
    partner = (
        Partner.objects.select_for_update().filter(installation_id=card.installation_id).first()
    )
    if partner is not None and not replace:
        raise ValidationError(
            {"installation_id": _("This installation is a partner already.")}, code="exists"
        )
    partner = partner or Partner(installation_id=card.installation_id)
    partner.name = card.name
    partner.base_url = card.base_url
    partner.signing_key = card.signing_key
    partner.encryption_key = card.encryption_key
    partner.is_active = True
    partner.full_clean()
    partner.save()
    security_log.info(
        "exchange partner %s registered installation=%s by=%s fingerprint=%s",
        partner.code,
        partner.installation_id,
        by.code if by else "command",
        card.fingerprint.replace(" ", ""),
    )
    return partner


@transaction.atomic
def set_partner_active(partner: Partner, *, active: bool, by: User | None) -> None:
    """Activate or deactivate a partner; a partner in that state already is left as it is."""
    if partner.is_active == active:
        return
    partner.is_active = active
    partner.save(update_fields=["is_active"])
    security_log.info(
        "exchange partner %s %s by=%s",
        partner.code,
        "activated" if active else "deactivated",
        by.code if by else "command",
    )


# Sending -------------------------------------------------------------------------------------


def _check_kind(kind: str) -> None:
    if not KIND.match(kind) or len(kind) > 64:
        raise ValueError(f"{kind!r} is not a message kind (like 'referrals.referral').")


@transaction.atomic
def send(
    *,
    kind: str,
    body: dict[str, Any],
    from_organisation: Organisation,
    to_organisation: Organisation,
    in_reply_to: uuid.UUID | None = None,
    even_if_inactive: bool = False,
) -> OutboundMessage:
    """Queue a message from a local organisation to a partner's (its stand-in).

    ValueError if ``to_organisation`` is not the stand-in of an active organisation of an
    active partner, if ``from_organisation`` is not local, or if the kind or body is not valid.
    ``even_if_inactive`` queues it for an inactive partner or organisation all the same: a
    message about something already under way (an answer, a withdrawal) waits in the outbox
    until the partner is active again rather than being lost.
    """
    remote = remote_of(to_organisation)
    if remote is None:
        raise ValueError("The recipient is not an organisation of a partner installation.")
    if not even_if_inactive and (not remote.is_active or not remote.partner.is_active):
        raise ValueError("The recipient's organisation or installation is not active.")
    if remote_of(from_organisation) is not None:
        raise ValueError("The sender must be an organisation of this installation.")
    return _queue(
        remote.partner,
        kind=kind,
        body=body,
        from_organisation=from_organisation,
        to_organisation=to_organisation,
        in_reply_to=in_reply_to,
    )


@transaction.atomic
def send_to_partner(
    partner: Partner, *, kind: str, body: dict[str, Any], in_reply_to: uuid.UUID | None = None
) -> OutboundMessage:
    """Queue a message between installations (no organisations): the directory, pings."""
    if not partner.is_active:
        raise ValueError("The partner installation is not active.")
    return _queue(partner, kind=kind, body=body, in_reply_to=in_reply_to)


def _queue(
    partner: Partner,
    *,
    kind: str,
    body: dict[str, Any],
    from_organisation: Organisation | None = None,
    to_organisation: Organisation | None = None,
    in_reply_to: uuid.UUID | None = None,
) -> OutboundMessage:
    _check_kind(kind)
    encode_body(body)  # refuses what could not be sealed, now rather than at delivery
    message = OutboundMessage.objects.create(
        partner=partner,
        kind=kind,
        from_organisation=from_organisation,
        to_organisation=to_organisation,
        in_reply_to=in_reply_to,
        body=body,
    )
    transaction.on_commit(partial(delivery.hand_over, message.pk))
    return message


@transaction.atomic
def retry_given_up(*, partner: Partner | None = None) -> int:
    """Queue again the messages whose delivery was given up; return how many."""
    messages = OutboundMessage.objects.filter(status=OutboundMessage.Status.GIVEN_UP)
    if partner is not None:
        messages = messages.filter(partner=partner)
    return messages.update(
        status=OutboundMessage.Status.QUEUED,
        attempts=0,
        next_attempt_at=timezone.now(),
    )


# The directory -------------------------------------------------------------------------------


def directory_body() -> dict[str, Any]:
    """This installation's organisations as the directory message lists them."""
    return {
        "organisations": [
            {"code": code, "name": name, "kind": kind}
            for code, name, kind in local_organisations().values_list("code", "name", "kind")
        ]
    }


@transaction.atomic
def publish_directory(partner: Partner) -> OutboundMessage:
    """Send this installation's organisations to ``partner``."""
    return send_to_partner(partner, kind=DIRECTORY, body=directory_body())


def _directory_entries(body: dict[str, Any]) -> list[tuple[str, str, str]]:
    entries = body.get("organisations")
    if not isinstance(entries, list) or len(entries) > MAX_DIRECTORY_ENTRIES:
        raise ValidationError({"organisations": _("The directory must be a list.")})
    parsed: dict[str, tuple[str, str, str]] = {}
    for entry in entries:
        if not isinstance(entry, dict):
            raise ValidationError({"organisations": _("Each organisation must be an object.")})
        code, name, kind = entry.get("code"), entry.get("name"), entry.get("kind")
        if not isinstance(code, str) or not code or len(code) > 32 or code in parsed:
            raise ValidationError({"code": _("An organisation code is missing or repeated.")})
        if not isinstance(name, str) or not name.strip() or len(name) > 200:
            raise ValidationError({"name": _("An organisation name is missing or too long.")})
        if kind not in Organisation.Kind.values:
            raise ValidationError({"kind": _("An organisation kind is not known.")})
        parsed[code] = (code, name.strip(), kind)
    return list(parsed.values())


def _stand_in_name(name: str, partner: Partner) -> str:
    base = f"{name} · {partner.name}"[:190]
    candidate, number = base, 1
    while Organisation.objects.filter(name=candidate).exists():
        number += 1
        candidate = f"{base} ({number})"
    return candidate


def _stand_in_prefix() -> str:
    # Stand-ins have no case references of their own; the prefix only has to be unique.
    while True:
        prefix = "X" + "".join(secrets.choice(string.ascii_uppercase) for _ in range(9))
        if not Organisation.objects.filter(reference_prefix=prefix).exists():
            return prefix


@transaction.atomic
def apply_directory(partner: Partner, body: dict[str, Any]) -> list[RemoteOrganisation]:
    """Create or update the stand-ins of the partner's organisations; deactivate the unlisted."""
    entries = _directory_entries(body)
    existing = {
        remote.remote_code: remote
        for remote in RemoteOrganisation.objects.select_related("organisation").filter(
            partner=partner
        )
    }
    now = timezone.now()
    listed = []
    for code, name, kind in entries:
        remote = existing.get(code)
        if remote is None:
            stand_in = create_organisation(
                name=_stand_in_name(name, partner), kind=kind, reference_prefix=_stand_in_prefix()
            )
            remote = RemoteOrganisation.objects.create(
                partner=partner, remote_code=code, name=name, kind=kind, organisation=stand_in
            )
        elif (remote.name, remote.kind, remote.is_active) != (name, kind, True):
            stand_in = remote.organisation
            if remote.name != name:
                stand_in.name = _stand_in_name(name, partner)
            stand_in.kind, stand_in.is_active = kind, True
            stand_in.save(update_fields=["name", "kind", "is_active"])
            remote.name, remote.kind, remote.is_active, remote.updated_at = name, kind, True, now
            remote.save(update_fields=["name", "kind", "is_active", "updated_at"])
        listed.append(remote)
    listed_codes = {code for code, _name, _kind in entries}
    for code, remote in existing.items():
        if code not in listed_codes and remote.is_active:
            remote.is_active, remote.updated_at = False, now
            remote.save(update_fields=["is_active", "updated_at"])
            Organisation.objects.filter(pk=remote.organisation_id).update(is_active=False)
    return listed


# Pings -----------------------------------------------------------------------------------------


@transaction.atomic
def ping(
    partner: Partner,
    *,
    from_organisation: Organisation | None = None,
    to_organisation: Organisation | None = None,
) -> OutboundMessage:
    """Ask a partner to answer (``exchange.pong``): proof that messages go both ways."""
    if from_organisation is not None and to_organisation is not None:
        remote = remote_of(to_organisation)
        if remote is None or remote.partner_id != partner.pk:
            raise ValueError("The recipient is not an organisation of this partner.")
        return send(
            kind=PING, body={}, from_organisation=from_organisation, to_organisation=to_organisation
        )
    return send_to_partner(partner, kind=PING, body={})


@transaction.atomic
def record_answer(partner: Partner, *, in_reply_to: uuid.UUID | None, kind: str) -> None:
    """Note that ``partner`` answered our message ``in_reply_to`` (of ``kind``)."""
    if in_reply_to is None:
        raise ValidationError({"in_reply_to": _("An answer must name the message it answers.")})
    now = timezone.now()
    answered = OutboundMessage.objects.filter(
        partner=partner, message_id=in_reply_to, kind=kind
    ).update(answered_at=now)
    if not answered:
        raise ValidationError({"in_reply_to": _("This answers no message sent to the partner.")})
    if kind == PING:
        Partner.objects.filter(pk=partner.pk).update(last_pong_at=now)


# Refusals --------------------------------------------------------------------------------------


def record_refusal(
    reason: str,
    *,
    partner: Partner | None = None,
    claimed_sender: str = "",
    message_id: uuid.UUID | None = None,
    kind: str = "",
    address: str | None = None,
) -> RefusedMessage:
    """Record and log a refused message: the reason and who it claimed to be from, no content.

    Runs in a transaction of its own: whatever the refused message started has rolled back.
    """
    # What a sender claims is attacker-controlled text: keep it short and plain before it is
    # stored or logged.
    cleaned = "".join(c for c in claimed_sender[:64] if c.isalnum() or c in "._-")
    with transaction.atomic():
        refusal = RefusedMessage.objects.create(
            reason=reason,
            partner=partner,
            claimed_sender=cleaned,
            message_id=message_id,
            kind=kind if KIND.match(kind or "") and len(kind) <= 64 else "",
            address=address,
        )
        RefusedMessage.objects.filter(
            at__lt=timezone.now() - timedelta(days=RefusedMessage.RETENTION_DAYS)
        ).delete()
    security_log.warning(
        "exchange message refused: %s sender=%s message=%s address=%s",
        reason,
        cleaned or "-",
        message_id or "-",
        address or "-",
    )
    return refusal
