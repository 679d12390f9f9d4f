"""``manage.py fetch_intake_email`` turns each new message of the intake mailbox (a real Dovecot
on 127.0.0.1, over TLS) into a report, marks it read once saved, answers the sender with the
reference and PIN, and never imports the same message twice."""

import uuid
from email.message import EmailMessage
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from okoa.intake.models import ImportedEmail, Report


@pytest.fixture
def mailbox(dovecot, settings, routed):
    """A fresh folder of the intake mailbox, and Okoa configured to read it."""
    folder = f"Intake-{uuid.uuid4().hex[:8]}"
    settings.OKOA_INTAKE_IMAP_HOST = "127.0.0.1"
    settings.OKOA_INTAKE_IMAP_PORT = dovecot.port
    settings.OKOA_INTAKE_IMAP_TLS = "ssl"
    settings.OKOA_INTAKE_IMAP_USER = dovecot.user
    settings.OKOA_INTAKE_IMAP_PASSWORD = dovecot.password
    settings.OKOA_INTAKE_IMAP_FOLDER = folder
    settings.OKOA_INTAKE_IMAP_CA_FILE = dovecot.ca_file
    return folder


def message(subject="Msaada kwa dada yangu", body="", message_id=None, sender=None):
    email = EmailMessage()
    email["From"] = sender or "Nyokabi Wairimu <nyokabi.wairimu@example.test>"
    email["To"] = "intake@tumaini.test"
    email["Subject"] = subject
    email["Message-ID"] = message_id or f"<{uuid.uuid4().hex}@mail.example.test>"
    email.set_content(
        body or "My cousin Awino is held by her employer in Doha. Her passport was taken."
    )
    return email


def fetch(django_capture_on_commit_callbacks) -> str:
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("fetch_intake_email", stdout=out)
    return out.getvalue()


def test_a_new_email_becomes_a_report(dovecot, mailbox, django_capture_on_commit_callbacks):
    dovecot.deliver(mailbox, message())

    output = fetch(django_capture_on_commit_callbacks)

    assert "Emails imported: 1" in output
    report = Report.objects.get()
    assert report.channel == "email"
    assert report.reporter_contact == "nyokabi.wairimu@example.test"
    assert report.reporter_name == "Nyokabi Wairimu"
    assert report.narrative.startswith("Msaada kwa dada yangu\n\nMy cousin Awino is held")
    assert ImportedEmail.objects.get().report == report


def test_the_html_part_is_read_as_text_when_there_is_no_plain_text(
    dovecot, mailbox, django_capture_on_commit_callbacks
):
    email = message()
    email.set_content(
        "<html><style>p {color: red}</style><body><p>Wanjiru is <b>locked</b> in &amp; "
        "beaten.</p><script>alert(1)</script></body></html>",
        subtype="html",
    )
    dovecot.deliver(mailbox, email)

    fetch(django_capture_on_commit_callbacks)

    narrative = Report.objects.get().narrative
    assert "Wanjiru is locked in & beaten." in narrative
    assert "<" not in narrative and "alert" not in narrative and "color" not in narrative


def test_the_message_is_marked_read_once_imported(
    dovecot, mailbox, django_capture_on_commit_callbacks
):
    dovecot.deliver(mailbox, message())
    assert b"\\Seen" not in dovecot.flags(mailbox)[0]

    fetch(django_capture_on_commit_callbacks)

    assert b"\\Seen" in dovecot.flags(mailbox)[0]


def test_a_second_run_imports_nothing(dovecot, mailbox, django_capture_on_commit_callbacks):
    dovecot.deliver(mailbox, message())
    fetch(django_capture_on_commit_callbacks)

    output = fetch(django_capture_on_commit_callbacks)

    assert "Emails imported: 0" in output
    assert Report.objects.count() == 1


def test_the_same_message_delivered_twice_is_imported_once(
    dovecot, mailbox, django_capture_on_commit_callbacks
):
    dovecot.deliver(mailbox, message(message_id="<same-7731@mail.example.test>"))
    dovecot.deliver(mailbox, message(message_id="<same-7731@mail.example.test>"))

    output = fetch(django_capture_on_commit_callbacks)

    assert "Emails imported: 1; imported before: 1" in output
    assert Report.objects.count() == 1
    assert all(b"\\Seen" in flags for flags in dovecot.flags(mailbox))


def test_a_message_imported_but_not_yet_marked_read_is_not_imported_again(
    dovecot, mailbox, django_capture_on_commit_callbacks, monkeypatch
):
    # A crash between the commit and marking the message read: the next run recognises it.
    dovecot.deliver(mailbox, message())
    from imaplib import IMAP4

    original = IMAP4.uid

    def no_store(self, command, *args):
        if command == "STORE":
            raise OSError("connection lost")
        return original(self, command, *args)

    monkeypatch.setattr(IMAP4, "uid", no_store)
    with pytest.raises(CommandError):
        fetch(django_capture_on_commit_callbacks)
    monkeypatch.setattr(IMAP4, "uid", original)

    output = fetch(django_capture_on_commit_callbacks)

    assert "imported before: 1" in output
    assert Report.objects.count() == 1
    assert b"\\Seen" in dovecot.flags(mailbox)[0]


def test_the_sender_is_told_reference_and_pin(dovecot, mailbox, django_capture_on_commit_callbacks):
    dovecot.deliver(mailbox, message())

    fetch(django_capture_on_commit_callbacks)

    report = Report.objects.get()
    [reply] = mail.outbox
    assert reply.to == ["nyokabi.wairimu@example.test"]
    assert reply.extra_headers["Auto-Submitted"] == "auto-replied"
    assert report.reference in reply.body and "PIN: " in reply.body
    assert "Awino" not in reply.body and "Doha" not in reply.body


def test_automatic_mail_gets_no_answer(dovecot, mailbox, django_capture_on_commit_callbacks):
    bounce = message(sender="Mail Delivery System <MAILER-DAEMON@example.test>")
    dovecot.deliver(mailbox, bounce)

    fetch(django_capture_on_commit_callbacks)

    assert Report.objects.count() == 1
    assert mail.outbox == []


def test_a_wrong_password_is_a_clear_error(dovecot, mailbox, settings):
    settings.OKOA_INTAKE_IMAP_PASSWORD = "wrong"

    with pytest.raises(CommandError, match="The intake mailbox cannot be read"):
        call_command("fetch_intake_email")


def test_a_server_certificate_that_is_not_trusted_is_refused(dovecot, mailbox, settings):
    settings.OKOA_INTAKE_IMAP_CA_FILE = ""  # the system's CAs do not know the test server

    with pytest.raises(CommandError, match="CERTIFICATE_VERIFY_FAILED"):
        call_command("fetch_intake_email")
