"""Erasing a person empties everything the intake channels kept about the reports their cases
came from: emailed files (names and contents), the number and text of SMS sent about them, the
last USSD screen; an SMS report's text and number and an email's sender go with the report's
own fields. No row keeps the old plaintext or ciphertext; counts, types, sizes, statuses and the
fact of the erasure stay, an SMS not sent by then is never sent, and a message delivered again
is still recognised. A report that still serves somebody else loses only the person's own
entries: the number their acknowledgement went to and the files that name them."""

import uuid
from dataclasses import dataclass
from email.message import EmailMessage

import pytest
from django.db import connection

from okoa.audit.models import ChangeRecord
from okoa.intake.actions import open_case_from_report, set_intake_route
from okoa.intake.channels import ussd
from okoa.intake.channels.email import Mailbox, import_email
from okoa.intake.channels.outbound import send_due_sms, send_outbound_sms
from okoa.intake.channels.sms import InboundSms, receive_sms
from okoa.intake.models import (
    PUBLIC_CHANNELS,
    ImportedEmail,
    OutboundSms,
    Report,
    ReportAttachment,
    UssdSession,
)
from okoa.people.models import Person
from okoa.reference.models import Country
from okoa.retention import actions
from okoa.retention.actions import approve_erasure, request_erasure
from okoa.retention.tests.conftest import all_rows_as_text
from okoa.vault.rotation import encrypted_columns

PDF = b"%PDF-1.4\nPassport of Nafula Wanjala, number AK7777123\n%%EOF\n"
SECRETS = [
    "Nafula",
    "Wanjala",
    "nafula.wanjala@example.test",
    "AK7777123",
    "Amefungiwa Jeddah na mwajiri",
    "720555101",
    "731000222",
]
MAILBOX = Mailbox(host="mail.tumaini.test", port=993, user="intake@tumaini.test", password="-")
USSD_REPORT = ("1", "1", "1", "1", "3", "1")  # English, report, Saudi Arabia, in danger, 3, send
CHANNEL_MODELS = (ReportAttachment, OutboundSms, UssdSession)


class RecordingGateway:
    def __init__(self):
        self.sent: list[tuple[list[str], str]] = []

    def send(self, numbers, message):
        self.sent.append((numbers, message))
        return []


@dataclass
class Reports:
    email: Report
    sms: Report
    ussd: Report
    people: list[Person]
    raw_email: bytes


def email_raw(*files, subject="Msaada kwa Nafula") -> bytes:
    email = EmailMessage()
    email["From"] = "Nafula Wanjala <nafula.wanjala@example.test>"
    email["To"] = "intake@tumaini.test"
    email["Subject"] = subject
    email["Message-ID"] = f"<{uuid.uuid4().hex}@mail.example.test>"
    email.set_content("I am held in Jeddah. My passport is attached.")
    for name, content, maintype, subtype in files:
        email.add_attachment(content, maintype=maintype, subtype=subtype, filename=name)
    return email.as_bytes()


@pytest.fixture
def channels(cast, settings, db):
    """Public channels routed to ``cast.ngo``; SMS through a gateway that sends nothing."""
    settings.OKOA_SMS_GATEWAY = "null"
    settings.OKOA_SMS_SEND_IN_BACKGROUND = False
    Country.objects.get_or_create(code="SA", defaults={"alpha3": "SAU", "name": "Saudi Arabia"})
    for channel in PUBLIC_CHANNELS:
        set_intake_route(channel, organisation=cast.ngo)
    return cast


def open_case_for_nafula(report, cast, **person_values):
    values = {"given_name": "Nafula", "family_name": "Wanjala", **person_values}
    return open_case_from_report(report, by=cast.caseworker, person_values=values)


