"""E counts only stock dispensed before it expires (KMK 1645/2024 III.C.1.a), FEFO."""

from datetime import date
from decimal import Decimal

import pytest

from pharmacy.planning import (
    DAYS_PER_MONTH,
    StockLot,
    StockOnHand,
    simulate_fefo,
    usable_stock,
)

NEW_YEAR = date(2025, 1, 1)
# 487 per month ÷ 30.4375 days per month = 16 units per day exactly.
SIXTEEN_A_DAY = 487


def test_a_month_is_365_25_over_12_days():
    assert Decimal("30.4375") == DAYS_PER_MONTH


def test_it_dispenses_first_expiry_first_and_drops_what_expires():
    stock = StockOnHand(
        # Deliberately out of order: the simulation sorts by expiry.
        [
            StockLot(500, date(2025, 2, 1), "Z"),
            StockLot(100, date(2025, 1, 21), "Y"),
            StockLot(50, date(2024, 12, 31), "W"),
            StockLot(200, date(2025, 1, 11), "X"),
        ],
        as_of=NEW_YEAR,
    )

    result = simulate_fefo(stock, monthly_use=SIXTEEN_A_DAY)

    # W expired the day before the stock date: 0 usable, 50 expire.
    # X: 10 days of use (1–10 Jan) × 16 = 160 of 200; 40 expire; X is open until day 10.
    # Y: 20 days of use, from day 10: (20 − 10) × 16 = 160 ≥ 100, so all 100 are used,
    #    finished on day 10 + 100 ÷ 16 = 16.25.
    # Z: 31 days of use, from day 16.25: (31 − 16.25) × 16 = 236 of 500; 264 expire.
    # Usable = 160 + 100 + 236 = 496; expiring = 50 + 40 + 264 = 354; on hand 850.
    assert [(lot.batch, lot.usable_quantity, lot.expiring_quantity) for lot in result.lots] == [
        ("W", 0, 50),
        ("X", 160, 40),
        ("Y", 100, 0),
        ("Z", 236, 264),
    ]
    assert result.quantity_on_hand == 850
    assert result.usable_quantity == 496
    assert result.expiring_quantity == 354
    assert usable_stock(stock, monthly_use=SIXTEEN_A_DAY) == 496


def test_the_expiry_date_itself_is_not_a_day_of_use():
    exactly = StockOnHand([StockLot(160, date(2025, 1, 11))], as_of=NEW_YEAR)
    one_more = StockOnHand([StockLot(161, date(2025, 1, 11))], as_of=NEW_YEAR)

    # 1–10 January = 10 days × 16 = 160: a lot of 160 is used up in time, of 161 one expires.
    assert usable_stock(exactly, monthly_use=SIXTEEN_A_DAY) == 160
    assert usable_stock(one_more, monthly_use=SIXTEEN_A_DAY) == 160


def test_a_lot_expiring_on_the_stock_date_is_unusable():
    stock = StockOnHand([StockLot(30, NEW_YEAR)], as_of=NEW_YEAR)

    assert usable_stock(stock, monthly_use=SIXTEEN_A_DAY) == 0


def test_a_partly_used_lot_counts_whole_units_only():
    stock = StockOnHand([StockLot(50, date(2025, 1, 11))], as_of=NEW_YEAR)

    # 100 per month = 100 ÷ 30.4375 = 3.2854… per day; 10 days → 32.854… → 32 whole units.
    result = simulate_fefo(stock, monthly_use=100)

    assert result.usable_quantity == 32
    assert result.expiring_quantity == 18


def test_stock_used_after_the_planning_year_still_counts_if_used_before_expiry():
    stock = StockOnHand([StockLot(1500, date(2027, 1, 1))], as_of=NEW_YEAR)

    # 1500 units at 100 per month last 15 months (456.5625 days) < 730 days to expiry.
    assert usable_stock(stock, monthly_use=100) == 1500


def test_a_slow_mover_counts_only_what_goes_out_before_expiry():
    stock = StockOnHand([StockLot(3000, date(2027, 1, 1))], as_of=NEW_YEAR)

    # 1 Jan 2025 → 1 Jan 2027 = 730 days of use; 730 × 100 ÷ 30.4375 = 2398.35… → 2398.
    assert usable_stock(stock, monthly_use=100) == 2398


def test_with_no_use_nothing_is_dispensed_before_expiry():
    stock = StockOnHand([StockLot(100, date(2026, 1, 1))], as_of=NEW_YEAR)

    result = simulate_fefo(stock, monthly_use=0)

    assert result.usable_quantity == 0
    assert result.expiring_quantity == 100


def test_lots_with_the_same_expiry_are_taken_by_batch():
    stock = StockOnHand(
        [StockLot(100, date(2025, 1, 11), "B2"), StockLot(100, date(2025, 1, 11), "B1")],
        as_of=NEW_YEAR,
    )

    result = simulate_fefo(stock, monthly_use=SIXTEEN_A_DAY)

    # 160 units can go out in 10 days: B1 all 100, then B2 the remaining 60.
    assert [(lot.batch, lot.usable_quantity) for lot in result.lots] == [("B1", 100), ("B2", 60)]


def test_decimal_quantities_are_kept_exact():
    stock = StockOnHand([StockLot(Decimal("12.5"), date(2025, 3, 1))], as_of=NEW_YEAR)

    assert usable_stock(stock, monthly_use=SIXTEEN_A_DAY) == Decimal("12.5")


def test_as_rows_and_explanation():
    stock = StockOnHand([StockLot(200, date(2025, 1, 11), "X")], as_of=NEW_YEAR)

    result = simulate_fefo(stock, monthly_use=SIXTEEN_A_DAY)

    assert result.as_rows() == [
        {
            "batch": "X",
            "expiry_date": date(2025, 1, 11),
            "quantity": 200,
            "usable_quantity": 160,
            "expiring_quantity": 40,
        }
    ]
    assert result.explanation == (
        "160 dari 200 unit di tangan akan terpakai sebelum kedaluwarsa (FEFO sejak"
        " 1 Januari 2025, pemakaian 487 per bulan); 40 unit akan kedaluwarsa sebelum terpakai"
    )


def test_it_rejects_a_negative_lot():
    with pytest.raises(ValueError, match="Jumlah stok lot B7 tidak boleh negatif"):
        StockLot(-1, date(2025, 1, 1), "B7")


def test_it_rejects_a_negative_use():
    stock = StockOnHand([StockLot(10, date(2025, 6, 1))], as_of=NEW_YEAR)

    with pytest.raises(ValueError, match="Pemakaian rata-rata per bulan tidak boleh negatif"):
        simulate_fefo(stock, monthly_use=-1)
