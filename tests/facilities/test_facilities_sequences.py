"""Item 10 of issue 10: per-facility numbers come from one allocator, never count() + 1."""

import pytest

from facilities.models import FacilitySequence
from facilities.services import facility_sequence_next
from tests.facilities.factories import FacilityFactory
from tests.support.concurrency import run_together

pytestmark = pytest.mark.django_db(transaction=True)

CLIENTS = 20


def test_twenty_threads_get_twenty_distinct_numbers_for_one_facility() -> None:
    facility = FacilityFactory()

    def allocate(_client: int) -> int:
        return facility_sequence_next(facility_id=facility.pk, kind="rereferral", period="2026")

    together = run_together(allocate, range(CLIENTS))

    assert together.errors == []
    assert len(together.connections) == CLIENTS  # each client had its own database connection
    assert sorted(together.results) == list(range(1, CLIENTS + 1))
    assert FacilitySequence.objects.get(facility=facility, kind="rereferral").last == CLIENTS


def test_series_are_kept_apart_and_continue_from_numbers_already_issued() -> None:
    one, other = FacilityFactory(), FacilityFactory()
    assert facility_sequence_next(facility_id=one.pk, kind="destruction", period="2026-03") == 1
    assert facility_sequence_next(facility_id=one.pk, kind="destruction", period="2026-03") == 2
    assert facility_sequence_next(facility_id=one.pk, kind="destruction", period="2026-04") == 1
    assert facility_sequence_next(facility_id=other.pk, kind="destruction", period="2026-03") == 1
    assert facility_sequence_next(facility_id=one.pk, kind="rereferral", period="2026") == 1
    # A series that already had documents before its counter row existed goes on after them.
    assert (
        facility_sequence_next(
            facility_id=other.pk, kind="rereferral", period="2026", floor=lambda: 7
        )
        == 8
    )
