import datetime as dt
from zoneinfo import ZoneInfo

import pytest

TODAY = dt.date(2026, 11, 10)


@pytest.fixture
def frozen_today(time_machine):  # type: ignore[no-untyped-def]
    """Buckets are counted from today in Asia/Jakarta: pin it."""
    time_machine.move_to(
        dt.datetime(2026, 11, 10, 9, 0, tzinfo=ZoneInfo("Asia/Jakarta")), tick=False
    )
    return TODAY


def days_ago(n: int) -> dt.date:
    return TODAY - dt.timedelta(days=n)
