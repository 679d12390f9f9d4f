from okoa.operations.actions import import_manifest
from okoa.operations.manifest import parse_manifest
from okoa.operations.models import ManifestEntry
from okoa.operations.tests.conftest import as_csv, thirty_one_people


def test_csv_formula_cells_are_kept_as_text_and_never_evaluated(cast, operation):
    row = thirty_one_people()[0]
    row[1] = '=HYPERLINK("http://127.0.0.1/","x")'

    report = import_manifest(
        operation, rows=parse_manifest("manifest.csv", as_csv([row])), by=cast.caseworker
    )

    assert report.saved == 1
    entry = ManifestEntry.objects.select_related("case__person").get(operation=operation)
    assert entry.case.person.family_name == '=HYPERLINK("http://127.0.0.1/","x")'
