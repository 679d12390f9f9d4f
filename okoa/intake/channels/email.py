"""The intake mailbox: each new email becomes a report, with its attachments sealed.

``fetch_intake_email`` (``manage.py fetch_intake_email``, run every few minutes) reads the
unread messages of ``OKOA_INTAKE_IMAP_FOLDER`` over TLS (``ssl``, or ``starttls``; never in the
clear), without marking them read, and for each one, in one transaction: records the report
(channel email; sender's address and name encrypted; subject and text as the narrative, the
plain-text part preferred, HTML reduced to its text), keeps the attachments that are allowed
(PDF, JPEG, PNG, plain text, Word .docx; at most ``OKOA_INTAKE_ATTACHMENT_MAX_BYTES`` each, at
most ``MAX_ATTACHMENTS``) sealed with the key ring, records refused ones without their content
and says so at the end of the narrative, and remembers the message (``ImportedEmail``). Only
after that commits is the message marked read and the sender sent the reference and PIN (never
to automatic mail, so that two robots cannot answer each other for ever).

A message is never imported twice: its place in the mailbox (UIDVALIDITY and UID) and a hash
of its Message-ID are unique. A message that cannot be imported stays unread for the next run;
logs name it by UID, never by sender or subject.
"""

from __future__ import annotations

import contextlib
import email.policy
import hashlib
import html
import imaplib
import logging
import re
import ssl
from dataclasses import dataclass, field
from email.message import EmailMessage, MIMEPart
from email.utils import parseaddr
from functools import partial

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMessage as OutgoingEmail
from django.db import transaction
from django.db.models import Q
from django.template.defaultfilters import filesizeformat
from django.utils import translation
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from okoa.accounts.models import Organisation
from okoa.intake.actions import (
    TEXT_LIMITS,
    ReceivedReport,
    create_report,
    receiving_organisation,
    with_database_retry,
)
from okoa.intake.channels.models import ImportedEmail, ReportAttachment
from okoa.intake.channels.sms import guess_language
from okoa.intake.models import Channel

logger = logging.getLogger(__name__)

MAX_ATTACHMENTS = 20
NARRATIVE_LIMIT = TEXT_LIMITS["narrative"]
# Allowed files: what a file name may end with, and how the content must begin (the declared
# type is not trusted: phones send everything as application/octet-stream, and a renamed
# program must not pass for a PDF).
ALLOWED_TYPES: dict[str, tuple[tuple[str, ...], tuple[bytes, ...]]] = {
    "application/pdf": ((".pdf",), (b"%PDF-",)),
    "image/jpeg": ((".jpg", ".jpeg"), (b"\xff\xd8\xff",)),
    "image/png": ((".png",), (b"\x89PNG\r\n\x1a\n",)),
    "text/plain": ((".txt",), ()),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": (
        (".docx",),
        (b"PK\x03\x04",),
    ),
}


@dataclass(frozen=True)
class Mailbox:
    """Where the intake mailbox is and how to sign in."""

    host: str
    port: int
    user: str
    password: str
    folder: str = "INBOX"
    tls: str = "ssl"
    ca_file: str = ""

    @classmethod
    def from_settings(cls) -> Mailbox:
        if not settings.OKOA_INTAKE_IMAP_HOST or not settings.OKOA_INTAKE_IMAP_USER:
            raise ImproperlyConfigured(
                "Set OKOA_INTAKE_IMAP_HOST, OKOA_INTAKE_IMAP_USER and OKOA_INTAKE_IMAP_PASSWORD "
                "(or OKOA_INTAKE_IMAP_PASSWORD_FILE) to read the intake mailbox."
            )
        return cls(
            host=settings.OKOA_INTAKE_IMAP_HOST,
            port=settings.OKOA_INTAKE_IMAP_PORT,
            user=settings.OKOA_INTAKE_IMAP_USER,
            password=settings.OKOA_INTAKE_IMAP_PASSWORD,
            folder=settings.OKOA_INTAKE_IMAP_FOLDER,
            tls=settings.OKOA_INTAKE_IMAP_TLS,
            ca_file=settings.OKOA_INTAKE_IMAP_CA_FILE,
        )

    @property
    def name(self) -> str:
        """The mailbox as ``ImportedEmail`` remembers it."""
        return f"{self.user}@{self.host}:{self.port}/{self.folder}"[:300]

    def connect(self) -> imaplib.IMAP4:
        """Open a TLS connection (certificate and host name verified) and sign in."""
        context = ssl.create_default_context(cafile=self.ca_file or None)
        if self.tls == "ssl":
            imap: imaplib.IMAP4 = imaplib.IMAP4_SSL(
                self.host, self.port, ssl_context=context, timeout=60
            )
        elif self.tls == "starttls":
            imap = imaplib.IMAP4(self.host, self.port, timeout=60)
            imap.starttls(ssl_context=context)
        else:
            raise ImproperlyConfigured("OKOA_INTAKE_IMAP_TLS must be ssl or starttls.")
        imap.login(self.user, self.password)
        return imap


