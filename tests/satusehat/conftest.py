import pytest


@pytest.fixture(autouse=True)
def _today(frozen_today):  # type: ignore[no-untyped-def]
    """Visits and dispenses are dated in October 2026; today is 10 November 2026 (WIB)."""
    return frozen_today