@pytest.fixture
def reports(channels, cast) -> Reports:
    """Nafula reported herself by email (with files), SMS and USSD; a case from each."""
    raw = email_raw(
        ("passport-nafula.pdf", PDF, "application", "pdf"),
        ("contract-wanjala.pdf", PDF, "application", "pdf"),
        ("malware.exe", b"MZ\x90\x00", "application", "octet-stream"),
    )
    assert import_email(raw, mailbox=MAILBOX, uid_validity=1, uid=1)
    email = Report.objects.get(channel="email")
    # Not handed to the gateway (the commit callbacks do not run): queued, as if the gateway
    # had been down since.
    sms = receive_sms(
        InboundSms("ATXid_1", "+254 720 555 101", "21195", "Amefungiwa Jeddah na mwajiri")
    )
    assert sms is not None
    answer = ussd.answer(ussd.UssdRequest("ATUid_1", "*384*1195#", "+254731000222", USSD_REPORT))
    assert answer.startswith("END Report received.")
    people = [
        open_case_for_nafula(email, cast, passport_number="AK7777123").person,
        open_case_for_nafula(sms.report, cast, phone_numbers=["0720 555 101"]).person,
        open_case_for_nafula(Report.objects.get(channel="ussd"), cast).person,
    ]
    return Reports(email, sms.report, Report.objects.get(channel="ussd"), people, raw)


def erase(person, cast):
    erasure_request = request_erasure(person, reason="She asked us to.", by=cast.caseworker)
    approve_erasure(erasure_request, by=cast.supervisor)


def channel_ciphertexts() -> set[str]:
    """Every non-empty sealed value of the channels' own records, as stored."""
    values: set[str] = set()
    with connection.cursor() as cursor:
        for model, fields in encrypted_columns():
            if model not in CHANNEL_MODELS:
                continue
            table = connection.ops.quote_name(model._meta.db_table)
            for field in fields:
                column = connection.ops.quote_name(field.column or field.name)
                cursor.execute(f"SELECT {column} FROM {table}")
                values.update(value for (value,) in cursor.fetchall() if value)
    return values


def test_no_row_keeps_the_ciphertext_of_files_sms_or_screens(cast, reports):
    before = channel_ciphertexts()
    # Three files (names, two contents), the SMS's number and text, the USSD screen.
    assert len(before) >= 8

    for person in reports.people:
        erase(person, cast)

    text = all_rows_as_text()
    assert [value for value in before if value in text] == []
    assert channel_ciphertexts() == set()


def test_no_row_keeps_the_plaintext_either(cast, reports):
    for person in reports.people:
        erase(person, cast)

    text = all_rows_as_text().lower()
    for secret in SECRETS:
        assert secret.lower() not in text, secret


def test_counts_types_statuses_and_the_fact_of_erasure_stay(cast, reports):
    for person in reports.people:
        erase(person, cast)

    files = list(ReportAttachment.objects.filter(report=reports.email).order_by("id"))
    assert [(f.content_type, f.size, f.refused) for f in files] == [
        ("application/pdf", len(PDF), ""),
        ("application/pdf", len(PDF), ""),
        ("", 4, "type_not_allowed"),
    ]
    assert all(f.erased_at and f.file_name == "" and bytes(f.content) == b"" for f in files)
    sms = OutboundSms.objects.get(report=reports.sms)
    assert (sms.to, sms.message, sms.purpose) == ("", "", "acknowledgement")
    assert UssdSession.objects.get(report=reports.ussd).answer == ""
    sms_report = Report.objects.get(pk=reports.sms.pk)
    assert (sms_report.narrative, sms_report.reporter_phone) == ("", "")
    assert (sms_report.channel, sms_report.external_id) == ("sms", "ATXid_1")
    email_report = Report.objects.get(pk=reports.email.pk)
    assert (email_report.reporter_name, email_report.reporter_contact) == ("", "")
    erased = {
        record.record_code: record.fields
        for record in ChangeRecord.objects.filter(record_kind="report", action="erased")
    }
    assert "attachments" in erased[reports.email.code]
    assert "outbound_sms" in erased[reports.sms.code]
    assert "ussd_sessions" in erased[reports.ussd.code]


def test_an_sms_not_sent_by_then_is_never_sent(cast, reports):
    erase(reports.people[1], cast)

    gateway = RecordingGateway()
    sms = OutboundSms.objects.get(report=reports.sms)
    assert (sms.status, sms.next_attempt_at) == (OutboundSms.Status.FAILED, None)
    assert send_due_sms(gateway=gateway).sent == 0
    assert send_outbound_sms(sms.pk, gateway=gateway) is None
    assert gateway.sent == []


