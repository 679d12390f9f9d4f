"""Reports of public channels go to the organisation their route names; without a route they
still arrive (at the first active CTiP secretariat, else NGO), and the error is logged."""

import logging

from django.core.management import call_command

from okoa.accounts.actions import create_organisation
from okoa.intake.actions import create_report
from okoa.intake.models import IntakeRoute


def test_a_route_sends_the_channels_reports_to_its_organisation(cast):
    IntakeRoute.objects.create(channel="sms", organisation=cast.partner)

    report = create_report(channel="sms", by=None, narrative="Msaada").report

    assert report.organisation == cast.partner
    assert report.reference.startswith("MWA-R-")


def test_without_a_route_the_ctip_secretariat_receives_and_an_error_is_logged(cast, caplog):
    secretariat = create_organisation(
        name="Counter-Trafficking Secretariat of Pwani",
        kind="ctip_secretariat",
        reference_prefix="CTS",
    )

    with caplog.at_level(logging.ERROR, logger="okoa.intake.actions"):
        report = create_report(channel="web", by=None, narrative="Msaada").report

    assert report.organisation == secretariat
    assert "No intake route for channel web" in caplog.text


def test_without_a_route_or_a_secretariat_the_first_ngo_receives(cast):
    report = create_report(channel="ussd", by=None, narrative="Msaada").report

    assert report.organisation == cast.ngo


def test_a_route_to_an_inactive_organisation_is_not_used(cast):
    cast.partner.is_active = False
    cast.partner.save()
    IntakeRoute.objects.create(channel="email", organisation=cast.partner)

    assert create_report(channel="email", by=None, narrative="Help").report.organisation == cast.ngo


def test_the_database_check_warns_about_public_channels_without_a_route(cast, capsys):
    IntakeRoute.objects.create(channel="web", organisation=cast.ngo)

    call_command("check", "--database", "default")

    err = capsys.readouterr().err
    assert "okoa.W101" in err
    assert "sms, ussd, email" in err
