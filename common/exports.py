"""The one writer of every CSV and XLSX download PRB offers (pharmacy, dashboards, alerts).

Exports carry what people typed (patient names, notes, document references) into a
spreadsheet program, which would run a cell beginning with ``=``, ``+``, ``-`` or ``@`` as
a formula (CSV injection). Per the OWASP guidance every text cell beginning with one of
those, a tab or a carriage return is prefixed with ``'``; numbers and dates PRB writes stay
numbers and dates. XLSX text cells are written as strings, never formulas; only a
``Formula`` PRB builds itself is written as one.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.cell.cell import TYPE_FORMULA, TYPE_STRING
from openpyxl.styles import Font

FORMATS = ("csv", "xlsx")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DANGEROUS_FIRST = ("=", "+", "-", "@", "\t", "\r")


class Formula(str):
    """A formula PRB itself wrote (e.g. ``=SUM(B2:B9)``): the only cell written as one."""


def neutralise(text: str) -> str:
    """A text cell a spreadsheet will show, never evaluate (OWASP CSV injection)."""
    return "'" + text if text.startswith(DANGEROUS_FIRST) else text


def cell_value(value: Any) -> Any:
    """Numbers and dates as they are; everything else as neutralised text."""
    if value is None:
        return ""
    if isinstance(value, Formula):
        return value
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float | Decimal | dt.date | dt.datetime):
        return value
    return neutralise(str(value))


def _xlsx(title: str, headers: Sequence[Any], rows: Iterable[Sequence[Any]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(title)[:31]
    sheet.append([cell_value(str(h)) for h in headers])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        values = [cell_value(v) for v in row]
        sheet.append(values)
        for cell, value in zip(sheet[sheet.max_row], values, strict=False):
            # openpyxl takes any text beginning with "=" for a formula: say what it is.
            if isinstance(value, Formula):
                cell.data_type = TYPE_FORMULA
            elif isinstance(value, str):
                cell.data_type = TYPE_STRING
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def table_response(
    *,
    fmt: str,
    filename: str,
    title: str,
    headers: Sequence[Any],
    rows: Iterable[Sequence[Any]],
) -> HttpResponse:
    """``fmt`` is "csv" or "xlsx"; ``filename`` without extension."""
    if fmt == "xlsx":
        response = HttpResponse(_xlsx(title, headers, rows), content_type=XLSX_TYPE)
    else:
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response.write("\ufeff")  # spreadsheet programs read UTF-8 correctly with a BOM
        writer = csv.writer(response)
        writer.writerow([cell_value(str(h)) for h in headers])
        for row in rows:
            writer.writerow([cell_value(v) for v in row])
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response
