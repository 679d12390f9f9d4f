from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from okoa.operations.models import ManifestEntry
from okoa.operations.tests.conftest import as_csv, thirty_one_people


def test_ticking_import_only_the_valid_rows_imports_only_those(cast, operation):
    rows = thirty_one_people()
    rows[0][3] = "about thirty"  # row 2: age is not a number
    rows[1][5] = "12"  # row 3: not a phone number (refused by create_person)
    client = Client()
    client.force_login(cast.caseworker)
    upload = SimpleUploadedFile("manifest.csv", as_csv(rows), "text/csv")

    response = client.post(
        f"/operations/{operation.code}/import/", {"file": upload, "valid_rows_only": "on"}
    )

    report = response.context["report"]
    assert {(error.row, error.field) for error in report.errors} == {
        (2, "age"),
        (3, "phone_numbers"),
    }
    assert report.saved == 29
    assert ManifestEntry.objects.filter(operation=operation).count() == 29
