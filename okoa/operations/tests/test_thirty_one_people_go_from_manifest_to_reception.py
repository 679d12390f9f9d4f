from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from okoa.cases.models import CaseEvent
from okoa.operations.actions import change_manifest_status
from okoa.operations.models import ManifestEntry
from okoa.operations.tests.conftest import as_csv, thirty_one_people

JOURNEY = ["rescued", "travel_documents", "in_transit", "arrived", "received"]


def test_thirty_one_people_go_from_an_uploaded_manifest_to_reception(cast, operation):
    client = Client()
    client.force_login(cast.caseworker)
    upload = SimpleUploadedFile("manifest.csv", as_csv(thirty_one_people()), "text/csv")

    response = client.post(f"/operations/{operation.code}/import/", {"file": upload})

    assert response.status_code == 302
    entries = list(ManifestEntry.objects.filter(operation=operation).select_related("case"))
    assert len(entries) == 31
    assert len({entry.case.person_id for entry in entries}) == 31
    for entry in entries:
        for status in JOURNEY:
            entry = change_manifest_status(entry, to=status, by=cast.caseworker)
    assert set(ManifestEntry.objects.values_list("status", flat=True)) == {"received"}
    for index, entry in enumerate(ManifestEntry.objects.filter(operation=operation)):
        change_manifest_status(
            entry, to="with_family" if index % 3 else "in_shelter", by=cast.caseworker
        )
    statuses = ManifestEntry.objects.filter(operation=operation).values_list("status", flat=True)
    assert sorted(set(statuses)) == ["in_shelter", "with_family"]
    # Every step is also on each person's own case timeline: the first status and 6 moves.
    events = CaseEvent.objects.filter(kind=CaseEvent.Kind.OPERATION_STATUS)
    assert events.count() == 31 * 7
