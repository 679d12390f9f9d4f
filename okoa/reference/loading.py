"""Load the reference data shipped in ``okoa/reference/data`` into the database.

The CSV files are the source of truth. Loading upserts every row by its code (by list and code for
code-list items) and is idempotent. Nothing is ever deleted, because people and cases point at
these rows: a code-list item that left its CSV file is marked inactive instead, and comes back to
life if it returns. The loader runs in a data migration for every new database (including every
test database), so it reads each file once and writes with bulk statements only.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import TypeVar

from django.apps import apps as global_apps
from django.apps.registry import Apps
from django.db import DEFAULT_DB_ALIAS, transaction
from django.db.models import Model

from okoa.reference.models import CodeList

_M = TypeVar("_M", bound=Model)

DATA_DIR = Path(__file__).resolve().parent / "data"

COUNTRIES_FILE = "countries.csv"
COUNTIES_FILE = "counties.csv"
SUB_COUNTIES_FILE = "sub_counties.csv"
CODE_LISTS_FILE = "code_lists.csv"


def load_reference_data(
    apps: Apps | None = None,
    *,
    data_dir: Path | None = None,
    using: str = DEFAULT_DB_ALIAS,
) -> dict[str, int]:
    """Upsert countries, counties, sub-counties and code-list items from the CSV files.

    ``apps`` is the historical app registry when called from a migration; without it the
    current models are used. ``data_dir`` replaces the shipped data folder (for tests).
    Return the number of rows loaded per kind, and how many code-list items were deactivated.
    """
    registry = apps or global_apps
    folder = data_dir or DATA_DIR
    country_model = registry.get_model("reference", "Country")
    county_model = registry.get_model("reference", "County")
    sub_county_model = registry.get_model("reference", "SubCounty")
    item_model = registry.get_model("reference", "CodeListItem")

    country_rows = _read(folder / COUNTRIES_FILE, key=("code",))
    county_rows = _read(folder / COUNTIES_FILE, key=("code",))
    sub_county_rows = _read(folder / SUB_COUNTIES_FILE, key=("code",))
    item_rows = _read(folder / CODE_LISTS_FILE, key=("list", "code"))

    countries = [
        country_model(
            code=row["code"].upper(),
            alpha3=row["alpha3"].upper(),
            name=row["name"],
            name_sw=row["name_sw"],
        )
        for row in country_rows
    ]
    counties = [
        county_model(code=int(row["code"]), name=row["name"], name_sw=row["name_sw"])
        for row in county_rows
    ]
    items = [
        item_model(
            list=_check_list(row["list"]),
            code=row["code"],
            name=row["name"],
            name_sw=row["name_sw"],
            description=row["description"],
            source=row["source"],
            sort_order=int(row["sort_order"] or 0),
            is_active=True,
        )
        for row in item_rows
    ]
    shipped = {(row["list"], row["code"]) for row in item_rows}

    with transaction.atomic(using=using):
        _upsert(country_model, countries, ["code"], ["alpha3", "name", "name_sw"], using)
        _upsert(county_model, counties, ["code"], ["name", "name_sw"], using)

        county_ids = dict(county_model._default_manager.using(using).values_list("code", "id"))
        sub_counties = []
        for row in sub_county_rows:
            county_code = int(row["county_code"])
            if county_code not in county_ids:
                raise ValueError(
                    f"{SUB_COUNTIES_FILE}: sub-county {row['code']} names county {county_code},"
                    " which is not in the county list"
                )
            sub_counties.append(
                sub_county_model(
                    code=int(row["code"]),
                    name=row["name"],
                    name_sw=row.get("name_sw", ""),
                    county_id=county_ids[county_code],
                )
            )
        _upsert(sub_county_model, sub_counties, ["code"], ["name", "name_sw", "county"], using)

        _upsert(
            item_model,
            items,
            ["list", "code"],
            ["name", "name_sw", "description", "source", "sort_order", "is_active"],
            using,
        )
        existing = item_model._default_manager.using(using).filter(is_active=True)
        retired = [
            pk
            for pk, list_, code in existing.values_list("pk", "list", "code")
            if (list_, code) not in shipped
        ]
        item_model._default_manager.using(using).filter(pk__in=retired).update(is_active=False)

    return {
        "countries": len(countries),
        "counties": len(counties),
        "sub_counties": len(sub_counties),
        "code_list_items": len(items),
        "code_list_items_deactivated": len(retired),
    }


def _read(path: Path, *, key: tuple[str, ...]) -> list[dict[str, str]]:
    """Return the rows of a UTF-8 CSV file, stripped of surrounding blanks, unique by ``key``."""
    with path.open(newline="", encoding="utf-8") as file:
        rows = [
            {name: (value or "").strip() for name, value in row.items()}
            for row in csv.DictReader(file)
        ]
    seen: set[tuple[str, ...]] = set()
    for row in rows:
        row_key = tuple(row[name] for name in key)
        if row_key in seen:
            raise ValueError(f"{path.name}: {row_key!r} appears more than once")
        seen.add(row_key)
    return rows


def _check_list(value: str) -> str:
    """Return ``value`` if it names one of the code lists, else raise ``ValueError``."""
    if value not in CodeList.values:
        raise ValueError(f"{CODE_LISTS_FILE}: unknown code list {value!r}")
    return value


def _upsert(
    model: type[_M],
    objects: list[_M],
    unique_fields: list[str],
    update_fields: list[str],
    using: str,
) -> None:
    """Insert ``objects``, updating ``update_fields`` of rows that already have the same key."""
    model._default_manager.using(using).bulk_create(
        objects,
        batch_size=500,
        update_conflicts=True,
        unique_fields=unique_fields,
        update_fields=update_fields,
    )
