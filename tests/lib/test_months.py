"""Month arithmetic: one module, two explicitly named ways to move by months."""

import ast
import datetime as dt
from pathlib import Path

import pytest

from lib.months import (
    add_months_first_day,
    add_months_same_day,
    date_in_words,
    month_end,
    month_in_words,
    month_start,
    months_between,
)

ROOT = Path(__file__).resolve().parents[2]
APPS = ["accounts", "alerts", "dashboards", "demo", "eligibility", "facilities", "patients"]
APPS += ["pharmacy", "prb", "referrals", "benchmarks"]


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (dt.date(2026, 1, 31), 1, dt.date(2026, 2, 28)),
        (dt.date(2028, 1, 31), 1, dt.date(2028, 2, 29)),
        (dt.date(2026, 5, 31), -3, dt.date(2026, 2, 28)),
        (dt.date(2026, 11, 15), 3, dt.date(2027, 2, 15)),
        (dt.date(2026, 3, 10), -12, dt.date(2025, 3, 10)),
    ],
)
def test_same_day_is_clamped_to_the_months_end(day, months, expected) -> None:  # type: ignore[no-untyped-def]
    assert add_months_same_day(day, months) == expected


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (dt.date(2026, 1, 31), 1, dt.date(2026, 2, 1)),
        (dt.date(2026, 11, 20), -1, dt.date(2026, 10, 1)),
        (dt.date(2026, 12, 1), 1, dt.date(2027, 1, 1)),
        (dt.date(2026, 1, 15), -13, dt.date(2024, 12, 1)),
    ],
)
def test_first_day_lands_on_the_first_of_the_month(day, months, expected) -> None:  # type: ignore[no-untyped-def]
    assert add_months_first_day(day, months) == expected


def test_month_bounds_and_the_months_between() -> None:
    assert month_start(dt.date(2028, 2, 17)) == dt.date(2028, 2, 1)
    assert month_end(dt.date(2028, 2, 17)) == dt.date(2028, 2, 29)
    assert months_between(dt.date(2026, 11, 20), dt.date(2027, 1, 5)) == [
        dt.date(2026, 11, 1),
        dt.date(2026, 12, 1),
        dt.date(2027, 1, 1),
    ]


def test_no_other_module_defines_its_own_month_arithmetic() -> None:
    """Three ``add_months`` had drifted apart (clamped day vs first of month)."""
    names = {"add_months", "month_start", "month_end", "months_between"}
    names |= {"add_months_same_day", "add_months_first_day"}
    found = []
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.FunctionDef) and node.name in names:
                    found.append(f"{path.relative_to(ROOT)}:{node.name}")
    assert found == []


def test_dates_and_months_in_indonesian_words() -> None:
    assert date_in_words(dt.date(2026, 5, 31)) == "31 Mei 2026"
    assert date_in_words(dt.date(2026, 8, 1)) == "1 Agustus 2026"
    assert month_in_words(dt.date(2026, 12, 15)) == "Desember 2026"
    assert [month_in_words(dt.date(2027, m, 1)).split()[0] for m in (1, 2, 3)] == [
        "Januari",
        "Februari",
        "Maret",
    ]
