"""The 290 constituencies ship as sub-counties, each in its county."""

import pytest

from okoa.reference.models import County, SubCounty

pytestmark = pytest.mark.django_db


def test_there_are_290_sub_counties_numbered_1_to_290():
    assert sorted(SubCounty.objects.values_list("code", flat=True)) == list(range(1, 291))


def test_every_county_has_sub_counties():
    assert not County.objects.filter(sub_counties__isnull=True).exists()


def test_sub_counties_sit_in_their_own_county():
    changamwe = SubCounty.objects.select_related("county").get(name="Changamwe")
    mathare = SubCounty.objects.select_related("county").get(name="Mathare")
    assert changamwe.county.code == 1
    assert mathare.county.name == "Nairobi"
    assert SubCounty.objects.filter(county__code=47).count() == 17