# Reading one message


@dataclass
class Attachment:
    file_name: str
    content_type: str
    content: bytes
    size: int = 0
    refused: str = ""


@dataclass
class ReadMessage:
    """What Okoa takes from an email."""

    sender_name: str
    sender_address: str
    subject: str
    text: str
    attachments: list[Attachment] = field(default_factory=list)
    automatic: bool = False


def message_id_hash(message: EmailMessage, raw: bytes) -> str:
    """A hash of the Message-ID (of the whole message when it has none)."""
    message_id = str(message.get("Message-ID", "") or "").strip().lower()
    if message_id:
        return hashlib.sha256(b"mid:" + message_id.encode("utf-8", "replace")).hexdigest()
    return hashlib.sha256(b"raw:" + raw).hexdigest()


def _header(message: EmailMessage, name: str) -> str:
    try:
        return str(message.get(name, "") or "")
    except (ValueError, TypeError, IndexError):  # a header the parser cannot make sense of
        return ""


def _part_text(part: MIMEPart) -> str:
    try:
        content = part.get_content()
    except (LookupError, ValueError, AssertionError):
        payload = part.get_payload(decode=True)
        content = payload.decode("utf-8", "replace") if isinstance(payload, bytes) else ""
    text = str(content)
    if part.get_content_subtype() == "html":
        text = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", text)
        text = re.sub(r"(?i)<br\s*/?>|</p>|</div>|</li>", "\n", text)
        text = html.unescape(strip_tags(text))
    text = re.sub(r"[ \t\r\f\v]+", " ", text)
    return re.sub(r"\n\s*\n+", "\n\n", text).strip()


def _is_automatic(message: EmailMessage, address: str) -> bool:
    """Whether the message was sent by a program (bounces, auto-replies, mailing lists)."""
    auto = _header(message, "Auto-Submitted").strip().lower()
    precedence = _header(message, "Precedence").strip().lower()
    local_part = address.split("@")[0].lower()
    return (
        (auto not in ("", "no"))
        or precedence in ("bulk", "junk", "list", "auto_reply")
        or bool(_header(message, "List-Id"))
        or local_part in ("mailer-daemon", "postmaster")
        or local_part.replace("-", "").replace("_", "").startswith("noreply")
        or _header(message, "Return-Path").strip() == "<>"
    )


def classify_attachment(file_name: str, declared_type: str, content: bytes) -> str | None:
    """Return the allowed type of a file, or None when it is not allowed."""
    lowered = file_name.lower()
    by_name = [
        kind for kind, (suffixes, _magic) in ALLOWED_TYPES.items() if lowered.endswith(suffixes)
    ]
    kind = by_name[0] if by_name else (declared_type if declared_type in ALLOWED_TYPES else None)
    if kind is None:
        return None
    magic = ALLOWED_TYPES[kind][1]
    if magic:
        return kind if content.startswith(magic) else None
    # Plain text: readable text, not a program with a .txt name.
    try:
        content.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return kind if b"\x00" not in content else None


