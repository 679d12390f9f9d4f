from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from okoa.cases.models import Case
from okoa.operations.models import ManifestEntry
from okoa.operations.tests.conftest import as_csv, thirty_one_people
from okoa.people.models import Person


def test_a_file_with_errors_saves_nothing_and_reports_each_row(cast, operation):
    rows = thirty_one_people()
    rows[2][0] = ""  # row 4: no given name
    rows[5][4] = "Atlantis"  # row 7: unknown nationality
    rows[9][9] = "teleported"  # row 11: unknown status
    client = Client()
    client.force_login(cast.caseworker)
    upload = SimpleUploadedFile("manifest.csv", as_csv(rows), "text/csv")

    response = client.post(f"/operations/{operation.code}/import/", {"file": upload})

    assert response.status_code == 400
    report = response.context["report"]
    assert {(error.row, error.field) for error in report.errors} == {
        (4, "given_name"),
        (7, "nationality"),
        (11, "status"),
    }
    assert report.saved == 0
    assert ManifestEntry.objects.count() == 0
    assert Case.objects.count() == 0
    assert Person.objects.count() == 0
