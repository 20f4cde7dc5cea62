import datetime as dt
from pathlib import Path

import pytest

TODAY = dt.date(2026, 11, 20)
HERE = Path(__file__).parent


def pytest_collection_modifyitems(items):  # type: ignore[no-untyped-def]
    """Every figure here is "as of" 20 November 2026 (the shared ``frozen_today``)."""
    for item in items:
        if HERE in Path(item.path).parents:
            item.add_marker(pytest.mark.today(TODAY))
