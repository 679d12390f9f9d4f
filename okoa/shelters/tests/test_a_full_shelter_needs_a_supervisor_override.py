"""Check-in is refused when the shelter is full, unless a supervisor checks in over capacity
giving the reason, which is kept with each stay."""

import pytest
from django.core.exceptions import ValidationError

from okoa.cases.models import CaseEvent
from okoa.shelters.access import occupancy_of
from okoa.shelters.actions import check_in
from okoa.shelters.models import ShelterStay


@pytest.fixture
def full_shelter(cast, make_case, make_shelter):
    shelter = make_shelter(capacity=1)
    case = make_case(given_name="Akinyi")
    check_in(case, shelter=shelter, people=[case.person], by=cast.caseworker)
    return shelter


def test_a_caseworker_cannot_check_in_to_a_full_shelter(cast, make_case, full_shelter):
    case = make_case(given_name="Wanjiru")

    with pytest.raises(ValidationError) as raised:
        check_in(case, shelter=full_shelter, people=[case.person], by=cast.caseworker)
    assert "This shelter is full: 1 of 1 beds are taken" in raised.value.message_dict["shelter"][0]

    with pytest.raises(ValidationError) as raised:
        check_in(
            case,
            shelter=full_shelter,
            people=[case.person],
            by=cast.caseworker,
            over_capacity_reason="Nowhere else tonight",
        )
    assert raised.value.message_dict["over_capacity_reason"] == [
        "Only a supervisor can check people in over capacity."
    ]
    assert ShelterStay.objects.filter(case=case).count() == 0


def test_a_supervisor_checks_in_over_capacity_with_a_reason(cast, make_case, full_shelter):
    case = make_case(given_name="Wanjiru")

    stay = check_in(
        case,
        shelter=full_shelter,
        people=[case.person],
        by=cast.supervisor,
        over_capacity_reason="Rescued at night; transfer tomorrow",
    )[0]

    assert stay.over_capacity_by == cast.supervisor
    assert stay.over_capacity_reason == "Rescued at night; transfer tomorrow"
    counted = occupancy_of(full_shelter)
    assert (counted.occupied, counted.free, counted.over) == (2, 0, 1)
    event = CaseEvent.objects.get(case=case, kind=CaseEvent.Kind.SHELTER_CHECK_IN)
    assert event.data["over_capacity"] is True
    assert "Rescued" not in str(event.data)


def test_a_supervisor_still_needs_a_reason(cast, make_case, full_shelter):
    case = make_case(given_name="Wanjiru")

    with pytest.raises(ValidationError) as raised:
        check_in(case, shelter=full_shelter, people=[case.person], by=cast.supervisor)

    assert "full" in raised.value.message_dict["shelter"][0]


def test_a_reason_given_while_beds_are_free_is_not_kept(cast, make_case, make_shelter):
    case = make_case()
    stay = check_in(
        case,
        shelter=make_shelter(capacity=2),
        people=[case.person],
        by=cast.supervisor,
        over_capacity_reason="Just in case",
    )[0]

    assert stay.over_capacity_by is None and stay.over_capacity_reason == ""
