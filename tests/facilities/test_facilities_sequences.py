"""Item 10 of issue 10: per-facility numbers come from one allocator, never count() + 1."""

import threading

import pytest
from django.db import connection

from facilities.models import FacilitySequence
from facilities.services import facility_sequence_next
from tests.facilities.factories import FacilityFactory

pytestmark = pytest.mark.django_db(transaction=True)

CLIENTS = 20


def test_twenty_threads_get_twenty_distinct_numbers_for_one_facility() -> None:
    facility = FacilityFactory()
    barrier = threading.Barrier(CLIENTS)
    numbers: list[int] = []
    pids: set[int] = set()
    errors: list[BaseException] = []
    lock = threading.Lock()

    def allocate() -> None:
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                pid = cursor.fetchone()[0]
            barrier.wait(timeout=30)
            number = facility_sequence_next(
                facility_id=facility.pk, kind="rereferral", period="2026"
            )
            with lock:
                numbers.append(number)
                pids.add(pid)
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            with lock:
                errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=allocate) for _ in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert len(pids) == CLIENTS  # each client had its own database connection
    assert sorted(numbers) == list(range(1, CLIENTS + 1))
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
