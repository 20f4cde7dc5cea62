import datetime as dt

from tests.conftest import TODAY

__all__ = ["TODAY", "days_ago"]


def days_ago(n: int) -> dt.date:
    return TODAY - dt.timedelta(days=n)
