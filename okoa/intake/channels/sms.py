"""Inbound SMS (Africa's Talking): each message becomes a report, acknowledged by SMS.

The gateway posts ``from``, ``to``, ``text``, ``date``, ``id``, ``linkId`` and ``networkCode``.
The gateway's ``id`` is the report's ``external_id``: a message delivered again returns the
first report and queues nothing. The report and its acknowledgement (reference and PIN, in the
language the message seems to be written in) are saved in one transaction; the acknowledgement
leaves once it has committed.

A number that floods the short code opens at most ``OKOA_INTAKE_REPORTS_PER_PHONE`` reports an
hour (counted under a keyed hash of the number, never the number). Its further messages are
added to its latest open SMS report of the last hour, without an acknowledgement; when there is
none, or its narrative is full, the message is dropped and the log says how many messages the
number sent this hour (never the number or the text). The gateway gets its 200 either way, so
that it does not deliver the message again.
"""

from __future__ import annotations

import datetime
import logging
import re
from dataclasses import dataclass

from django.db import transaction
from django.http import QueryDict
from django.utils import timezone

from okoa.accounts.models import Organisation
from okoa.intake.actions import (
    RATE_LIMITS,
    ReceivedReport,
    add_message_to_report,
    count_attempts,
    create_report,
    delivered_report,
    open_report_from_phone,
    receiving_organisation,
    with_database_retry,
)
from okoa.intake.channels.outbound import queue_acknowledgement
from okoa.intake.models import Channel
from okoa.lib import names

logger = logging.getLogger(__name__)

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


def receive_sms(message: InboundSms) -> ReceivedReport | None:
    """Record the message as a report and queue its acknowledgement, in one transaction.

    Call outside any transaction: when this returns, both are committed (a locked database is
    waited out) and the acknowledgement is on its way. A number over its limit gets no new
    report (see the module's docstring): the report the message was added to is returned
    (``created=False``), or None when the message was dropped.
    """
    language = guess_language(message.text)
    # Read before the transaction, which holds the database's write lock (SQLite) throughout.
    organisation = receiving_organisation(Channel.SMS)

    def attempt() -> ReceivedReport | None:
        with transaction.atomic():
            if (known := delivered_report(Channel.SMS, message.message_id)) is not None:
                return ReceivedReport(known, None, False)
            hits = count_attempts("sms_phone", names.normalise_phone(message.sender))
            if hits > RATE_LIMITS["sms_phone"].limit:
                return _over_limit(message, organisation, hits=hits)
            received = create_report(
                organisation,
                channel=Channel.SMS,
                by=None,
                external_id=message.message_id,
                checked_delivery=True,  # by delivered_report above, in this transaction
                # The organisation's own number or short code: not personal data.
                source_detail=message.recipient,
                language=language,
                reporter_phone=message.sender,
                narrative=message.text,
            )
            queue_acknowledgement(received, to=message.sender, language=language)
            return received

    return with_database_retry(attempt)


def _over_limit(
    message: InboundSms, organisation: Organisation, *, hits: int
) -> ReceivedReport | None:
    rule = RATE_LIMITS["sms_phone"]
    since = timezone.now() - datetime.timedelta(seconds=rule.window)
    report = open_report_from_phone(
        organisation, channel=Channel.SMS, phone=message.sender, since=since
    )
    if report is not None and add_message_to_report(
        report, channel=Channel.SMS, external_id=message.message_id, text=message.text
    ):
        return ReceivedReport(report, None, False)
    # A count only: never the number, the text or the report it might belong to.
    logger.warning(
        "Dropped an SMS from a number over its limit of %d new reports an hour "
        "(%d messages from it in this hour).",
        rule.limit,
        hits,
    )
    return None