def test_messages_delivered_again_are_still_recognised(cast, reports):
    for person in reports.people:
        erase(person, cast)
    reports_before = Report.objects.count()

    again = receive_sms(InboundSms("ATXid_1", "+254 720 555 101", "21195", "Amefungiwa"))
    screen = ussd.answer(ussd.UssdRequest("ATUid_1", "*384*1195#", "+254731000222", USSD_REPORT))
    # The same message found again in the mailbox, under another UID (a rebuilt mailbox).
    imported = import_email(reports.raw_email, mailbox=MAILBOX, uid_validity=2, uid=1)

    assert again is not None and again.report == reports.sms and not again.created
    assert screen == "END Your report was received. Thank you."
    assert imported is False
    assert Report.objects.count() == reports_before
    assert ImportedEmail.objects.get().report == reports.email


def test_a_failure_while_wiping_the_channels_records_rolls_everything_back(
    cast, reports, monkeypatch
):
    before = channel_ciphertexts()

    def fail(ids):
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(actions, "_wipe_outbound_sms", fail)

    with pytest.raises(RuntimeError):
        erase(reports.people[0], cast)

    assert channel_ciphertexts() == before
    assert not ReportAttachment.objects.filter(erased_at__isnull=False).exists()
    assert Person.objects.get(pk=reports.people[0].pk).erased_at is None


def test_another_persons_report_keeps_its_files_and_sms(cast, reports):
    erase(reports.people[0], cast)  # the emailed report only

    assert not ReportAttachment.objects.filter(erased_at__isnull=False).exclude(
        report=reports.email
    )
    assert OutboundSms.objects.get(report=reports.sms).to == "+254 720 555 101"
    assert UssdSession.objects.get(report=reports.ussd).answer.startswith("END Report received.")


def test_a_shared_report_loses_only_the_persons_files_number_and_contacts(channels, cast):
    raw = email_raw(
        ("passport-nafula-wanjala.pdf", PDF, "application", "pdf"),
        ("AK7777123.pdf", PDF, "application", "pdf"),
        ("passport-wanjala-akinyi.pdf", PDF, "application", "pdf"),
        ("photo-of-the-house.pdf", PDF, "application", "pdf"),
        subject="Two sisters",
    )
    assert import_email(raw, mailbox=MAILBOX, uid_validity=1, uid=2)
    emailed = Report.objects.get(channel="email")
    texted = receive_sms(InboundSms("ATXid_9", "+254 720 555 101", "21195", "Sisi wawili"))
    assert texted is not None
    by_email = open_case_for_nafula(emailed, cast, passport_number="AK7777123").person
    by_sms = open_case_for_nafula(texted.report, cast, phone_numbers=["0720 555 101"]).person
    for report in (emailed, texted.report):
        open_case_from_report(
            report,
            by=cast.caseworker,
            person_values={"given_name": "Akinyi", "family_name": "Wanjala"},
        )

    erase(by_email, cast)
    erase(by_sms, cast)

    emailed = Report.objects.get(pk=emailed.pk)
    kept = emailed.attachments.filter(erased_at__isnull=True).order_by("id")
    assert [f.file_name for f in kept] == ["passport-wanjala-akinyi.pdf", "photo-of-the-house.pdf"]
    assert [bytes(f.content) for f in kept] == [PDF, PDF]
    assert emailed.attachments.filter(erased_at__isnull=False).count() == 2
    assert (emailed.reporter_name, emailed.reporter_contact) == ("", "")
    assert emailed.narrative.startswith("Two sisters")  # still about Akinyi
    texted_now = Report.objects.get(pk=texted.report.pk)
    assert (texted_now.reporter_phone, texted_now.narrative) == ("", "Sisi wawili")
    assert OutboundSms.objects.get(report=texted.report).to == ""
    change = ChangeRecord.objects.get(record_code=emailed.code, action="erased")
    assert change.fields == ["attachments", "reporter_contact", "reporter_name"]
    change = ChangeRecord.objects.get(record_code=texted_now.code, action="erased")
    assert change.fields == ["outbound_sms.to", "reporter_phone"]
