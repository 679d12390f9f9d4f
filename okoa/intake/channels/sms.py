"""Inbound SMS (Africa's Talking): each message becomes a report, acknowledged by SMS.

The gateway posts ``from``, ``to``, ``text``, ``date``, ``id``, ``linkId`` and ``networkCode``.
The gateway's ``id`` is the report's ``external_id``: a message delivered again returns the
first report and queues nothing. The report and its acknowledgement (reference and PIN, in the
language the message seems to be written in) are saved in one transaction; the acknowledgement
leaves once it has committed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import transaction
from django.http import QueryDict

from okoa.intake.actions import (
    ReceivedReport,
    create_report,
    receiving_organisation,
    with_database_retry,
)
from okoa.intake.channels.outbound import queue_acknowledgement
from okoa.intake.models import Channel
from okoa.lib import names

MAX_TEXT = 5000

# Common Kiswahili words of a message asking for help: two of them make it Kiswahili.
_KISWAHILI = """
    msaada nisaidie tusaidie saidia tafadhali naomba niko yuko wako tuko hapa huku dada kaka
    mama baba mtoto watoto yangu wangu wetu yetu kazi mwajiri pesa hajalipwa sijalipwa
    ananipiga wamenifungia nimefungiwa pasipoti hatari sana na kwa ya wa ni hana sina
    hawezi siwezi nataka anataka kurudi nyumbani habari asante
"""
KISWAHILI_WORDS = frozenset(_KISWAHILI.split())


class MalformedMessage(ValueError):
    """The callback lacks a field or carries one that cannot be right."""


@dataclass(frozen=True)
class InboundSms:
    message_id: str
    sender: str
    recipient: str
    text: str

    @classmethod
    def parse(cls, data: QueryDict) -> InboundSms:
        """Read the gateway's form fields; raise MalformedMessage for a malformed callback."""
        message_id = data.get("id", "").strip()
        sender = data.get("from", "").strip()
        recipient = data.get("to", "").strip()
        text = data.get("text", "")
        if not message_id or len(message_id) > 200:
            raise MalformedMessage("id")
        if not sender or len(sender) > 40 or not 7 <= len(names.normalise_phone(sender)) <= 15:
            raise MalformedMessage("from")
        if not recipient or len(recipient) > 40:
            raise MalformedMessage("to")
        if len(text) > MAX_TEXT or len(data.get("date", "")) > 100:
            raise MalformedMessage("text")
        return cls(message_id, sender, recipient, text.strip())


def guess_language(text: str) -> str:
    """``sw`` when the message looks like Kiswahili, else ``en``."""
    words = re.findall(r"[a-z]+", text.lower())
    return "sw" if sum(word in KISWAHILI_WORDS for word in words) >= 2 else "en"


def receive_sms(message: InboundSms) -> ReceivedReport:
    """Record the message as a report and queue its acknowledgement, in one transaction.

    Call outside any transaction: when this returns, both are committed (a locked database is
    waited out) and the acknowledgement is on its way.
    """
    language = guess_language(message.text)
    # Read before the transaction, which holds the database's write lock (SQLite) throughout.
    organisation = receiving_organisation(Channel.SMS)

    def attempt() -> ReceivedReport:
        with transaction.atomic():
            received = create_report(
                organisation,
                channel=Channel.SMS,
                by=None,
                external_id=message.message_id,
                # The organisation's own number or short code: not personal data.
                source_detail=message.recipient,
                language=language,
                reporter_phone=message.sender,
                narrative=message.text,
            )
            queue_acknowledgement(received, to=message.sender, language=language)
            return received

    return with_database_retry(attempt)
