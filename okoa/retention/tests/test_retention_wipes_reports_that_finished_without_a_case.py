"""``manage.py apply_retention`` wipes the reports that finished (closed or referred elsewhere)
without a case longer ago than their organisation's report retention period, with everything
their channels kept (files, SMS, the USSD screen, the hotline call) and their search tokens, and
empties the caller's number and notes of hotline calls that never became a report. Recent
reports, reports still open, in triage or being handled, and reports with a case are kept; a
second run changes nothing; each organisation's period applies to its own reports only."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from okoa.audit.models import ChangeRecord
from okoa.intake.actions import (
    change_report_status,
    close_report,
    create_report_from_call,
    log_hotline_call,
    open_case_from_report,
    open_group_incident,
    refer_report,
    set_intake_route,
    update_report,
)
from okoa.intake.channels import ussd
from okoa.intake.channels.email import import_email
from okoa.intake.channels.sms import InboundSms, receive_sms
from okoa.intake.models import (
    PUBLIC_CHANNELS,
    GroupIncident,
    HotlineCall,
    OutboundSms,
    Report,
    ReportAttachment,
    ReportSearchToken,
    UssdSession,
)
from okoa.reference.models import Country
from okoa.retention import actions
from okoa.retention.actions import set_retention_policy, wipe_caseless_report
from okoa.retention.models import Erasure
from okoa.retention.tests.conftest import all_rows_as_text, stored_ciphertexts
from okoa.retention.tests.test_erasure_empties_what_the_channels_kept import (
    MAILBOX,
    PDF,
    USSD_REPORT,
    email_raw,
)

# What the invented reports said; none of it may be left after the wipe.
SECRETS = [
    "Nafula",
    "Wanjala",
    "nafula.wanjala@example.test",
    "AK7777123",
    "Amefungiwa Jeddah na mwajiri",
    "720555101",
    "731000222",
    "733111222",
    "Zuhura Kadzo",
    "Mama Ngina street",
    "Bidii Placements",
]
PERIOD = 365


@pytest.fixture
def channels(cast, settings, db):
    """Public channels routed to ``cast.ngo``; SMS through a gateway that sends nothing."""
    settings.OKOA_SMS_GATEWAY = "null"
    settings.OKOA_SMS_SEND_IN_BACKGROUND = False
    Country.objects.get_or_create(code="SA", defaults={"alpha3": "SAU", "name": "Saudi Arabia"})
    for channel in PUBLIC_CHANNELS:
        set_intake_route(channel, organisation=cast.ngo)
    return cast


@pytest.fixture
def policy(cast):
    return set_retention_policy(
        cast.ngo,
        closed_case_retention_days=None,
        caseless_report_retention_days=PERIOD,
        by=cast.admin,
    )


def run(*args: str) -> str:
    out = StringIO()
    call_command("apply_retention", *args, stdout=out)
    return out.getvalue()


def finished_days_ago(report: Report, days: int, *, by) -> Report:
    """Close the report (unless it is closed or referred already) and move its closing and last
    change back in time, as if ``days`` had passed."""
    if report.status not in (Report.Status.CLOSED, Report.Status.REFERRED):
        close_report(report, reason="not_trafficking", note="A labour dispute only.", by=by)
    then = timezone.now() - datetime.timedelta(days=days)
    Report.objects.filter(pk=report.pk).update(updated_at=then)
    Report.objects.filter(pk=report.pk, closed_at__isnull=False).update(closed_at=then)
    return Report.objects.get(pk=report.pk)


def received_days_ago(report: Report, days: int) -> Report:
    then = timezone.now() - datetime.timedelta(days=days)
    Report.objects.filter(pk=report.pk).update(received_at=then, updated_at=then)
    return Report.objects.get(pk=report.pk)


def hotline_report(cast, *, phone: str = "0733 111 222") -> Report:
    call = log_hotline_call(
        cast.ngo,
        by=cast.operator,
        category="trafficking_report",
        caller_type="relative",
        caller_phone=phone,
        notes="Her sister Zuhura Kadzo says she is held on Mama Ngina street.",
    )
    report = create_report_from_call(call, by=cast.operator).report
    update_report(
        report,
        by=cast.operator,
        reporter_name="Zuhura Kadzo",
        subject_names=["Nafula Wanjala"],
        subject_phone_numbers=["0720 555 101"],
        recruitment_agency="Bidii Placements",
    )
    return Report.objects.get(pk=report.pk)


@dataclass
class OldReports:
    email: Report
    sms: Report
    ussd: Report
    hotline: Report

    def all(self) -> list[Report]:
        return [self.email, self.sms, self.ussd, self.hotline]


@pytest.fixture
def old_reports(channels, cast) -> OldReports:
    """Four reports, one per channel, closed without a case two years ago."""
    raw = email_raw(("passport-nafula.pdf", PDF, "application", "pdf"))
    assert import_email(raw, mailbox=MAILBOX, uid_validity=1, uid=1)
    sms = receive_sms(
        InboundSms("ATXid_1", "+254 720 555 101", "21195", "Amefungiwa Jeddah na mwajiri")
    )
    assert sms is not None
    screen = ussd.answer(ussd.UssdRequest("ATUid_1", "*384*1195#", "+254731000222", USSD_REPORT))
    assert screen.startswith("END Report received.")
    reports = OldReports(
        email=Report.objects.get(channel="email"),
        sms=sms.report,
        ussd=Report.objects.get(channel="ussd"),
        hotline=hotline_report(cast),
    )
    for report in reports.all():
        finished_days_ago(report, 2 * PERIOD, by=cast.caseworker)
    return reports


def ciphertexts_of(reports: list[Report]) -> set[str]:
    """The sealed values the reports and their channels' records hold, as stored."""
    ids = [report.pk for report in reports]
    values: set[str] = set()
    tables = {
        Report: ("id", list(actions.REPORT_FIELDS)),
        ReportAttachment: ("report_id", list(actions.ATTACHMENT_FIELDS)),
        OutboundSms: ("report_id", list(actions.OUTBOUND_SMS_FIELDS)),
        UssdSession: ("report_id", list(actions.USSD_SESSION_FIELDS)),
        HotlineCall: ("report_id", ["caller_phone", "notes"]),
    }
    placeholders = ", ".join(["%s"] * len(ids))
    with connection.cursor() as cursor:
        for model, (key, columns) in tables.items():
            for column in columns:
                quote = connection.ops.quote_name
                cursor.execute(
                    f"SELECT {quote(column)} FROM {quote(model._meta.db_table)} "
                    f"WHERE {quote(key)} IN ({placeholders})",
                    ids,
                )
                values.update(value for (value,) in cursor.fetchall() if value)
    return values


