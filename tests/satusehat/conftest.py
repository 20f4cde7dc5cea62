import pytest

from tests.support.satusehat_fake import running_satusehat_fake


@pytest.fixture(autouse=True)
def _today(frozen_today):  # type: ignore[no-untyped-def]
    """Visits and dispenses are dated in October 2026; today is 10 November 2026 (WIB)."""
    return frozen_today


@pytest.fixture
def fake():  # type: ignore[no-untyped-def]
    """SATUSEHAT's auth and FHIR endpoints, served on loopback for the test."""
    with running_satusehat_fake() as server:
        yield server
