from django.test import Client

from okoa.operations.access import manifest_counts
from okoa.operations.actions import change_manifest_status, import_manifest
from okoa.operations.manifest import parse_manifest
from okoa.operations.models import ManifestEntry
from okoa.operations.tests.conftest import as_csv, thirty_one_people


def test_manifest_is_counted_by_sex_nationality_and_status_in_three_queries(
    cast, operation, django_assert_num_queries
):
    rows = parse_manifest("manifest.csv", as_csv(thirty_one_people()))
    import_manifest(operation, rows=rows, by=cast.caseworker)
    for entry in ManifestEntry.objects.filter(operation=operation)[:4]:
        change_manifest_status(entry, to="rescued", by=cast.caseworker)

    with django_assert_num_queries(3):
        counts = manifest_counts(operation)

    assert sorted((str(label), count) for label, count in counts["sex"]) == [
        ("Female", 15),
        ("Male", 16),
    ]
    assert sorted(counts["nationality"]) == [("BI", 1), ("KE", 29), ("UG", 1)]
    assert [(str(label), count) for label, count in counts["status"]] == [
        ("Located", 27),
        ("Rescued", 4),
    ]


def test_analyst_sees_the_counts_but_no_names(cast, operation):
    rows = parse_manifest("manifest.csv", as_csv(thirty_one_people()))
    import_manifest(operation, rows=rows, by=cast.caseworker)
    client = Client()
    client.force_login(cast.analyst)

    page = client.get(f"/operations/{operation.code}/").content.decode()

    assert "29" in page and "Kiprono" not in page and "Wanjiru" not in page
