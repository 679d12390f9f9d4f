"""Reading a manifest file (CSV or Excel .xlsx) into rows ready for ``import_manifest``.

Privacy: the uploaded file holds names; it is read in memory and never stored or logged.
Safety: cells are data. Nothing is evaluated: a CSV cell starting with "=" is text, and Excel
formulas are read as their text, never computed.
"""

from __future__ import annotations

import csv
import datetime
import io
import zipfile
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from okoa.operations.models import ManifestEntry
from okoa.people.models import Person
from okoa.reference.models import Country, County

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 2000
COLUMNS = (
    "given_name",
    "family_name",
    "other_names",
    "sex",
    "date_of_birth",
    "age",
    "nationality",
    "phone",
    "passport_number",
    "county",
    "location_country",
    "status",
)
SEXES = {
    "f": Person.Sex.FEMALE,
    "female": Person.Sex.FEMALE,
    "mwanamke": Person.Sex.FEMALE,
    "m": Person.Sex.MALE,
    "male": Person.Sex.MALE,
    "mwanamume": Person.Sex.MALE,
    "other": Person.Sex.OTHER,
    "": Person.Sex.UNKNOWN,
    "unknown": Person.Sex.UNKNOWN,
}


class ManifestFileError(Exception):
    """The file as a whole cannot be read (type, size, encoding, columns)."""


@dataclass
class ManifestRow:
    """One row of the file: its number (the header is row 1), values, and problems found."""

    number: int
    values: dict[str, Any] = field(default_factory=dict)
    errors: list[tuple[str, str]] = field(default_factory=list)


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _read_csv(data: bytes) -> list[list[str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ManifestFileError(_("Save the CSV file as UTF-8 and upload it again.")) from error
    return [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text))]


def _read_xlsx(data: bytes) -> list[list[str]]:
    import openpyxl  # imported here: only manifests need it

    try:
        # read_only streams the sheet; formulas stay text because data_only is off.
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise ManifestFileError(_("This Excel file cannot be read.")) from error
    sheet = workbook.worksheets[0]
    rows: list[list[str]] = []
    for values in sheet.iter_rows(values_only=True):
        rows.append([_cell_text(value) for value in values])
        if len(rows) > MAX_ROWS + 1:
            break
    workbook.close()
    return rows


def read_table(filename: str, data: bytes) -> list[list[str]]:
    """Return the file's rows of text cells, or raise ManifestFileError."""
    if len(data) > MAX_BYTES:
        raise ManifestFileError(_("The file is larger than 2 MB. Split it and upload each part."))
    name = filename.lower()
    if name.endswith(".csv"):
        rows = _read_csv(data)
    elif name.endswith(".xlsx") and data[:2] == b"PK":
        rows = _read_xlsx(data)
    else:
        raise ManifestFileError(_("Upload a CSV file or an Excel file (.xlsx)."))
    rows = [row for row in rows if any(row)]
    if not rows:
        raise ManifestFileError(_("The file is empty."))
    if len(rows) - 1 > MAX_ROWS:
        raise ManifestFileError(_("The file has more than 2,000 people. Split it."))
    return rows


class _Lookups:
    """Countries and counties, loaded once per file (not once per row)."""

    def __init__(self) -> None:
        self.countries: dict[str, Country] = {}
        for country in Country.objects.all():
            for key in (country.code, country.alpha3, country.name, country.name_sw):
                if key:
                    self.countries[key.strip().lower()] = country
        self.counties: dict[str, County] = {}
        for county in County.objects.all():
            for key in (str(county.code), county.name, county.name_sw):
                if key:
                    self.counties[key.strip().lower()] = county


def _parse_row(number: int, cells: dict[str, str], lookups: _Lookups) -> ManifestRow:
    row = ManifestRow(number=number)
    person: dict[str, Any] = {
        "given_name": cells.get("given_name", ""),
        "family_name": cells.get("family_name", ""),
        "passport_number": cells.get("passport_number", ""),
    }
    if cells.get("other_names"):
        person["other_names"] = [name.strip() for name in cells["other_names"].split(";")]
    if cells.get("phone"):
        person["phone_numbers"] = [phone.strip() for phone in cells["phone"].split(";")]
    sex = SEXES.get(cells.get("sex", "").lower())
    if sex is None:
        row.errors.append(("sex", _("Write female, male, other or leave it empty.")))
    else:
        person["sex"] = sex
    if cells.get("date_of_birth"):
        try:
            person["date_of_birth"] = datetime.date.fromisoformat(cells["date_of_birth"][:10])
        except ValueError:
            row.errors.append(("date_of_birth", _("Write the date as YYYY-MM-DD.")))
    elif cells.get("age"):
        try:
            row.values["estimated_age"] = int(cells["age"])
        except ValueError:
            row.errors.append(("age", _("Write the age in years, as a number.")))
    for column, target in (("nationality", "nationality"), ("location_country", None)):
        if cells.get(column):
            country = lookups.countries.get(cells[column].lower())
            if country is None:
                row.errors.append((column, _("Unknown country: use the two-letter ISO code.")))
            elif target:
                person[target] = country
            else:
                row.values["location_country"] = country
    if cells.get("county"):
        county = lookups.counties.get(cells["county"].lower())
        if county is None:
            row.errors.append(("county", _("Unknown county: use its code (1 to 47) or name.")))
        else:
            person["county_of_origin"] = county
    status = cells.get("status", "").lower().replace(" ", "_")
    if status and status not in ManifestEntry.Status.values:
        row.errors.append(("status", _("Unknown status.")))
    elif status:
        row.values["status"] = status
    row.values["person"] = person
    return row


def parse_manifest(filename: str, data: bytes) -> list[ManifestRow]:
    """Read and check every row of the file; raise ManifestFileError if it cannot be read."""
    table = read_table(filename, data)
    header = [cell.strip().lower().replace(" ", "_") for cell in table[0]]
    if "given_name" not in header:
        raise ManifestFileError(_("The first row must name the columns, with given_name."))
    lookups = _Lookups()
    rows = []
    for number, cells in enumerate(table[1:], start=2):
        named = {
            column: cells[index] if index < len(cells) else ""
            for index, column in enumerate(header)
            if column in COLUMNS
        }
        rows.append(_parse_row(number, named, lookups))
    return rows
