"""Checks that a CSV or XLSX download cannot attack the spreadsheet that opens it."""

import csv
import io
from typing import Any

from openpyxl import load_workbook

HOSTILE = ['=HYPERLINK("http://x","y")', "+1", "-1+1", "@SUM(1)"]
DANGEROUS_FIRST = ("=", "+", "-", "@", "\t", "\r")


def cells(response: Any) -> list[list[Any]]:
    """Every cell of a CSV or XLSX response, asserting no XLSX cell is a formula."""
    if response["Content-Type"].startswith("text/csv"):
        return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = []
    for row in sheet.iter_rows():
        for cell in row:
            assert cell.data_type != "f", f"formula in {cell.coordinate}: {cell.value!r}"
        rows.append([cell.value for cell in row])
    return rows


def assert_inert(response: Any) -> list[list[Any]]:
    assert response.status_code == 200
    rows = cells(response)
    for row in rows:
        for value in row:
            if isinstance(value, str):
                assert not value.startswith(DANGEROUS_FIRST), value
    return rows


def flat(rows: list[list[Any]]) -> list[Any]:
    return [value for row in rows for value in row]
