"""Done when: 20 concurrent dispenses against the last 10 units (PostgreSQL, real threads)."""

import pytest
from django.core.exceptions import ValidationError
from django.db.models import F, Sum

from pharmacy import services
from pharmacy.models import Prescription, StockBalance, StockCardLine
from tests.pharmacy.conftest import prescribe, receive
from tests.support.concurrency import run_together

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

    def dispense(prescription: Prescription) -> str:
        try:
            services.stock_dispense(actor=world.farmasi1, prescription=prescription)
        except ValidationError:
            return "refused"
        return "ok"

    together = run_together(dispense, prescriptions)

    assert together.errors == []
    assert len(together.connections) == CLIENTS  # each client had its own connection
    assert together.results.count("ok") == 10
    assert together.results.count("refused") == 10
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