def read_message(message: EmailMessage, *, max_bytes: int) -> ReadMessage:
    """Take sender, subject, text and attachments (each checked) from a parsed email."""
    sender_name, sender_address = parseaddr(_header(message, "From"))
    try:
        body = message.get_body(preferencelist=("plain", "html"))
    except (KeyError, ValueError):
        body = None
    read = ReadMessage(
        sender_name=sender_name.strip()[:200],
        sender_address=sender_address.strip()[:500],
        subject=re.sub(r"\s+", " ", _header(message, "Subject")).strip(),
        text=_part_text(body) if body is not None else "",
        automatic=_is_automatic(message, sender_address),
    )
    for part in message.walk():
        if part.is_multipart() or part is body:
            continue
        if (
            part.get_content_maintype() == "text"
            and not part.get_filename()
            and not (part.is_attachment())
        ):
            continue  # the other form of the body (HTML beside plain text)
        payload = part.get_payload(decode=True)
        content = payload if isinstance(payload, bytes) else b""
        file_name = (part.get_filename() or "").strip()[:255]
        declared = part.get_content_type()
        attachment = Attachment(file_name, declared, b"", size=len(content))
        if len(read.attachments) >= MAX_ATTACHMENTS:
            attachment.refused = ReportAttachment.Refusal.TOO_MANY
        elif len(content) > max_bytes:
            attachment.refused = ReportAttachment.Refusal.TOO_LARGE
        elif (kind := classify_attachment(file_name, declared, content)) is None:
            attachment.refused = ReportAttachment.Refusal.TYPE_NOT_ALLOWED
        else:
            attachment.content_type, attachment.content = kind, content
        read.attachments.append(attachment)
    return read


def _refusal_lines(read: ReadMessage, max_bytes: int) -> list[str]:
    lines = []
    for number, attachment in enumerate(read.attachments, 1):
        if not attachment.refused:
            continue
        name = attachment.file_name or _("file %(number)d") % {"number": number}
        size = filesizeformat(attachment.size)
        if attachment.refused == ReportAttachment.Refusal.TOO_LARGE:
            reason = _("too large (%(size)s; at most %(limit)s)") % {
                "size": size,
                "limit": filesizeformat(max_bytes),
            }
        elif attachment.refused == ReportAttachment.Refusal.TOO_MANY:
            reason = _("too many files (at most %(count)d)") % {"count": MAX_ATTACHMENTS}
        else:
            reason = _("type not allowed")
        lines.append(f"- {name}: {reason}")
    return lines


def narrative_of(read: ReadMessage, max_bytes: int) -> str:
    """Subject and text, and which attachments were not kept (in the site's language)."""
    with translation.override(settings.LANGUAGE_CODE):
        refused = _refusal_lines(read, max_bytes)
        note = "\n\n".join(
            [_("Attachments not kept:") + "\n" + "\n".join(refused)] if refused else []
        )
        cut = _("[…] (the rest of the email is not kept: it was too long)")
    head = "\n\n".join(part for part in (read.subject, read.text) if part)
    room = NARRATIVE_LIMIT - len(note) - 2
    if len(head) > room:
        head = head[: max(room - len(cut) - 1, 0)].rstrip() + "\n" + cut
    return "\n\n".join(part for part in (head, note) if part)


# Importing


@dataclass
class FetchSummary:
    imported: int = 0
    already_imported: int = 0
    failed: int = 0


def fetch_intake_email(mailbox: Mailbox | None = None) -> FetchSummary:
    """Import every unread message of the intake mailbox (see the module's docstring)."""
    mailbox = mailbox or Mailbox.from_settings()
    summary = FetchSummary()
    imap = mailbox.connect()
    try:
        typ, _data = imap.select(_quoted(mailbox.folder))
        if typ != "OK":
            raise imaplib.IMAP4.error(f"The folder {mailbox.folder!r} cannot be opened.")
        uid_validity = int(imap.response("UIDVALIDITY")[1][0] or 0)
        typ, found = imap.uid("SEARCH", "UNSEEN")
        uids = [int(uid) for uid in (found[0] or b"").split()] if typ == "OK" else []
        for uid in uids:
            try:
                imported = _import_one(imap, mailbox, uid_validity, uid)
            except Exception:
                # The UID only: the message stays unread and is tried again next time.
                logger.exception("Intake email UID %d could not be imported; it stays unread.", uid)
                summary.failed += 1
                continue
            if imported:
                summary.imported += 1
            else:
                summary.already_imported += 1
    finally:
        with contextlib.suppress(imaplib.IMAP4.error, OSError):
            imap.logout()
    return summary


def _quoted(folder: str) -> str:
    return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _import_one(imap: imaplib.IMAP4, mailbox: Mailbox, uid_validity: int, uid: int) -> bool:
    """Import one message; mark it read once committed. False if it was imported before."""
    typ, data = imap.uid("FETCH", str(uid), "(BODY.PEEK[])")
    raw = next((item[1] for item in data if isinstance(item, tuple)), None) if typ == "OK" else None
    if not isinstance(raw, bytes):
        raise imaplib.IMAP4.error(f"UID {uid} could not be fetched.")
    imported = import_email(raw, mailbox=mailbox, uid_validity=uid_validity, uid=uid)
    # Only now, committed: a crash before this leaves it unread, and the next run recognises it.
    imap.uid("STORE", str(uid), "+FLAGS", "(\\Seen)")
    return imported


