"""Working days of a puskesmas: Monday to Friday, except Indonesia's public holidays.

Control dates are computed by adding the care plan's interval; a date that lands
on a weekend or a public holiday is brought forward to the working day before it,
because the month's medicines run out on that date (a later control would leave
the patient without them). Holidays come from the maintained ``holidays``
library (national public holidays of ``country_holidays("ID")``, lunar-calendar
dates included), never from a hand-written list.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import holidays


@lru_cache(maxsize=16)
def _public_holidays(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("ID", years=year, language="id")


def holiday_name(day: dt.date) -> str | None:
    """The Indonesian name of the public holiday on ``day``, or None."""
    return _public_holidays(day.year).get(day)


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in _public_holidays(day.year)


def control_day(day: dt.date, *, after: dt.date | None = None) -> dt.date:
    """The working day a control planned for ``day`` is held.

    Brought forward to the last working day on or before ``day``; when that
    would be on or before ``after`` (the visit it follows), the next working
    day after ``day`` instead.
    """
    earlier = day
    while not is_working_day(earlier):
        earlier -= dt.timedelta(days=1)
    if after is None or earlier > after:
        return earlier
    later = day
    while not is_working_day(later):
        later += dt.timedelta(days=1)
    return later


def next_control_day(day: dt.date, interval_days: int) -> dt.date:
    """The control that follows a visit (or an enrolment) on ``day`` after ``interval_days``."""
    return control_day(day + dt.timedelta(days=interval_days), after=day)


def control_dates(first: dt.date, interval_days: int, count: int) -> list[dt.date]:
    """``count`` control dates every ``interval_days`` from ``first``, each on a working day.

    The plan advances from the planned dates, not the adjusted ones, so one
    holiday does not shift the rest of the year.
    """
    step = dt.timedelta(days=interval_days)
    return [control_day(first + step * i) for i in range(count)]
