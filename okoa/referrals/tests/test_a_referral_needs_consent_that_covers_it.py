"""No referral leaves without a valid consent that covers the receiver and every shared section:
otherwise the refusal says what is missing, on the right field, and nothing is saved."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from okoa.accounts.actions import create_organisation
from okoa.cases.models import CaseEvent
from okoa.referrals.actions import (
    record_consent,
    record_consent_override,
    send_referral,
    withdraw_consent,
)
from okoa.referrals.models import Consent, Referral


def attempt(case, cast, **values):
    values.setdefault("to_organisation", cast.partner)
    values.setdefault("service_kind", "medical")
    values.setdefault("reason_note", "Needs a medical check after the rescue.")
    return send_referral(case, by=cast.caseworker, **values)


def assert_nothing_sent(case):
    assert Referral.objects.count() == 0
    assert not case.events.filter(kind=CaseEvent.Kind.REFERRAL_SENT).exists()


def test_a_referral_without_any_consent_is_refused_and_nothing_is_saved(cast, make_case):
    case = make_case()

    with pytest.raises(ValidationError) as refused:
        attempt(case, cast)

    assert "no consent to share" in refused.value.message_dict["__all__"][0]
    assert_nothing_sent(case)


def test_a_consent_for_other_organisations_does_not_cover_the_receiver(
    cast, make_case, give_consent
):
    third = create_organisation(name="Upendo Legal Aid Clinic", kind="ngo", reference_prefix="ULA")
    case = make_case()
    give_consent(case, organisations=[third])

    with pytest.raises(ValidationError) as refused:
        attempt(case, cast)

    assert (
        "does not cover Mwangaza Rescue Network" in refused.value.message_dict["to_organisation"][0]
    )
    assert_nothing_sent(case)
    assert attempt(case, cast, to_organisation=third).to_organisation == third


def test_sections_beyond_the_consent_are_refused_naming_what_it_covers(
    cast, make_case, give_consent
):
    case = make_case()
    give_consent(case, sections=["basic", "contact"])

    with pytest.raises(ValidationError) as refused:
        attempt(case, cast, sections=["basic", "narrative"])

    message = refused.value.message_dict["sections"][0]
    assert "covers only" in message and "Contact" in message
    assert_nothing_sent(case)


def test_a_withdrawn_consent_covers_no_new_referral(cast, make_case, give_consent):
    case = make_case()
    consent = give_consent(case)
    withdraw_consent(consent, by=cast.caseworker)

    with pytest.raises(ValidationError):
        attempt(case, cast)

    assert_nothing_sent(case)


def test_a_supervisor_override_with_a_reason_covers_a_referral(cast, make_case):
    case = make_case()
    consent = record_consent_override(
        case,
        by=cast.supervisor,
        reason="A 15-year-old alone at the bus station at night; her parents cannot be reached.",
        sections=["basic", "contact"],
        organisations=[cast.partner],
    )

    referral = attempt(case, cast, sections=["basic", "contact"])

    assert referral.consent == consent
    assert consent.is_override and consent.given_by == ""
    event = case.events.get(kind=CaseEvent.Kind.CONSENT_RECORDED)
    assert event.data["override"] is True
    # The reason is on the consent (encrypted), never on the timeline.
    assert "bus station" not in str(event.data)


def test_only_a_supervisor_overrides_and_always_with_a_reason(cast, make_case):
    case = make_case()

    with pytest.raises(ValidationError) as by_caseworker:
        record_consent_override(
            case, by=cast.caseworker, reason="Urgent", sections=["basic"], any_organisation=True
        )
    with pytest.raises(ValidationError) as without_reason:
        record_consent_override(
            case, by=cast.supervisor, reason="  ", sections=["basic"], any_organisation=True
        )

    assert "Only a supervisor" in by_caseworker.value.message_dict["__all__"][0]
    assert "override_reason" in without_reason.value.message_dict
    assert Consent.objects.count() == 0


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"given_by": ""}, "given_by"),
        ({"given_by": "parent", "given_by_details": ""}, "given_by_details"),
        ({"given_on": None}, "given_on"),
        ({"given_on": timezone.localdate() + datetime.timedelta(days=1)}, "given_on"),
        ({"sections": []}, "sections"),
        ({"sections": ["contact"]}, "sections"),
        ({"sections": ["basic", "diary"]}, "sections"),
        ({"any_organisation": False}, "organisations"),
    ],
)
def test_bad_consent_is_refused_on_its_field(cast, make_case, values, field):
    case = make_case()
    given = {
        "given_by": "survivor",
        "given_on": timezone.localdate(),
        "sections": ["basic"],
        "any_organisation": True,
    } | values

    with pytest.raises(ValidationError) as refused:
        record_consent(case, by=cast.caseworker, **given)

    assert field in refused.value.message_dict
    assert Consent.objects.count() == 0
    assert not case.events.filter(kind=CaseEvent.Kind.CONSENT_RECORDED).exists()


def test_a_parents_consent_says_who_gave_it(cast, make_case):
    case = make_case(given_name="Imani", family_name="Odhiambo")

    consent = record_consent(
        case,
        by=cast.caseworker,
        given_by="parent",
        given_by_details="Her mother, who came to the office",
        given_on=timezone.localdate(),
        sections=["basic", "shelter_needs"],
        organisations=[cast.partner],
    )

    consent.refresh_from_db()
    assert consent.given_by_details == "Her mother, who came to the office"
    assert consent.covers({cast.partner.pk}, ["basic"])
    assert not consent.covers({cast.ngo.pk}, ["basic"])
