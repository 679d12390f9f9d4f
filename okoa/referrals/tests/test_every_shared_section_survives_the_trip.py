"""Every section a referral can share arrives whole on another installation: what
``take_snapshot`` writes is exactly what the receiving installation's check keeps, and what it
does not know how to show is dropped."""

from __future__ import annotations

import datetime
import json

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from okoa.care.actions import (
    add_care_goal,
    add_care_service,
    add_hearing,
    record_needs_assessment,
    update_legal_process,
)
from okoa.cases.actions import update_case
from okoa.people.actions import create_person
from okoa.referrals.models import Section
from okoa.referrals.remote import check_snapshot, parse_sent, sent_body
from okoa.referrals.snapshot import take_snapshot
from okoa.screening.actions import record_screening


@pytest.fixture
def full_case(cast, make_case, places):
    """A case with something recorded in every section."""
    today = timezone.localdate()
    case = make_case(
        given_name="Nafula",
        family_name="Barasa",
        county=places.mombasa,
        phone_numbers=["0700 000 145"],
        languages=["sw", "en"],
        passport_number="DEMO-4455",
        date_of_birth=datetime.date(1999, 4, 2),
        exploitation_types=(places.forced_labour,),
    )
    update_case(
        case,
        by=cast.caseworker,
        narrative="Recruited for hotel work abroad; her passport was taken on arrival.",
        identified_on=today,
    )
    create_person(
        cast.ngo,
        by=cast.caseworker,
        given_name="Imani",
        sex="female",
        parent=case.person,
        relationship_to_parent="child",
        estimated_age=4,
    )
    record_screening(case, answers={}, by=cast.caseworker)
    record_needs_assessment(
        case,
        by=cast.caseworker,
        assessed_on=today,
        levels={"safety": "urgent", "shelter": "some", "medical": "none"},
    )
    add_care_goal(
        case,
        by=cast.caseworker,
        area="safety",
        description="A safe place to stay",
        target_on=today + datetime.timedelta(days=30),
    )
    add_care_service(case, by=cast.caseworker, beneficiary=case.person, kind="counselling")
    update_legal_process(
        case,
        by=cast.caseworker,
        ob_number="OB/DEMO/12",
        police_station="Demo Central",
        reported_on=today,
    )
    add_hearing(case, held_on=today, by=cast.caseworker)
    return case


def test_a_snapshot_of_every_section_is_kept_whole_by_the_receiver(full_case):
    sections = sorted(Section.values)
    snapshot = json.loads(json.dumps(take_snapshot(full_case, sections)))
    for name in sections:
        assert snapshot[name], f"the test case has nothing in {name}"

    assert check_snapshot(snapshot, sections) == snapshot


def test_a_sent_body_parses_back_into_the_same_referral(cast, full_case, refer, places):
    referral = refer(full_case, sections=["basic", "contact", "needs", "shelter_needs"])

    received = parse_sent(json.loads(json.dumps(sent_body(referral))))

    assert received.sender_code == referral.code
    assert received.sections == referral.sections
    assert received.shared == referral.shared
    assert received.reason_note == referral.reason_note
    assert received.sent_at == referral.sent_at.replace(microsecond=0)
    assert (received.urgency, received.service_kind) == (referral.urgency, referral.service_kind)


def test_fields_and_sections_the_receiver_does_not_know_are_dropped():
    shared = {
        "version": 1,
        "basic": {"given_name": "Auma", "favourite_colour": "blue"},
        "narrative": {"narrative": "not a shared section"},
    }

    assert check_snapshot(shared, ["basic"]) == {"version": 1, "basic": {"given_name": "Auma"}}


@pytest.mark.parametrize(
    "basic",
    [
        {"age": "twenty"},
        {"age": True},
        {"age": 400},
        {"given_name": ["Auma"]},
        {"age_is_estimated": "yes"},
        {"given_name": "x" * 100_001},
        "Auma",
    ],
)
def test_a_field_of_the_wrong_type_refuses_the_snapshot(basic):
    with pytest.raises(ValidationError) as refused:
        check_snapshot({"basic": basic}, ["basic"])

    assert set(refused.value.message_dict) == {"shared"}
