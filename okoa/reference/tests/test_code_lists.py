"""Every shipped code list has items, and every item has a Kiswahili name."""

import pytest
from django.utils import translation

from okoa.reference.models import CodeList, CodeListItem

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("code_list", CodeList.values)
def test_every_code_list_has_active_items(code_list):
    assert CodeListItem.objects.filter(list=code_list, is_active=True).exists()


def test_every_item_has_a_kiswahili_name():
    assert not CodeListItem.objects.filter(name_sw="").exists()


def test_the_ilo_lists_its_eleven_indicators_in_order():
    codes = list(
        CodeListItem.objects.filter(list=CodeList.ILO_INDICATOR).values_list("code", flat=True)
    )
    assert len(codes) == 11
    assert codes[0] == "VulnerabilityAbuse"
    assert codes[-1] == "ExcessiveOvertime"


def test_items_are_labelled_in_the_active_language():
    item = CodeListItem.objects.get(list=CodeList.EXPLOITATION_TYPE, code="ForcedLabour")
    with translation.override("sw"):
        assert item.label == "Kazi ya kulazimishwa"
    with translation.override("en"):
        assert item.label == "Forced labour"
