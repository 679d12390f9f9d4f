"""Forms of consent, referrals and answers: bad input gets a clear error on its field (or on top
for the consent), the page comes back with 400, and nothing is saved."""

from __future__ import annotations

from okoa.cases.models import CaseEvent
from okoa.referrals.actions import withdraw_referral
from okoa.referrals.models import Consent, Referral


def errors_of(response):
    return response.context["form"].errors


def test_a_referral_without_consent_shows_a_clear_message(client, cast, make_case):
    case = make_case()
    client.force_login(cast.caseworker)

    response = client.post(
        f"/referrals/cases/{case.code}/new/",
        {
            "to_organisation": cast.partner.pk,
            "service_kind": "shelter",
            "urgency": "urgent",
            "sections": ["basic"],
            "reason_note": "Needs a bed tonight",
        },
    )

    assert response.status_code == 400
    assert "no consent to share" in response.content.decode()
    assert not Referral.objects.exists()


def test_a_referral_form_names_each_missing_field(client, cast, make_case, give_consent):
    case = make_case()
    give_consent(case)
    client.force_login(cast.caseworker)

    response = client.post(
        f"/referrals/cases/{case.code}/new/",
        {"to_organisation": cast.partner.pk, "urgency": "normal", "sections": ["contact"]},
    )

    assert response.status_code == 400
    errors = errors_of(response)
    assert set(errors) >= {"service_kind", "sections", "reason_note"}
    assert not Referral.objects.exists()
    assert not case.events.filter(kind=CaseEvent.Kind.REFERRAL_SENT).exists()


def test_a_service_of_another_organisation_is_refused(client, cast, make_case, give_consent):
    from okoa.directory.actions import create_service

    elsewhere = create_service(
        cast.ngo,
        by=cast.admin,
        kind="medical",
        name="Our own clinic",
        nationwide=True,
        contact_phone="0700 000 150",
    )
    case = make_case()
    give_consent(case)
    client.force_login(cast.caseworker)

    response = client.post(
        f"/referrals/cases/{case.code}/new/",
        {
            "to_organisation": cast.partner.pk,
            "service": elsewhere.pk,
            "urgency": "normal",
            "sections": ["basic"],
            "reason_note": "Medical check",
        },
    )

    assert response.status_code == 400
    assert "service" in errors_of(response)


def test_a_consent_form_names_each_missing_field(client, cast, make_case):
    case = make_case()
    client.force_login(cast.caseworker)

    response = client.post(
        f"/referrals/cases/{case.code}/consent/", {"given_by": "guardian", "sections": ["basic"]}
    )

    assert response.status_code == 400
    assert set(errors_of(response)) >= {"given_by_details", "given_on", "organisations"}
    assert not Consent.objects.exists()


def test_answers_without_their_reason_or_outcome_are_refused(client, cast, make_case, refer):
    referral = refer(make_case())
    client.force_login(cast.partner_caseworker)

    declined = client.post(f"/referrals/{referral.code}/decline/", {"version": referral.version})
    other = client.post(
        f"/referrals/{referral.code}/decline/",
        {"version": referral.version, "reason": "other", "note": " "},
    )

    assert declined.status_code == other.status_code == 400
    assert "reason" in declined.context["decline_form"].errors
    assert "Say what the reason is." in other.content.decode()
    referral.refresh_from_db()
    assert referral.status == "sent"


def test_an_answer_to_a_withdrawn_referral_is_refused(client, cast, make_case, refer):
    referral = refer(make_case())
    withdraw_referral(referral, reason="The survivor travelled home", by=cast.caseworker)
    client.force_login(cast.partner_caseworker)

    response = client.post(f"/referrals/{referral.code}/accept/", {"version": referral.version})

    assert response.status_code == 400
    assert "it can no longer be accepted" in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == "withdrawn"


def test_withdrawing_needs_a_reason(client, cast, make_case, refer):
    referral = refer(make_case())
    client.force_login(cast.caseworker)

    response = client.post(f"/referrals/{referral.code}/withdraw/", {"version": referral.version})

    assert response.status_code == 400
    assert "reason" in response.context["withdraw_form"].errors
