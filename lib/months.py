"""Month arithmetic, in one place.

Two ways to move by months, named for what they return:

- ``add_months_same_day``: the same day ``months`` later, clamped to the month's end
  (31 Jan + 1 → 28/29 Feb). Schedules use it: a control or review "in 3 months"
  (KMK BAB III.A, III.B.9.c.3) and the look-back windows of the criteria.
- ``add_months_first_day``: the first day of the month ``months`` later. Monthly
  reports use it (LPLPO, planning history, dashboard months).

And the Indonesian month names, with the two ways PRB writes a date in words
(``date_in_words``: "31 Mei 2026"; ``month_in_words``: "Mei 2026"), used where Django's
localisation is not at hand (the pure rules and planning modules).
"""

from __future__ import annotations

import calendar
import datetime as dt


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def month_end(day: dt.date) -> dt.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def add_months_same_day(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later (or earlier), clamped to the month's end."""
    index = day.year * 12 + day.month - 1 + months
    year, month = index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def add_months_first_day(day: dt.date, months: int) -> dt.date:
    """The first day of the month ``months`` later (or earlier)."""
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def months_between(first: dt.date, last: dt.date) -> list[dt.date]:
    """The first days of the months from ``first``'s month to ``last``'s, both included."""
    result, month = [], month_start(first)
    while month <= last:
        result.append(month)
        month = add_months_first_day(month, 1)
    return result


MONTH_NAMES = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)


def date_in_words(day: dt.date) -> str:
    """``date(2026, 5, 31)`` → ``"31 Mei 2026"``."""
    return f"{day.day} {MONTH_NAMES[day.month - 1]} {day.year}"


def month_in_words(day: dt.date) -> str:
    """``date(2026, 5, 1)`` → ``"Mei 2026"``."""
    return f"{MONTH_NAMES[day.month - 1]} {day.year}"
