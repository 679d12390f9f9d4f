"""Members who may see a report download the files that came with it: by an opaque code, as a
download (never rendered in the page), with a type the intake accepts, a file name that names
nobody, never sniffed or cached, and an access record for every download. Anybody else, a
refused file and an erased one get the same 404 as a missing file."""

import re
import uuid
from email.message import EmailMessage

import pytest

from okoa.audit.models import AccessRecord
from okoa.intake.actions import open_case_from_report
from okoa.intake.channels.email import Mailbox, import_email
from okoa.intake.models import Report, ReportAttachment
from okoa.retention.actions import approve_erasure, request_erasure

PDF = b"%PDF-1.4\nStatement of Nafula Wanjala, recruited by Faraja Gulf Agency\n%%EOF\n"
TEXT = b"Nafula's employer: Villa 12, Al Olaya.\n"
CSRF_TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"')
MAILBOX = Mailbox(host="mail.tumaini.test", port=993, user="intake@tumaini.test", password="-")


def emailed(*files, uid=1):
    email = EmailMessage()
    email["From"] = "Wekesa Barasa <wekesa.barasa@example.test>"
    email["To"] = "intake@tumaini.test"
    email["Subject"] = "My cousin's documents"
    email["Message-ID"] = f"<{uuid.uuid4().hex}@mail.example.test>"
    email.set_content("My cousin Nafula is held in Riyadh. Her statement is attached.")
    for name, content, maintype, subtype in files:
        email.add_attachment(content, maintype=maintype, subtype=subtype, filename=name)
    assert import_email(email.as_bytes(), mailbox=MAILBOX, uid_validity=7, uid=uid)
    return Report.objects.get(channel="email")


@pytest.fixture
def report(routed):
    return emailed(
        ("statement-nafula-wanjala.pdf", PDF, "application", "pdf"),
        ("employer.txt", TEXT, "text", "plain"),
        ("tool.exe", b"MZ\x90\x00", "application", "octet-stream"),
    )


def attachment(report, content_type):
    return next(a for a in report.attachments.all() if a.content_type == content_type)


def url(attachment):
    return f"/intake/attachments/{attachment.code}/"


@pytest.mark.parametrize("role", ["operator", "caseworker", "supervisor", "admin"])
def test_members_who_see_the_report_download_the_file(client, cast, report, role):
    client.force_login(getattr(cast, role))
    pdf = attachment(report, "application/pdf")

    response = client.get(url(pdf))

    assert response.status_code == 200
    assert response.content == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="{report.reference}-{pdf.code[:8]}.pdf"'
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    assert "sandbox" in response["Content-Security-Policy"]
    assert "default-src 'none'" in response["Content-Security-Policy"]


def test_the_file_name_sent_names_nobody(client, cast, report):
    client.force_login(cast.caseworker)

    response = client.get(url(attachment(report, "application/pdf")))

    headers = repr(response.headers).lower()
    assert "nafula" not in headers and "wanjala" not in headers and "statement" not in headers


def test_plain_text_is_sent_as_utf8_text(client, cast, report):
    client.force_login(cast.caseworker)

    response = client.get(url(attachment(report, "text/plain")))

    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content == TEXT
    assert response["Content-Disposition"].endswith('.txt"')


def test_every_download_leaves_an_access_record(client, cast, report):
    client.force_login(cast.operator)
    pdf = attachment(report, "application/pdf")

    client.get(url(pdf))
    client.get(url(pdf))

    reads = AccessRecord.objects.filter(record_kind="report_attachment", record_code=pdf.code)
    assert reads.count() == 2
    assert {(read.user, read.organisation, read.channel) for read in reads} == {
        (cast.operator, cast.ngo, "page")
    }


@pytest.mark.parametrize("role", ["analyst", "partner_caseworker"])
def test_anybody_else_gets_the_same_404_as_a_missing_file(client, cast, report, role):
    client.force_login(getattr(cast, role))

    forbidden = client.get(url(attachment(report, "application/pdf")))
    missing = client.get("/intake/attachments/Xq3mZr8KpLw2Vn7T/")

    assert forbidden.status_code == missing.status_code == 404
    assert CSRF_TOKEN.sub(b"", forbidden.content) == CSRF_TOKEN.sub(b"", missing.content)
    assert not AccessRecord.objects.filter(record_kind="report_attachment").exists()


def test_signing_in_comes_first(client, report):
    response = client.get(url(attachment(report, "application/pdf")))

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_a_refused_file_cannot_be_downloaded(client, cast, report):
    client.force_login(cast.caseworker)
    refused = report.attachments.get(refused=ReportAttachment.Refusal.TYPE_NOT_ALLOWED)

    assert client.get(url(refused)).status_code == 404


def test_an_erased_file_cannot_be_downloaded(client, cast, report):
    pdf = attachment(report, "application/pdf")
    case = open_case_from_report(
        report,
        by=cast.caseworker,
        person_values={"given_name": "Nafula", "family_name": "Wanjala"},
    )
    erasure = request_erasure(case.person, reason="She asked us to.", by=cast.caseworker)
    approve_erasure(erasure, by=cast.supervisor)
    client.force_login(cast.caseworker)

    assert client.get(url(pdf)).status_code == 404
    assert "File erased" in client.get(f"/intake/reports/{report.code}/").content.decode()


def test_the_report_page_lists_the_files_and_links_the_kept_ones(client, cast, report):
    client.force_login(cast.caseworker)
    pdf, text = attachment(report, "application/pdf"), attachment(report, "text/plain")
    refused = report.attachments.get(refused=ReportAttachment.Refusal.TYPE_NOT_ALLOWED)

    page = client.get(f"/intake/reports/{report.code}/").content.decode()

    assert f'href="{url(pdf)}"' in page and "statement-nafula-wanjala.pdf" in page
    assert f'href="{url(text)}"' in page
    assert "tool.exe" in page and "not kept: Type not allowed" in page
    assert url(refused) not in page


def test_the_download_answers_get_only(client, cast, report):
    client.force_login(cast.caseworker)

    response = client.post(url(attachment(report, "application/pdf")))

    assert response.status_code == 405