def import_email(raw: bytes, *, mailbox: Mailbox, uid_validity: int, uid: int) -> bool:
    """Import one message as the mailbox gave it (``raw``); False if it was imported before.

    Call outside any transaction: when this returns, the report, its attachments and the
    record of the import are committed (a locked database is waited out).
    """
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    digest = message_id_hash(message, raw)
    seen_before = ImportedEmail.objects.filter(
        Q(message_id_hash=digest) | Q(mailbox=mailbox.name, uid_validity=uid_validity, uid=uid)
    ).exists()
    if seen_before:
        return False
    max_bytes = settings.OKOA_INTAKE_ATTACHMENT_MAX_BYTES
    read = read_message(message, max_bytes=max_bytes)
    organisation = receiving_organisation(Channel.EMAIL)
    with_database_retry(
        lambda: _record(
            read,
            digest,
            organisation=organisation,
            mailbox=mailbox,
            uid_validity=uid_validity,
            uid=uid,
        )
    )
    return True


def _record(
    read: ReadMessage,
    digest: str,
    *,
    organisation: Organisation,
    mailbox: Mailbox,
    uid_validity: int,
    uid: int,
) -> ReceivedReport:
    max_bytes = settings.OKOA_INTAKE_ATTACHMENT_MAX_BYTES
    language = guess_language(f"{read.subject} {read.text}")
    with transaction.atomic():
        received = create_report(
            organisation,
            channel=Channel.EMAIL,
            by=None,
            external_id=digest,
            language=language,
            reporter_name=read.sender_name,
            reporter_contact=read.sender_address,
            narrative=narrative_of(read, max_bytes),
        )
        if received.created:
            ReportAttachment.objects.bulk_create(
                ReportAttachment(
                    report=received.report,
                    file_name=attachment.file_name,
                    content_type=attachment.content_type if not attachment.refused else "",
                    size=attachment.size,
                    content=attachment.content,
                    refused=attachment.refused,
                )
                for attachment in read.attachments
            )
            if (
                settings.OKOA_INTAKE_EMAIL_ACKNOWLEDGE
                and read.sender_address
                and not read.automatic
            ):
                transaction.on_commit(
                    partial(_acknowledge, received, read, language=language, max_bytes=max_bytes)
                )
        ImportedEmail.objects.get_or_create(
            message_id_hash=digest,
            defaults={
                "mailbox": mailbox.name,
                "uid_validity": uid_validity,
                "uid": uid,
                "report": received.report,
            },
        )
    return received


def acknowledgement_email(
    received: ReceivedReport, read: ReadMessage, *, language: str, max_bytes: int
) -> tuple[str, str]:
    """Subject and text of the reply: reference and PIN, and which files were not kept."""
    with translation.override(language):
        lines = [
            _("We received your report."),
            _("Reference: %(reference)s") % {"reference": received.report.reference},
            _("PIN: %(pin)s") % {"pin": received.pin},
            _(
                "Keep them where nobody who could harm you will find them: with both you can "
                "follow your report. We will never ask you for your PIN."
            ),
        ]
        refused = _refusal_lines(read, max_bytes)
        if refused:
            lines += [
                _("These files were not kept:"),
                *refused,
                _(
                    "We accept PDF, JPEG, PNG, plain text and Word (.docx) files of at most "
                    "%(limit)s each. Please send the others in another form if you can."
                )
                % {"limit": filesizeformat(max_bytes)},
            ]
        return _("Your report has arrived"), "\n\n".join(lines)


def _acknowledge(
    received: ReceivedReport, read: ReadMessage, *, language: str, max_bytes: int
) -> None:
    # After commit: a mail server that fails must not undo or hide the import.
    subject, text = acknowledgement_email(received, read, language=language, max_bytes=max_bytes)
    reply = OutgoingEmail(
        subject,
        text,
        to=[read.sender_address],
        # RFC 3834: an automatic reply, which well-behaved robots do not answer.
        headers={"Auto-Submitted": "auto-replied"},
    )
    try:
        reply.send()
    except Exception:
        logger.exception(
            "The acknowledgement of report %s could not be emailed.", received.report.code
        )
