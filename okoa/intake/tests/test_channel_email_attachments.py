"""Attachments of emailed reports: allowed files are kept, sealed with the key ring (the raw
database holds none of their content); a file too large or of a type not allowed is refused
with a note on the report and in the answer to the sender, and the rest of the email is kept."""

import base64
import uuid
from email.message import EmailMessage
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection

from okoa.intake.models import Report, ReportAttachment

SECRET_TEXT = b"Statement of Atieno Odhiambo: recruited by Faraja Gulf Agency, Mombasa office"
PDF = b"%PDF-1.4\n" + SECRET_TEXT + b"\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def mailbox(dovecot, settings, routed):
    folder = f"Intake-{uuid.uuid4().hex[:8]}"
    settings.OKOA_INTAKE_IMAP_HOST = "127.0.0.1"
    settings.OKOA_INTAKE_IMAP_PORT = dovecot.port
    settings.OKOA_INTAKE_IMAP_USER = dovecot.user
    settings.OKOA_INTAKE_IMAP_PASSWORD = dovecot.password
    settings.OKOA_INTAKE_IMAP_FOLDER = folder
    settings.OKOA_INTAKE_IMAP_CA_FILE = dovecot.ca_file
    settings.OKOA_INTAKE_ATTACHMENT_MAX_BYTES = 4096
    return folder


def with_attachments(*files):
    email = EmailMessage()
    email["From"] = "Kibet Langat <kibet.langat@example.test>"
    email["To"] = "intake@tumaini.test"
    email["Subject"] = "Report with documents"
    email["Message-ID"] = f"<{uuid.uuid4().hex}@mail.example.test>"
    email.set_content("My brother is in a camp near Yangon. His documents are attached.")
    for name, content, maintype, subtype in files:
        email.add_attachment(content, maintype=maintype, subtype=subtype, filename=name)
    return email


def fetch(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("fetch_intake_email", stdout=StringIO())


def raw_database_text() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT file_name, content FROM intake_reportattachment")
        return repr(cursor.fetchall())


def test_allowed_attachments_are_kept_and_read_back(
    dovecot, mailbox, django_capture_on_commit_callbacks
):
    dovecot.deliver(
        mailbox,
        with_attachments(
            ("statement.pdf", PDF, "application", "pdf"),
            ("photo.png", PNG, "application", "octet-stream"),  # as phones send them
        ),
    )

    fetch(django_capture_on_commit_callbacks)

    report = Report.objects.get()
    kept = {attachment.file_name: attachment for attachment in report.attachments.all()}
    assert set(kept) == {"statement.pdf", "photo.png"}
    assert bytes(kept["statement.pdf"].content) == PDF
    assert kept["statement.pdf"].content_type == "application/pdf"
    assert kept["photo.png"].content_type == "image/png"
    assert kept["statement.pdf"].size == len(PDF)
    assert not any(attachment.refused for attachment in kept.values())


def test_attachments_are_encrypted_at_rest(dovecot, mailbox, django_capture_on_commit_callbacks):
    dovecot.deliver(mailbox, with_attachments(("statement-atieno.pdf", PDF, "application", "pdf")))

    fetch(django_capture_on_commit_callbacks)

    raw = raw_database_text()
    assert ReportAttachment.objects.count() == 1
    assert "okoa1:" in raw
    for plain in (b"Atieno", b"Faraja Gulf", base64.b64encode(PDF)[:24]):
        assert plain.decode() not in raw
    assert "statement-atieno" not in raw


def test_a_file_too_large_is_refused_and_the_rest_is_kept(
    dovecot, mailbox, django_capture_on_commit_callbacks
):
    large = b"%PDF-1.4\n" + b"x" * 5000
    dovecot.deliver(
        mailbox,
        with_attachments(
            ("scan.pdf", large, "application", "pdf"),
            ("statement.pdf", PDF, "application", "pdf"),
        ),
    )

    fetch(django_capture_on_commit_callbacks)

    report = Report.objects.get()
    # File names are encrypted: found in Python, not by a query.
    by_name = {attachment.file_name: attachment for attachment in report.attachments.all()}
    refused = by_name["scan.pdf"]
    assert refused.refused == ReportAttachment.Refusal.TOO_LARGE
    assert bytes(refused.content) == b""
    assert refused.size == len(large)
    assert bytes(by_name["statement.pdf"].content) == PDF
    assert "My brother is in a camp near Yangon" in report.narrative
    assert "Attachments not kept:\n- scan.pdf: too large (4.9\xa0KB; at most 4.0\xa0KB)" in (
        report.narrative
    )


def test_a_type_not_allowed_is_refused_and_the_rest_is_kept(
    dovecot, mailbox, django_capture_on_commit_callbacks
):
    dovecot.deliver(
        mailbox,
        with_attachments(
            ("tool.exe", b"MZ\x90\x00" + b"\x00" * 60, "application", "octet-stream"),
            ("invoice.pdf", b"MZ\x90\x00 not a pdf", "application", "pdf"),  # renamed program
            ("photo.png", PNG, "image", "png"),
        ),
    )

    fetch(django_capture_on_commit_callbacks)

    report = Report.objects.get()
    refusals = dict(report.attachments.values_list("content_type", "refused").order_by("id"))
    assert sorted(a.refused for a in report.attachments.all()) == [
        "",
        ReportAttachment.Refusal.TYPE_NOT_ALLOWED,
        ReportAttachment.Refusal.TYPE_NOT_ALLOWED,
    ]
    assert refusals["image/png"] == ""
    assert "- tool.exe: type not allowed" in report.narrative
    assert "- invoice.pdf: type not allowed" in report.narrative


def test_the_sender_is_told_which_files_were_not_kept(
    dovecot, mailbox, django_capture_on_commit_callbacks
):
    dovecot.deliver(
        mailbox,
        with_attachments(("tool.exe", b"MZ\x90\x00", "application", "octet-stream")),
    )

    fetch(django_capture_on_commit_callbacks)

    [reply] = mail.outbox
    assert "These files were not kept:" in reply.body
    assert "- tool.exe: type not allowed" in reply.body
    assert "We accept PDF, JPEG, PNG, plain text and Word (.docx) files" in reply.body
