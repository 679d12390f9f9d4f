import pytest
from django.core import checks

from okoa.lib import crypto
from okoa.people.actions import create_person
from okoa.people.models import Person
from okoa.vault.checks import check_keys_match_database
from okoa.vault.keys import KeyMismatch, verify_key_ring

FIRST = crypto.new_key_text()
INDEX = crypto.new_key_text()


@pytest.fixture
def written_with_first_key(cast, swap_keys):
    swap_keys(encryption=f"k1:{FIRST}", index=INDEX)
    create_person(cast.ngo, by=cast.caseworker, given_name="Nyokabi", family_name="Gitau")


def test_a_different_key_under_the_same_id_is_refused(written_with_first_key, swap_keys):
    swap_keys(encryption=f"k1:{crypto.new_key_text()}", index=INDEX)
    with pytest.raises(KeyMismatch, match="not the key this database was written with"):
        verify_key_ring()


def test_a_missing_key_is_refused(written_with_first_key, swap_keys):
    swap_keys(encryption=f"k2:{crypto.new_key_text()}", index=INDEX)
    with pytest.raises(KeyMismatch, match="'k1', which is not in OKOA_ENCRYPTION_KEYS"):
        verify_key_ring()


def test_a_wrong_blind_index_key_is_refused(written_with_first_key, swap_keys):
    swap_keys(encryption=f"k1:{FIRST}", index=crypto.new_key_text())
    with pytest.raises(KeyMismatch, match="OKOA_BLIND_INDEX_KEY"):
        verify_key_ring()


def test_the_system_check_reports_a_wrong_key_as_critical(written_with_first_key, swap_keys):
    swap_keys(encryption=f"k1:{crypto.new_key_text()}", index=INDEX)
    messages = check_keys_match_database(databases=["default"])
    assert [message.id for message in messages] == ["okoa.E002"]
    assert messages[0].level == checks.CRITICAL


def test_nothing_is_written_with_a_wrong_key(written_with_first_key, swap_keys, cast):
    swap_keys(encryption=f"k1:{crypto.new_key_text()}", index=INDEX)
    before = Person.objects.count()
    with pytest.raises(KeyMismatch):
        create_person(cast.ngo, by=cast.caseworker, given_name="Auma", family_name="Ouma")
    assert Person.objects.count() == before


def test_the_right_key_second_in_the_ring_still_reads(written_with_first_key, swap_keys):
    swap_keys(encryption=f"k2:{crypto.new_key_text()},k1:{FIRST}", index=INDEX)
    verify_key_ring()
    assert Person.objects.get().given_name == "Nyokabi"
