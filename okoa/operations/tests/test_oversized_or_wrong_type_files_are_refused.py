import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from okoa.operations.models import ManifestEntry
from okoa.operations.tests.conftest import as_csv, thirty_one_people


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("manifest.pdf", b"%PDF-1.4 not a manifest"),
        ("manifest.xlsx", b"not really an Excel file"),
        ("manifest.csv", b"given_name\n" + b"x" * (2 * 1024 * 1024)),
        ("manifest.csv", as_csv([thirty_one_people()[0]] * 2001)),
        ("manifest.csv", b"given_name\n" + b"x" * (3 * 1024 * 1024)),
    ],
    ids=["pdf", "fake-xlsx", "over-2-mb", "over-2000-rows", "far-over-2-mb"],
)
def test_oversized_or_wrong_type_files_are_refused(cast, operation, name, content):
    client = Client()
    client.force_login(cast.caseworker)
    upload = SimpleUploadedFile(name, content)

    response = client.post(f"/operations/{operation.code}/import/", {"file": upload})

    assert response.status_code == 400
    form = response.context["form"]
    assert response.context.get("refusal") or form.errors["file"]
    assert ManifestEntry.objects.count() == 0
