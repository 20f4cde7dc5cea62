"""The one export writer neutralises formulas and keeps numbers (common/exports.py)."""

import datetime as dt
from decimal import Decimal

import pytest

from common.exports import Formula, table_response
from tests.support.exports import HOSTILE, assert_inert, cells


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_hostile_text_is_inert_and_numbers_stay_numbers(fmt) -> None:
    rows = [[name, 12, Decimal("2.50"), dt.date(2026, 11, 1), "\tTab", "\rCR"] for name in HOSTILE]
    response = table_response(
        fmt=fmt, filename="t", title="T", headers=["=nama", "n", "p", "d", "a", "b"], rows=rows
    )
    written = assert_inert(response)
    assert written[0][0] == "'=nama"
    assert [row[0] for row in written[1:]] == ["'" + name for name in HOSTILE]
    # (XLSX stores a carriage return as a line feed; either way the cell starts with ').
    assert all(row[4] == "'\tTab" and row[5][:2] in ("'\r", "'\n") for row in written[1:])
    if fmt == "xlsx":
        assert written[1][1] == 12 and isinstance(written[1][2], float | Decimal | int)
        assert written[1][3].date() == dt.date(2026, 11, 1)
    else:
        assert written[1][1] == "12" and written[1][3] == "2026-11-01"


def test_only_a_formula_prb_made_is_written_as_one() -> None:
    response = table_response(
        fmt="xlsx",
        filename="t",
        title="T",
        headers=["n"],
        rows=[[1], [2], [Formula("=SUM(A2:A3)")]],
    )
    with pytest.raises(AssertionError, match="formula in A4"):
        cells(response)