def test_an_old_report_finished_without_a_case_is_wiped_with_its_traces(cast, policy, old_reports):
    before = ciphertexts_of(old_reports.all())
    assert len(before) >= 20

    output = run()

    assert "TUM: 4 reports without a case and 0 calls without a report wiped" in output
    text = all_rows_as_text()
    assert [value for value in before if value in text] == []
    for secret in SECRETS:
        assert secret.lower() not in text.lower(), secret
    assert not ReportSearchToken.objects.filter(report__in=old_reports.all()).exists()
    attachment = ReportAttachment.objects.get(report=old_reports.email)
    assert attachment.erased_at and attachment.file_name == "" and bytes(attachment.content) == b""
    sms = OutboundSms.objects.get(report=old_reports.sms)
    assert (sms.to, sms.message, sms.status, sms.next_attempt_at) == ("", "", "failed", None)
    assert UssdSession.objects.get(report=old_reports.ussd).answer == ""
    call = HotlineCall.objects.get(report=old_reports.hotline)
    assert (call.caller_phone, call.caller_phone_token, call.notes) == ("", None, "")


def test_what_statistics_count_stays_and_the_wipe_is_recorded(cast, policy, old_reports):
    run()

    report = Report.objects.get(pk=old_reports.hotline.pk)
    assert (report.channel, report.status, report.outcome_reason) == (
        "hotline",
        "closed",
        "not_trafficking",
    )
    assert (report.reporter_name, report.narrative, report.subject_names) == ("", "", [])
    assert report.reference == old_reports.hotline.reference
    assert HotlineCall.objects.get(report=report).category == "trafficking_report"
    assert ReportAttachment.objects.get(report=old_reports.email).size == len(PDF)
    erasures = Erasure.objects.filter(report__in=old_reports.all())
    assert erasures.count() == 4
    erasure = erasures.get(report=old_reports.hotline)
    assert (erasure.reason, erasure.by, erasure.person, erasure.organisation) == (
        "retention",
        None,
        None,
        cast.ngo,
    )
    assert {"narrative", "reporter_name", "subject_names", "hotline_call.caller_phone"} <= set(
        erasure.fields
    )
    assert "attachments" in erasures.get(report=old_reports.email).fields
    change = ChangeRecord.objects.get(
        record_kind="report", record_code=old_reports.sms.code, action="erased"
    )
    assert change.user is None and "outbound_sms" in change.fields
    assert ChangeRecord.objects.filter(
        record_kind="hotline_call", record_code=HotlineCall.objects.get(report=report).code
    ).exists()


