"""Erasing a survivor who went through care, a shelter, a rescue operation and a referral leaves
nothing of what was written about her anywhere in the database: no plaintext, and none of the
old ciphertexts. Counts, statuses, dates and categories stay, so statistics still work; the
organisation she was referred to no longer sees the shared details; an edit page opened before
the erasure cannot write the old words back."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from okoa.accounts.models import Membership
from okoa.audit.models import ChangeRecord
from okoa.care.actions import (
    StaleEdit,
    add_care_goal,
    add_care_service,
    add_hearing,
    approve_grant,
    record_business_check,
    record_disbursement,
    record_follow_up_visit,
    record_needs_assessment,
    start_reintegration,
    submit_business_plan,
    update_care_goal,
    update_legal_process,
)
from okoa.care.models import (
    BusinessCheck,
    BusinessPlan,
    CareGoal,
    CareService,
    Disbursement,
    FollowUpVisit,
    LegalProcess,
    NeedsAssessment,
)
from okoa.cases.actions import open_case
from okoa.cases.models import Case, CaseEvent
from okoa.operations.actions import add_case_to_manifest, change_manifest_status, create_operation
from okoa.operations.models import ManifestEntry, ManifestEvent
from okoa.people.actions import create_person
from okoa.people.models import Person
from okoa.referrals.actions import accept_referral, record_consent, send_referral
from okoa.referrals.models import Consent, Referral
from okoa.referrals.statistics import Period, Scope, referral_statistics
from okoa.retention.actions import approve_erasure, request_erasure
from okoa.retention.tests.conftest import all_rows_as_text
from okoa.retention.tests.test_every_encrypted_field_is_wiped_or_kept_on_purpose import (
    KEPT_ON_PURPOSE,
)
from okoa.shelters.access import occupancy_by_day
from okoa.shelters.actions import check_in, check_out, create_shelter
from okoa.shelters.models import Shelter, ShelterStay
from okoa.vault.rotation import encrypted_columns

# Everything written about the invented survivor, her child and her family; none may survive.
SECRETS = [
    "Chepkoech",
    "Jeruto",
    "Kiprop",
    "Cherono",
    "Kiptoo",
    "722464646",
    "0722 464 646",
    "AK5550101",
    "agent called Barasa",
    "Barasa",
    "Kapsabet",
    "uncle asks about the debt",
    "41/07/2026",
    "CR 2291",
    "Stall 14",
    "QK71ZX94LP",
    "nowhere else tonight",
    "tea estate",
    "agent's flat",
    "by phone",
    "counselling near Eldoret",
]
SECTIONS = [
    "basic",
    "contact",
    "identity_documents",
    "narrative",
    "needs",
    "care_plan",
    "legal",
    "shelter_needs",
]


@dataclass
class Journey:
    case: Case
    person: Person
    child: Person
    shelter: Shelter
    referral: Referral
    goal: CareGoal


@pytest.fixture
def journey(cast, places) -> Journey:
    """An invented survivor and her child, through every app, by the real actions."""
    today = timezone.localdate()
    person = create_person(
        cast.ngo,
        by=cast.caseworker,
        given_name="Chepkoech",
        family_name="Jeruto",
        sex="female",
        date_of_birth=datetime.date(1997, 3, 9),
        phone_numbers=["0722 464 646"],
        passport_number="AK5550101",
        county_of_origin=places.nairobi,
    )
    child = create_person(
        cast.ngo,
        by=cast.caseworker,
        given_name="Kiprop",
        family_name="Jeruto",
        sex="male",
        estimated_age=6,
        parent=person,
        relationship_to_parent="child",
    )
    case = open_case(
        person, by=cast.caseworker, narrative="Kept in a flat by an agent called Barasa."
    )
    # Care: assessment, plan, services, follow-up, legal process, business and grant.
    record_needs_assessment(
        case,
        by=cast.caseworker,
        assessed_on=today,
        levels={"safety": "urgent", "shelter": "urgent", "medical": "some"},
        notes="Nightmares about Barasa.",
    )
    goal = add_care_goal(
        case,
        by=cast.caseworker,
        area="family",
        description="Live with her aunt Cherono in Kapsabet.",
        target_on=today + datetime.timedelta(days=90),
    )
    add_care_service(
        case, by=cast.caseworker, beneficiary=person, kind="counselling", planned_count=12
    )
    add_care_service(case, by=cast.caseworker, beneficiary=child, kind="school")
    visit = start_reintegration(case, started_on=today, by=cast.caseworker)[0]
    record_follow_up_visit(
        visit,
        by=cast.caseworker,
        visited_on=today,
        contact_mode="phone",
        wellbeing="fair",
        goal_progress="some",
        risk_factors=["debt"],
        notes="Her uncle asks about the debt; Kiptoo was there.",
    )
    update_legal_process(
        case,
        by=cast.caseworker,
        ob_number="OB 41/07/2026",
        police_station="Kilimani",
        reported_on=today,
        court_case_number="CR 2291 of 2026",
        court="Milimani",
        stage="trial",
        survivor_role="complainant",
    )
    add_hearing(case, held_on=today, by=cast.caseworker)
    plan = submit_business_plan(
        case,
        business_type="Tailoring",
        location="Stall 14, Kongowea market",
        budget=Decimal("45000"),
        by=cast.caseworker,
    )
    approve_grant(plan, by=cast.supervisor)
    record_disbursement(
        plan,
        amount=Decimal("20000"),
        paid_on=today,
        channel="mpesa",
        reference="QK71ZX94LP",
        by=cast.caseworker,
    )
    record_business_check(plan, month=3, checked_on=today, state="trading", by=cast.caseworker)
    # A shelter stay with her child, over capacity, then a check-out with a note.
    shelter = create_shelter(
        cast.ngo,
        by=cast.supervisor,
        name="Nyumba ya Amani",
        county=places.mombasa,
        capacity=1,
        takes_families=True,
        address="Plot 7, behind the mosque",
    )
    stays = check_in(
        case,
        shelter=shelter,
        people=[person, child],
        by=cast.supervisor,
        over_capacity_reason="Mother and Kiprop had nowhere else tonight.",
    )
    check_out(stays[0], by=cast.caseworker, reason="reintegrated", note="To the tea estate.")
    # A rescue operation, with a correction of her status and its reason.
    operation = create_operation(cast.ngo, by=cast.supervisor, name="Gulf return, March")
    entry = add_case_to_manifest(operation, case=case, by=cast.caseworker)
    entry = change_manifest_status(entry, to="rescued", by=cast.caseworker)
    change_manifest_status(
        entry, to="located", by=cast.caseworker, reason="Still at the agent's flat."
    )
    # A consented referral to the partner organisation, accepted there (still open).
    record_consent(
        case,
        by=cast.caseworker,
        given_by="other",
        given_by_details="Her aunt, by phone",
        given_on=today,
        sections=SECTIONS,
        organisations=[cast.partner],
    )
    referral = send_referral(
        case,
        to_organisation=cast.partner,
        by=cast.caseworker,
        reason_note="She needs counselling near Eldoret.",
        service_kind="psychosocial",
        sections=SECTIONS,
    )
    accept_referral(referral, by=cast.partner_caseworker)
    return Journey(case, person, child, shelter, referral, goal)


def erase_with_child(cast, person: Person) -> None:
    erasure_request = request_erasure(
        person, reason="She asked us to forget her.", include_dependants=True, by=cast.caseworker
    )
    approve_erasure(erasure_request, by=cast.supervisor)


def personal_ciphertexts() -> set[str]:
    """Every non-empty sealed value of a field that is not kept on purpose, as stored."""
    values: set[str] = set()
    tables = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        for model, fields in encrypted_columns():
            if model in KEPT_ON_PURPOSE or model._meta.db_table not in tables:
                continue
            table = connection.ops.quote_name(model._meta.db_table)
            for field in fields:
                column = connection.ops.quote_name(field.column or field.name)
                cursor.execute(f"SELECT {column} FROM {table}")
                values.update(value for (value,) in cursor.fetchall() if value)
    return values


def test_the_numbers_and_reasons_are_sealed_before_the_erasure(journey):
    text = all_rows_as_text()
    # Sealed even before the erasure: the legal numbers, the business's location, the payment
    # reference and the manifest's correction reason are encrypted fields.
    for secret in ("41/07/2026", "CR 2291", "Stall 14", "QK71ZX94LP", "agent's flat"):
        assert secret not in text, secret
    # Sealed: a goal, a visit, a stay's note, the consent's words, the referral's snapshot...
    assert len(personal_ciphertexts()) >= 20


def test_no_row_keeps_an_old_ciphertext(cast, journey):
    before = personal_ciphertexts()

    erase_with_child(cast, journey.person)

    text = all_rows_as_text()
    assert [value for value in before if value in text] == []


def test_no_row_keeps_a_plaintext(cast, journey):
    erase_with_child(cast, journey.person)

    text = all_rows_as_text().lower()
    for secret in SECRETS:
        assert secret.lower() not in text, secret


def test_counts_statuses_dates_and_categories_stay(cast, journey):
    today = timezone.localdate()
    erase_with_child(cast, journey.person)

    case = journey.case
    assessment = NeedsAssessment.objects.get(case=case)
    assert (assessment.safety, assessment.medical, assessment.notes) == ("urgent", "some", "")
    goal = CareGoal.objects.get(pk=journey.goal.pk)
    assert (goal.area, goal.status, goal.description) == ("family", "open", "")
    services = CareService.objects.filter(plan__case=case).order_by("id")
    assert [(s.kind, s.planned_count, s.beneficiary_id) for s in services] == [
        ("counselling", 12, journey.person.pk),
        ("school", None, journey.child.pk),
    ]
    visit = FollowUpVisit.objects.get(case=case, visited_on__isnull=False)
    assert (visit.wellbeing, visit.risk_level, visit.risk_factors, visit.notes) == (
        "fair",
        "low",
        ["debt"],
        "",
    )
    legal = LegalProcess.objects.get(case=case)
    assert (legal.stage, legal.police_station, legal.court, legal.survivor_role) == (
        "trial",
        "Kilimani",
        "Milimani",
        "complainant",
    )
    assert (legal.ob_number, legal.court_case_number, legal.hearings.count()) == ("", "", 1)
    plan = BusinessPlan.objects.get(case=case)
    assert (plan.business_type, plan.budget, plan.status, plan.location) == (
        "Tailoring",
        Decimal("45000"),
        "approved",
        "",
    )
    payment = Disbursement.objects.get(plan=plan)
    assert (payment.amount, payment.channel, payment.paid_on, payment.reference) == (
        Decimal("20000"),
        "mpesa",
        today,
        "",
    )
    assert BusinessCheck.objects.get(plan=plan).state == "trading"
    stays = ShelterStay.objects.filter(case=case)
    assert stays.count() == 2
    assert {(s.check_out_reason, s.over_capacity_reason, s.check_out_note) for s in stays} == {
        ("reintegrated", "", "")
    }
    assert occupancy_by_day(journey.shelter, today, today) == [(today, 0)]
    check_out_event = CaseEvent.objects.get(case=case, kind=CaseEvent.Kind.SHELTER_CHECK_OUT)
    assert check_out_event.data["reason"] == "reintegrated"  # a category, not somebody's words
    entry = ManifestEntry.objects.get(case=case)
    assert entry.status == "located"
    assert list(ManifestEvent.objects.filter(entry=entry).values_list("reason", flat=True)) == [
        "",
        "",
        "",
    ]
    referral = Referral.objects.get(pk=journey.referral.pk)
    assert (referral.status, referral.service_kind, referral.sections) == (
        "accepted",
        "psychosocial",
        sorted(SECTIONS),
    )
    assert (referral.shared, referral.reason_note) == ({}, "")
    consent = Consent.objects.get(case=case)
    assert (consent.given_by, consent.sections, consent.given_by_details) == (
        "other",
        sorted(SECTIONS),
        "",
    )
    membership = Membership.objects.get(user=cast.analyst, organisation=cast.ngo)
    figures = referral_statistics(membership, Scope.SENT, Period.default()).overall
    assert (figures.total, figures.statuses["accepted"]) == (1, 1)


def test_the_change_records_name_what_went_never_the_values(cast, journey):
    erase_with_child(cast, journey.person)

    record = ChangeRecord.objects.get(
        record_kind="case", record_code=journey.case.code, action="erased"
    )
    assert set(record.fields) >= {
        "narrative",
        "needs_assessments.notes",
        "care_goals.description",
        "follow_up_visits.notes",
        "legal_process.ob_number",
        "legal_process.court_case_number",
        "business_plan.location",
        "disbursements.reference",
        "shelter_stays.over_capacity_reason",
        "shelter_stays.check_out_note",
        "manifest_events.reason",
        "referrals",
    }
    erased = set(
        ChangeRecord.objects.filter(action="erased").values_list("record_kind", "record_code")
    )
    assert {
        ("care_goal", journey.goal.code),
        ("legal_process", journey.case.code),
        ("referral", journey.referral.code),
    } <= erased


def test_the_receiving_organisation_no_longer_sees_the_shared_details(client, cast, journey):
    client.force_login(cast.partner_caseworker)
    before = client.get(f"/referrals/{journey.referral.code}/")
    assert "Chepkoech" in before.content.decode()

    erase_with_child(cast, journey.person)

    response = client.get(f"/referrals/{journey.referral.code}/")
    assert response.status_code == 200
    assert response.context["sections"] == []
    page = response.content.decode()
    for secret in ("Chepkoech", "Jeruto", "0722 464 646", "AK5550101", "Eldoret", "Barasa"):
        assert secret not in page, secret


def test_the_care_pages_still_open_and_show_none_of_it(client, cast, journey):
    erase_with_child(cast, journey.person)
    client.force_login(cast.caseworker)

    code = journey.case.code
    for path in (
        f"/cases/{code}/",
        f"/cases/{code}/care/",
        f"/cases/{code}/care/assessments/",
        f"/cases/{code}/follow-ups/",
        f"/cases/{code}/legal/",
        f"/cases/{code}/livelihood/",
        f"/shelters/{journey.shelter.code}/",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        page = response.content.decode()
        assert not [secret for secret in SECRETS if secret in page], path


def test_a_goal_page_opened_before_the_erasure_cannot_write_the_words_back(cast, journey):
    opened_at_version = journey.goal.version

    erase_with_child(cast, journey.person)

    with pytest.raises(StaleEdit, match="description"):
        update_care_goal(
            journey.goal,
            by=cast.caseworker,
            expected_version=opened_at_version,
            description="Live with her aunt Cherono in Kapsabet.",
        )
    assert CareGoal.objects.get(pk=journey.goal.pk).description == ""


def test_without_the_box_the_child_keeps_his_identity_but_not_the_stay_notes(cast, journey, erase):
    erase(journey.person)  # the dependants are not included

    child = Person.objects.get(pk=journey.child.pk)
    assert (child.given_name, child.erased_at) == ("Kiprop", None)
    child_stay = ShelterStay.objects.get(person=child)
    # The stay is under his mother's case: its notes are part of her file and name her too.
    assert (child_stay.over_capacity_reason, child_stay.check_out_note) == ("", "")
    assert child_stay.check_out_reason == "reintegrated"


def test_erasing_the_child_alone_empties_his_stay_under_his_mothers_case(cast, journey):
    erasure_request = request_erasure(
        journey.child, reason="His guardian asked us to.", by=cast.caseworker
    )
    approve_erasure(erasure_request, by=cast.supervisor)

    child_stay = ShelterStay.objects.get(person=journey.child)
    assert (child_stay.over_capacity_reason, child_stay.check_out_note) == ("", "")
    mother_stay = ShelterStay.objects.get(person=journey.person)
    assert mother_stay.check_out_note == "To the tea estate."
    assert Person.objects.get(pk=journey.person.pk).given_name == "Chepkoech"
    record = ChangeRecord.objects.get(
        record_kind="shelter_stay", record_code=child_stay.code, action="erased"
    )
    assert (record.action, record.fields) == (
        "erased",
        ["check_out_note", "over_capacity_reason"],
    )
