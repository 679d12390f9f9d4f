from django.test import Client

from okoa.audit.models import AccessRecord
from okoa.operations.actions import add_to_manifest


def test_printable_manifest_has_names_and_records_print_accesses_for_caseworkers(cast, operation):
    entries = [
        add_to_manifest(operation, by=cast.caseworker, person={"given_name": name})
        for name in ("Kerubo", "Ouma")
    ]
    client = Client()
    client.force_login(cast.caseworker)

    page = client.get(f"/operations/{operation.code}/print/").content.decode()

    assert "Kerubo" in page and "Ouma" in page
    printed = AccessRecord.objects.filter(channel="print", record_kind="case")
    assert sorted(printed.values_list("record_code", flat=True)) == sorted(
        entry.case.code for entry in entries
    )


def test_printable_manifest_has_no_names_for_analysts(cast, operation):
    entry = add_to_manifest(operation, by=cast.caseworker, person={"given_name": "Kerubo"})
    client = Client()
    client.force_login(cast.analyst)

    page = client.get(f"/operations/{operation.code}/print/").content.decode()

    assert entry.case.reference in page and "Kerubo" not in page
    assert not AccessRecord.objects.filter(channel="print").exists()