def test_recent_open_and_case_linked_reports_are_kept(cast, channels, policy):
    recent = finished_days_ago(hotline_report(cast), PERIOD - 10, by=cast.caseworker)
    received = received_days_ago(hotline_report(cast), 3 * PERIOD)
    in_triage = hotline_report(cast)
    change_report_status(in_triage, to="in_triage", by=cast.caseworker)
    in_triage = received_days_ago(in_triage, 3 * PERIOD)
    with_case = hotline_report(cast)
    case = open_case_from_report(
        with_case, by=cast.caseworker, person_values={"given_name": "Nafula"}
    )
    close_report(with_case, reason="handled_as_cases", by=cast.caseworker)
    with_case = finished_days_ago(with_case, 3 * PERIOD, by=cast.caseworker)
    kept = [recent, received, in_triage, with_case]
    before = ciphertexts_of(kept)

    output = run()

    assert "TUM: 0 reports without a case" in output
    assert ciphertexts_of(kept) == before
    for report in kept:
        assert Report.objects.get(pk=report.pk).narrative.startswith("Her sister Zuhura Kadzo")
    assert not Erasure.objects.exists()
    case.person.refresh_from_db()
    assert case.person.given_name == "Nafula" and case.person.erased_at is None


def test_a_report_referred_elsewhere_long_ago_is_wiped(cast, channels, policy):
    report = hotline_report(cast)
    refer_report(
        report,
        to="Bidii legal aid clinic (invented)",
        reason="other_service",
        note="Zuhura Kadzo wants a lawyer.",
        by=cast.caseworker,
    )
    report = finished_days_ago(report, PERIOD + 1, by=cast.caseworker)

    run()

    report.refresh_from_db()
    assert (report.status, report.referred_to, report.outcome_note, report.narrative) == (
        "referred",
        "",
        "",
        "",
    )
    assert Erasure.objects.filter(report=report).exists()


def test_a_group_incident_nobody_was_added_to_goes_with_its_report(cast, channels, policy):
    report = hotline_report(cast)
    incident = open_group_incident(
        report,
        by=cast.caseworker,
        estimated_size=12,
        location="A compound on Mama Ngina street",
        description="Twelve women, Zuhura Kadzo among them.",
    )
    close_report(report, reason="no_contact", by=cast.caseworker)
    finished_days_ago(report, PERIOD + 1, by=cast.caseworker)

    run()

    incident = GroupIncident.objects.get(pk=incident.pk)
    assert (incident.location, incident.description, incident.estimated_size) == ("", "", 12)


def test_a_second_run_changes_nothing(cast, policy, old_reports):
    run()
    changes, erasures = ChangeRecord.objects.count(), list(Erasure.objects.values())
    sealed = stored_ciphertexts()

    output = run()

    assert "TUM: 0 reports without a case and 0 calls without a report wiped" in output
    assert ChangeRecord.objects.count() == changes
    assert list(Erasure.objects.values()) == erasures
    assert stored_ciphertexts() == sealed


def test_a_report_reopened_and_changed_after_its_wipe_is_wiped_again_later(cast, channels, policy):
    report = finished_days_ago(hotline_report(cast), 3 * PERIOD, by=cast.caseworker)
    run()
    # As if that wipe had happened two years ago.
    two_years_ago = timezone.now() - datetime.timedelta(days=2 * PERIOD)
    Erasure.objects.filter(report=report).update(at=two_years_ago)
    Report.objects.filter(pk=report.pk).update(updated_at=two_years_ago)
    change_report_status(report, to="in_triage", by=cast.caseworker)
    update_report(report, by=cast.caseworker, narrative="Zuhura Kadzo called again.")
    report = finished_days_ago(report, PERIOD + 1, by=cast.caseworker)

    run()

    assert Report.objects.get(pk=report.pk).narrative == ""
    assert Erasure.objects.filter(report=report).count() == 2


