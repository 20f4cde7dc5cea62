import datetime as dt
from zoneinfo import ZoneInfo

import pytest

TODAY = dt.date(2026, 11, 20)


@pytest.fixture
def frozen_today(time_machine):  # type: ignore[no-untyped-def]
    """Every figure is "as of" today for the current month (Asia/Jakarta): pin it."""
    time_machine.move_to(
        dt.datetime(2026, 11, 20, 9, 0, tzinfo=ZoneInfo("Asia/Jakarta")), tick=False
    )
    return TODAY
