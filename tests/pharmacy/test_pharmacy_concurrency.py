"""Done when: 20 concurrent dispenses against the last 10 units (PostgreSQL, real threads)."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import F, Sum

from pharmacy import services
from pharmacy.models import Prescription, StockBalance, StockCardLine
from tests.pharmacy.conftest import prescribe, receive

pytestmark = pytest.mark.django_db(transaction=True)

CLIENTS = 20


def test_twenty_concurrent_dispenses_against_the_last_ten_units(world, store1, metformin) -> None:
    lot = receive(store1, metformin, 30, user=world.farmasi1).lot
    # Bring the lot down to its last 10 units through ordinary dispensing.
    services.stock_dispense(
        actor=world.farmasi1, prescription=prescribe(world, world.patient1, metformin, 20)
    )
    assert StockBalance.objects.get(store=store1, lot=lot).quantity == 10
    prescriptions = [prescribe(world, world.patient1, metformin, 1) for _ in range(CLIENTS)]

    barrier = threading.Barrier(CLIENTS)
    outcomes: list[str] = []
    lock = threading.Lock()
    connection_ids: set[int] = set()

    def dispense(prescription: Prescription) -> None:
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                pid = cursor.fetchone()[0]
            barrier.wait(timeout=30)
            try:
                services.stock_dispense(actor=world.farmasi1, prescription=prescription)
                outcome = "ok"
            except ValidationError:
                outcome = "refused"
            with lock:
                outcomes.append(outcome)
                connection_ids.add(pid)
        finally:
            connection.close()

    threads = [threading.Thread(target=dispense, args=(p,)) for p in prescriptions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert len(connection_ids) == CLIENTS  # each client had its own connection
    assert outcomes.count("ok") == 10
    assert outcomes.count("refused") == 10
    assert StockBalance.objects.get(store=store1, lot=lot).quantity == 0
    lines = list(StockCardLine.objects.filter(store=store1, lot=lot).order_by("id"))
    assert all(line.balance_after >= 0 for line in lines)
    running = 0
    for line in lines:
        running += line.change
        assert line.balance_after == running
    total = StockCardLine.objects.filter(store=store1, lot=lot).aggregate(
        total=Sum(F("quantity_in") - F("quantity_out"))
    )["total"]
    assert total == 0
    statuses = sorted(
        Prescription.objects.filter(pk__in=[p.pk for p in prescriptions]).values_list(
            "status", flat=True
        )
    )
    assert statuses.count("dispensed") == 10 and statuses.count("waiting") == 10
