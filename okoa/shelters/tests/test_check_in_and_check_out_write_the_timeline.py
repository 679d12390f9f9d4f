"""Checking in and out leaves timeline entries (shelter code and counts, never names) and change
records, and moves the beds taken."""

import datetime

from django.utils import timezone

from okoa.audit.models import ChangeRecord
from okoa.cases.models import CaseEvent
from okoa.shelters.access import occupancy_of
from okoa.shelters.actions import check_in, check_out
from okoa.shelters.models import ShelterStay


def test_check_in_then_check_out(cast, make_case, make_shelter, add_dependant):
    shelter = make_shelter(capacity=4, takes_families=True)
    case = make_case(given_name="Wanjiru", family_name="Kamau")
    child = add_dependant(case, given_name="Neema")
    arrived = timezone.now() - datetime.timedelta(days=20)
    leaving_on = timezone.localdate() + datetime.timedelta(days=30)

    stays = check_in(
        case,
        shelter=shelter,
        people=[child, case.person],
        by=cast.caseworker,
        checked_in_at=arrived,
        expected_check_out_on=leaving_on,
    )

    assert [stay.person for stay in stays] == [case.person, child]  # the survivor first
    assert all(stay.checked_in_at == arrived and stay.is_open for stay in stays)
    assert occupancy_of(shelter).occupied == 2 and occupancy_of(shelter).free == 2
    event = CaseEvent.objects.get(case=case, kind=CaseEvent.Kind.SHELTER_CHECK_IN)
    assert event.by == cast.caseworker
    assert event.data == {
        "shelter": shelter.code,
        "stays": [stay.code for stay in stays],
        "people": 2,
        "dependants": 1,
        "over_capacity": False,
    }
    records = ChangeRecord.objects.filter(record_kind="shelter_stay", action="checked_in")
    assert sorted(records.values_list("record_code", flat=True)) == sorted(s.code for s in stays)

    ended = check_out(stays[0], by=cast.caseworker, reason="reintegrated", note="Went home")

    assert {stay.pk for stay in ended} == {stay.pk for stay in stays}
    for stay in ShelterStay.objects.filter(case=case):
        assert (stay.check_out_reason, stay.checked_out_by) == ("reintegrated", cast.caseworker)
        assert stay.check_out_note == "Went home"
    assert occupancy_of(shelter).occupied == 0
    out = CaseEvent.objects.get(case=case, kind=CaseEvent.Kind.SHELTER_CHECK_OUT)
    assert out.data == {
        "shelter": shelter.code,
        "stays": [stay.code for stay in ended],
        "people": 2,
        "reason": "reintegrated",
    }
    timeline = str(list(CaseEvent.objects.filter(case=case).values_list("data", flat=True)))
    assert "Wanjiru" not in timeline and "Neema" not in timeline and "Went home" not in timeline
    assert (
        ChangeRecord.objects.filter(record_kind="shelter_stay", action="checked_out").count() == 2
    )


def test_a_dependant_may_stay_on_when_the_survivor_leaves(
    cast, make_case, make_shelter, add_dependant
):
    shelter = make_shelter(takes_families=True)
    case = make_case()
    child = add_dependant(case)
    survivor_stay, child_stay = check_in(
        case, shelter=shelter, people=[case.person, child], by=cast.caseworker
    )

    ended = check_out(survivor_stay, by=cast.caseworker, reason="hospital", with_dependants=False)

    assert ended == [survivor_stay]
    child_stay.refresh_from_db()
    assert child_stay.is_open
    assert occupancy_of(shelter).occupied == 1
