from django.test import Client

from okoa.audit.models import AccessRecord
from okoa.operations.actions import add_to_manifest


def test_operation_page_shows_names_and_records_a_read_of_each_case(cast, operation):
    entries = [
        add_to_manifest(operation, by=cast.caseworker, person={"given_name": name})
        for name in ("Wairimu", "Barasa")
    ]
    client = Client()
    client.force_login(cast.supervisor)

    page = client.get(f"/operations/{operation.code}/").content.decode()

    assert "Wairimu" in page and "Barasa" in page
    reads = AccessRecord.objects.filter(channel="page", record_kind="case", user=cast.supervisor)
    assert sorted(reads.values_list("record_code", flat=True)) == sorted(
        entry.case.code for entry in entries
    )
