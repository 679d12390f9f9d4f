"""The demo's shelters: the main NGO's two safe houses with residents, free beds and a stay that
has ended, all made through the real actions."""

from okoa.cases.models import CaseEvent
from okoa.demo import data
from okoa.shelters.access import occupancy_of
from okoa.shelters.models import Shelter, ShelterStay


def test_the_main_ngo_has_two_shelters_with_residents(demo_output):
    shelters = {
        shelter.name: shelter
        for shelter in Shelter.objects.filter(
            organisation__reference_prefix=data.MAIN_NGO.reference_prefix
        )
    }

    assert sorted(shelters) == [
        "Chemichemi Transit House (demo)",
        "Chemichemi Women's Safe House (demo)",
    ]
    womens = occupancy_of(shelters["Chemichemi Women's Safe House (demo)"])
    transit = occupancy_of(shelters["Chemichemi Transit House (demo)"])
    assert (womens.occupied, womens.free) == (3, 9)
    assert (transit.occupied, transit.free) == (3, 3)  # a survivor with his sister, and one more
    assert ShelterStay.objects.exclude(person__parent=None).open().count() == 1
    ended = ShelterStay.objects.get(checked_out_at__isnull=False)
    assert ended.check_out_reason == "reintegrated"
    assert CaseEvent.objects.filter(kind=CaseEvent.Kind.SHELTER_CHECK_IN).count() == 6
    assert CaseEvent.objects.filter(kind=CaseEvent.Kind.SHELTER_CHECK_OUT).count() == 1
