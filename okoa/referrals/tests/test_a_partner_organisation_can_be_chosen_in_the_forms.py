"""A caseworker picks an organisation of a partner installation (its stand-in) in the consent
and referral forms like any other; its services are not in this directory, so the referral names
the kind of service from the list. The referral's page says where it went and whether it has
arrived."""

from __future__ import annotations

from django.utils import timezone

from okoa.exchange.models import OutboundMessage
from okoa.referrals.models import Referral


def test_a_caseworker_records_consent_for_and_refers_to_a_partners_organisation(
    client, cast, make_case, partner_installation
):
    case = make_case(given_name="Atieno")
    desk = partner_installation.desk
    client.force_login(cast.caseworker)

    form = client.get(f"/referrals/cases/{case.code}/new/").content.decode()
    assert f'<option value="{desk.pk}">{desk.name}</option>' in form
    assert desk.name == "Usalama Referral Desk · Usalama Coordination Secretariat"

    consent = client.post(
        f"/referrals/cases/{case.code}/consent/",
        {
            "given_by": "survivor",
            "given_on": timezone.localdate().isoformat(),
            "organisations": [desk.pk],
            "sections": ["basic", "contact"],
        },
    )
    assert consent.status_code == 302
    sent = client.post(
        f"/referrals/cases/{case.code}/new/",
        {
            "to_organisation": desk.pk,
            "service_kind": "repatriation",
            "urgency": "normal",
            "sections": ["basic"],
            "reason_note": "Wishes to go home to her family in Busia.",
        },
    )

    referral = Referral.objects.get()
    assert sent.status_code == 302 and sent["Location"] == f"/referrals/{referral.code}/"
    assert (referral.to_organisation, referral.service, referral.service_kind) == (
        desk,
        None,
        "repatriation",
    )
    assert OutboundMessage.objects.get().kind == "referral.sent"
    page = client.get(f"/referrals/{referral.code}/").content.decode()
    assert "Sent to the installation Usalama Coordination Secretariat" in page
    assert "waiting to be delivered" in page


def test_a_referral_to_a_partners_organisation_needs_a_kind_of_service(
    client, cast, make_case, give_consent, partner_installation
):
    case = make_case()
    give_consent(case)
    client.force_login(cast.caseworker)

    response = client.post(
        f"/referrals/cases/{case.code}/new/",
        {
            "to_organisation": partner_installation.desk.pk,
            "urgency": "normal",
            "sections": ["basic"],
            "reason_note": "Wishes to go home.",
        },
    )

    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"service_kind"}
    assert not Referral.objects.exists()
    assert not OutboundMessage.objects.exists()
