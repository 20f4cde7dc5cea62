"""Control dates fall on working days: no weekends, no Indonesian public holidays."""

import datetime as dt

from lib import workdays

FRIDAY_14_AUG_2026 = dt.date(2026, 8, 14)
INDEPENDENCE_DAY_2026 = dt.date(2026, 8, 17)  # a Monday


def test_the_holiday_calendar_is_indonesias() -> None:
    assert workdays.holiday_name(INDEPENDENCE_DAY_2026) is not None
    assert workdays.holiday_name(dt.date(2026, 8, 18)) is None
    # A lunar-calendar holiday comes from the library, not a fixed list: Idul Adha 2026.
    assert workdays.holiday_name(dt.date(2026, 5, 27)) is not None


def test_it_skips_saturday_sunday_and_a_public_holiday() -> None:
    assert workdays.control_day(dt.date(2026, 8, 15)) == FRIDAY_14_AUG_2026  # Saturday
    assert workdays.control_day(dt.date(2026, 8, 16)) == FRIDAY_14_AUG_2026  # Sunday
    assert workdays.control_day(INDEPENDENCE_DAY_2026) == FRIDAY_14_AUG_2026
    assert workdays.control_day(dt.date(2026, 8, 18)) == dt.date(2026, 8, 18)


def test_it_moves_later_rather_than_onto_the_visit_it_follows() -> None:
    # Planned for Monday 17 August (holiday) after a visit on Friday 14 August.
    assert workdays.control_day(INDEPENDENCE_DAY_2026, after=FRIDAY_14_AUG_2026) == dt.date(
        2026, 8, 18
    )


def test_a_series_of_control_dates_is_all_working_days_and_keeps_its_rhythm() -> None:
    dates = workdays.control_dates(dt.date(2026, 7, 18), 30, 6)  # a Saturday to start
    assert all(day.weekday() < 5 and workdays.holiday_name(day) is None for day in dates)
    assert dates[0] == dt.date(2026, 7, 17)
    assert dates[1] == FRIDAY_14_AUG_2026  # 17 August, Independence Day, brought forward
    assert dates[2] == dt.date(2026, 9, 16)  # the holiday did not shift the next ones
