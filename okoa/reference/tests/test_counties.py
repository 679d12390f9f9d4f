"""The 47 counties ship with their official codes."""

import pytest

from okoa.reference.models import County

pytestmark = pytest.mark.django_db


def test_there_are_47_counties_numbered_1_to_47():
    assert sorted(County.objects.values_list("code", flat=True)) == list(range(1, 48))


def test_county_1_is_mombasa_and_county_47_is_nairobi():
    assert County.objects.get(code=1).name == "Mombasa"
    assert County.objects.get(code=47).name == "Nairobi"
