import io

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from okoa.operations.models import ManifestEntry
from okoa.operations.tests.conftest import HEADER, thirty_one_people


def test_an_excel_manifest_is_imported_and_formulas_stay_text(cast, operation):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(HEADER)
    rows = thirty_one_people()[:3]
    rows[0][1] = "=1+1"
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    client = Client()
    client.force_login(cast.caseworker)
    upload = SimpleUploadedFile("manifest.xlsx", buffer.getvalue())

    response = client.post(f"/operations/{operation.code}/import/", {"file": upload})

    assert response.status_code == 302
    entries = ManifestEntry.objects.filter(operation=operation).select_related("case__person")
    assert sorted(entry.case.person.family_name for entry in entries) == [
        "=1+1",
        "Kilonzo",
        "Oduya",
    ]
