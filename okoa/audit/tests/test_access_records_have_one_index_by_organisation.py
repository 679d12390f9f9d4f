"""A case list page writes 25 access records: each index on the table is one more write a row.

The organisation's own index duplicated the first column of (organisation, user, at).
"""

from django.db import connection

from okoa.audit.models import AccessRecord


def _indexes() -> dict[str, list[str]]:
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, AccessRecord._meta.db_table)
    return {
        name: details["columns"]
        for name, details in constraints.items()
        if details["index"] and not details["primary_key"]
    }


def test_look_ups_by_organisation_use_the_organisation_user_and_time_index(db):
    indexes = sorted(_indexes().values())
    assert ["organisation_id"] not in indexes
    assert ["organisation_id", "user_id", "at"] in indexes
    if connection.vendor == "sqlite":
        query = AccessRecord.objects.filter(organisation_id=1).order_by("-at")
        sql, params = query.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
            plan = " ".join(str(row[-1]) for row in cursor.fetchall())
        assert "audit_acces_organis" in plan, plan
