"""All ISO 3166-1 countries ship, with alpha-3 codes and Kiswahili names for the region."""

import pytest

from okoa.reference.models import Country

pytestmark = pytest.mark.django_db


def test_all_249_iso_countries_ship():
    assert Country.objects.count() == 249


@pytest.mark.parametrize(
    ("code", "alpha3", "name"),
    [("KE", "KEN", "Kenya"), ("UG", "UGA", "Uganda"), ("BI", "BDI", "Burundi")],
)
def test_east_african_countries_have_their_alpha3_code(code, alpha3, name):
    country = Country.objects.get(code=code)
    assert (country.alpha3, country.name) == (alpha3, name)


def test_destination_countries_have_kiswahili_names():
    countries = Country.objects.filter(code__in=["AE", "US", "GB", "CN"])
    names = dict(countries.values_list("code", "name_sw"))
    assert names == {
        "AE": "Falme za Kiarabu",
        "US": "Marekani",
        "GB": "Uingereza",
        "CN": "Uchina",
    }
