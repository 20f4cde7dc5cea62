"""Data migrations of the pharmacy app, run with Django's MigrationExecutor."""

import datetime as dt

import pytest
from django.db import connection

from pharmacy.models import StockCardLine
from pharmacy.selectors import stock_ledger_differences
from tests.pharmacy.conftest import receive_more, ten_in_eight_out
from tests.support.migrations import migrate_latest, migrate_to

# Each test starts before 0010_stock_card_no_update and ends at the latest state.
BEFORE = [("pharmacy", "0009_destruction_reasons_kmk_iii_c_7")]


def _balances(lot):  # type: ignore[no-untyped-def]
    """(date, balance_after) of the lot's lines in the order they were written."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT date, balance_after FROM pharmacy_stockcardline WHERE lot_id = %s ORDER BY id",
            [lot.pk],
        )
        return cursor.fetchall()


@pytest.mark.django_db(transaction=True)
def test_running_balances_move_from_date_order_to_the_order_lines_were_written(
    world, store1, metformin
) -> None:
    lot = ten_in_eight_out(world, store1, metformin, dispensed_on=dt.date(2026, 11, 5))
    receive_more(store1, lot, 5, user=world.farmasi1, on=dt.date(2026, 11, 3))
    written = [
        (dt.date(2026, 11, 1), 10),
        (dt.date(2026, 11, 5), 2),
        (dt.date(2026, 11, 3), 7),
    ]
    assert _balances(lot) == written
    migrate_to(BEFORE)
    try:
        # The old card ran in date order: the backdated receipt had moved the 5th's balance.
        assert _balances(lot) == [
            (dt.date(2026, 11, 1), 10),
            (dt.date(2026, 11, 5), 7),
            (dt.date(2026, 11, 3), 15),
        ]
    finally:
        migrate_latest()
    assert _balances(lot) == written
    assert stock_ledger_differences() == []
    # The conversion is kept in the card's history.
    updates = StockCardLine.pgh_event_model.objects.filter(lot=lot, pgh_label="update")
    assert sorted(updates.values_list("balance_after", flat=True)) == [2, 7, 7, 15]
