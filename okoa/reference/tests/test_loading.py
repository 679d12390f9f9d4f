"""Loading the reference data is idempotent and retires items without deleting them."""

import shutil
from io import StringIO

import pytest
from django.core.management import call_command

from okoa.reference.loading import DATA_DIR, load_reference_data
from okoa.reference.models import CodeListItem, Country, County, SubCounty

pytestmark = pytest.mark.django_db


def table_counts():
    return (
        Country.objects.count(),
        County.objects.count(),
        SubCounty.objects.count(),
        CodeListItem.objects.count(),
        CodeListItem.objects.filter(is_active=True).count(),
    )


def test_loading_twice_changes_nothing():
    before = table_counts()
    first = load_reference_data()
    second = load_reference_data()
    assert first == second
    assert table_counts() == before
    assert first["counties"] == 47
    assert first["sub_counties"] == 290
    assert first["code_list_items_deactivated"] == 0


def test_an_item_removed_from_the_csv_is_deactivated_not_deleted(tmp_path):
    shutil.copytree(DATA_DIR, tmp_path, dirs_exist_ok=True)
    code_lists = tmp_path / "code_lists.csv"
    lines = code_lists.read_text(encoding="utf-8").splitlines(keepends=True)
    kept = [line for line in lines if not line.startswith("palermo_means,TMAD,")]
    assert len(kept) == len(lines) - 1
    code_lists.write_text("".join(kept), encoding="utf-8")
    total = CodeListItem.objects.count()

    counts = load_reference_data(data_dir=tmp_path)

    abduction = CodeListItem.objects.get(list="palermo_means", code="TMAD")
    assert not abduction.is_active
    assert counts["code_list_items_deactivated"] == 1
    assert CodeListItem.objects.count() == total

    load_reference_data()
    abduction.refresh_from_db()
    assert abduction.is_active


def test_a_changed_name_is_updated_in_place(tmp_path):
    shutil.copytree(DATA_DIR, tmp_path, dirs_exist_ok=True)
    counties = tmp_path / "counties.csv"
    counties.write_text(
        counties.read_text(encoding="utf-8").replace("6,Taita-Taveta,", "6,Taita Taveta,"),
        encoding="utf-8",
    )
    county_id = County.objects.get(code=6).pk

    load_reference_data(data_dir=tmp_path)

    county = County.objects.get(code=6)
    assert (county.pk, county.name) == (county_id, "Taita Taveta")


def test_a_duplicate_code_is_refused(tmp_path):
    shutil.copytree(DATA_DIR, tmp_path, dirs_exist_ok=True)
    with (tmp_path / "counties.csv").open("a", encoding="utf-8") as file:
        file.write("1,Mombasa again,\n")
    with pytest.raises(ValueError, match="more than once"):
        load_reference_data(data_dir=tmp_path)


def test_the_command_prints_the_counts():
    out = StringIO()
    call_command("load_reference_data", stdout=out)
    assert "sub counties: 290" in out.getvalue()
