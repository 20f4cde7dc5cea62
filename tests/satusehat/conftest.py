import datetime as dt
from zoneinfo import ZoneInfo

import pytest


@pytest.fixture(autouse=True)
def frozen_today(time_machine):  # type: ignore[no-untyped-def]
    """Visits and dispenses are dated in October 2026; today is 10 November 2026 (WIB)."""
    time_machine.move_to(
        dt.datetime(2026, 11, 10, 9, 0, tzinfo=ZoneInfo("Asia/Jakarta")), tick=False
    )
    return dt.date(2026, 11, 10)