def test_each_organisations_period_applies_to_its_own_reports_only(cast, channels):
    set_retention_policy(
        cast.ngo,
        closed_case_retention_days=None,
        caseless_report_retention_days=None,
        by=cast.admin,
    )
    set_retention_policy(
        cast.partner,
        closed_case_retention_days=None,
        caseless_report_retention_days=100,
        by=None,
    )
    ours = finished_days_ago(hotline_report(cast), 5000, by=cast.caseworker)
    call = log_hotline_call(
        cast.partner,
        by=cast.partner_caseworker,
        category="trafficking_report",
        caller_phone="0711 000 999",
        notes="About Nafula Wanjala in Jeddah.",
    )
    theirs = create_report_from_call(call, by=cast.partner_caseworker).report
    theirs = finished_days_ago(theirs, 101, by=cast.partner_caseworker)

    output = run()

    assert "TUM: no retention period set for reports without a case." in output
    assert "MWA: 1 reports without a case and 0 calls without a report wiped" in output
    assert Report.objects.get(pk=ours.pk).narrative.startswith("Her sister Zuhura Kadzo")
    assert HotlineCall.objects.get(report=ours).caller_phone == "0733 111 222"
    assert HotlineCall.objects.get(pk=call.pk).caller_phone == ""
    assert Erasure.objects.get().report_id == theirs.pk
    assert Erasure.objects.get().organisation == cast.partner


def test_only_the_organisation_asked_for_is_processed(cast, channels, policy):
    set_retention_policy(
        cast.partner,
        closed_case_retention_days=None,
        caseless_report_retention_days=PERIOD,
        by=None,
    )
    ours = finished_days_ago(hotline_report(cast), 2 * PERIOD, by=cast.caseworker)

    output = run("--organisation", "MWA")

    assert "TUM" not in output
    assert Report.objects.get(pk=ours.pk).narrative != ""


def test_hotline_calls_that_never_became_a_report_lose_the_number_and_notes(cast, policy):
    long_ago = timezone.now() - datetime.timedelta(days=PERIOD + 1)
    old = log_hotline_call(
        cast.ngo,
        by=cast.operator,
        category="prank",
        caller_phone="0733 111 222",
        notes="Laughed and said Zuhura Kadzo sent him.",
        started_at=long_ago,
    )
    recent = log_hotline_call(
        cast.ngo, by=cast.operator, category="silent", caller_phone="0720 555 101"
    )

    output = run()

    assert "TUM: 0 reports without a case and 1 calls without a report wiped" in output
    old.refresh_from_db()
    assert (old.caller_phone, old.caller_phone_token, old.notes) == ("", None, "")
    assert (old.category, old.started_at) == ("prank", long_ago)
    recent.refresh_from_db()
    assert recent.caller_phone == "0720 555 101" and recent.caller_phone_token is not None
    change = ChangeRecord.objects.get(record_kind="hotline_call", action="erased")
    assert change.record_code == old.code
    assert change.fields == ["caller_phone", "caller_phone_token", "notes"]


def test_a_report_reopened_after_it_was_listed_is_left_alone(cast, channels, policy):
    report = finished_days_ago(hotline_report(cast), PERIOD + 1, by=cast.caseworker)
    [listed] = policy.reports_due_for_wiping(timezone.now())
    cutoff = policy.report_cutoff(timezone.now())
    assert cutoff is not None
    change_report_status(report, to="in_triage", by=cast.caseworker)

    assert wipe_caseless_report(listed, cutoff=cutoff) is None

    assert Report.objects.get(pk=report.pk).narrative.startswith("Her sister Zuhura Kadzo")
    assert not Erasure.objects.exists()


def test_a_dry_run_counts_and_wipes_nothing(cast, policy, old_reports):
    sealed, changes = stored_ciphertexts(), ChangeRecord.objects.count()

    output = run("--dry-run")

    assert "TUM: 4 reports without a case and 0 calls without a report would be wiped" in output
    assert stored_ciphertexts() == sealed
    assert ChangeRecord.objects.count() == changes
    assert not Erasure.objects.exists()


def test_one_failure_leaves_that_report_whole_and_the_others_are_wiped(
    cast, policy, old_reports, monkeypatch
):
    real = actions._wipe_report

    def wipe(report, **kwargs):
        if report.pk == old_reports.sms.pk:
            raise RuntimeError("disk full")
        return real(report, **kwargs)

    monkeypatch.setattr(actions, "_wipe_report", wipe)
    out = StringIO()

    with pytest.raises(CommandError):
        call_command("apply_retention", stdout=out)

    assert "TUM: 3 reports without a case and 0 calls without a report wiped" in out.getvalue()
    assert "1 failed." in out.getvalue()
    sms_report = Report.objects.get(pk=old_reports.sms.pk)
    assert sms_report.narrative == "Amefungiwa Jeddah na mwajiri"
    assert OutboundSms.objects.get(report=sms_report).to != ""
    assert not Erasure.objects.filter(report=sms_report).exists()


def test_the_output_names_nobody(cast, policy, old_reports):
    output = run()

    for secret in SECRETS:
        assert secret.lower() not in output.lower(), secret
    for report in old_reports.all():
        assert report.reference not in output and report.code not in output
