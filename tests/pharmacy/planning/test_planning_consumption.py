"""Consumption method, KMK 1645/2024 III.C.1.a: A = (B + C + D) − E."""

from datetime import date
from decimal import Decimal

import pytest

from pharmacy.planning import (
    BufferStock,
    MonthlyUsage,
    StockLot,
    StockOnHand,
    average_monthly_use,
    consumption_plan,
)


def year_of_use(quantity: int = 100) -> list[MonthlyUsage]:
    return [MonthlyUsage(date(2024, month, 1), quantity) for month in range(1, 13)]


def history_with_two_stock_outs() -> list[MonthlyUsage]:
    history = year_of_use(100)
    # March ran out (only the flag is known), July had 5 days at zero stock.
    history[2] = MonthlyUsage(date(2024, 3, 1), 40, stocked_out=True)
    history[6] = MonthlyUsage(date(2024, 7, 1), 70, stock_out_days=5)
    return history


def the_worked_example():  # type: ignore[no-untyped-def]
    """The two stock-outs history, a 10% buffer, 2 months' lead time and 150 in stock."""
    buffer = BufferStock.percent_of_base(10)
    return consumption_plan(
        history_with_two_stock_outs(), buffer_stock=buffer, lead_time_months=2, remaining_stock=150
    )


def test_it_leaves_stock_out_months_out_of_the_average():
    usage = average_monthly_use(history_with_two_stock_outs())

    # Counted: 10 months × 100 = 1000 → 1000 ÷ 10 = 100.
    # (Averaging all 12 months would give (1000 + 40 + 70) ÷ 12 = 92.5.)
    assert usage.average_monthly_use == Decimal("100.00")
    assert len(usage.months_counted) == 10
    assert usage.months_excluded == (date(2024, 3, 1), date(2024, 7, 1))
    assert usage.total_counted_use == 1000


def test_it_computes_every_term_of_the_formula():
    plan = the_worked_example()

    # average = 100; B = 100 × 12 = 1200; C = 10% × 1200 = 120;
    # D = 2 × 100 = 200; E = 150; A = (1200 + 120 + 200) − 150 = 1370.
    assert plan.average_monthly_use == Decimal("100")
    assert plan.months_counted == 10
    assert plan.period_months == 12
    assert plan.working_stock == 1200
    assert plan.buffer_stock == 120
    assert plan.lead_time_stock == 200
    assert plan.usable_remaining_stock == 150
    assert plan.calculated_need == 1370
    assert plan.planned_need == 1370
    assert plan.planned_need_units == 1370
    assert plan.excess_stock == 0
    assert plan.fefo is None


def test_the_explanation_shows_the_arithmetic_in_indonesian():
    plan = the_worked_example()

    assert "KMK 1645/2024 III.C.1.a" in plan.explanation
    assert "2 bulan dengan kekosongan obat tidak dihitung (Maret 2024, Juli 2024)" in (
        plan.explanation
    )
    assert "B (stok kerja) = 100 × 12 bulan = 1200." in plan.explanation
    assert "C (stok penyangga) = 10% × B (1200) = 120." in plan.explanation
    assert "D (stok waktu tunggu) = 2 bulan × 100 = 200." in plan.explanation
    assert "A = (1200 + 120 + 200) − 150 = 1370." in plan.explanation


def test_as_rows_lists_each_term():
    plan = consumption_plan(
        year_of_use(100), buffer_stock=50, lead_time_months=1, remaining_stock=0
    )

    # B = 1200, C = 50, D = 100, E = 0, A = 1350.
    assert [(row["symbol"], row["value"]) for row in plan.as_rows()] == [
        ("", Decimal("100.00")),
        ("B", Decimal("1200.00")),
        ("C", Decimal("50.00")),
        ("D", Decimal("100.00")),
        ("E", Decimal("0.00")),
        ("A", Decimal("1350.00")),
    ]


def test_it_floors_the_need_at_zero_and_reports_the_excess():
    plan = consumption_plan(
        year_of_use(10), buffer_stock=0, lead_time_months=1, remaining_stock=500
    )

    # B = 10 × 12 = 120; C = 0; D = 1 × 10 = 10; E = 500;
    # (120 + 0 + 10) − 500 = −370 → A = 0, excess 370.
    assert plan.calculated_need == -370
    assert plan.planned_need == 0
    assert plan.planned_need_units == 0
    assert plan.excess_stock == 370
    assert "Hasil perhitungan negatif (-370)" in plan.explanation
    assert "Kelebihan stok 370 unit" in plan.explanation


def test_buffer_in_months_of_use_and_a_shorter_period():
    plan = consumption_plan(
        year_of_use(100),
        buffer_stock=BufferStock.months_of_use(Decimal("1.5")),
        lead_time_months=1,
        remaining_stock=0,
        period_months=6,
    )

    # B = 100 × 6 = 600; C = 1.5 × 100 = 150; D = 100; A = 850.
    assert plan.working_stock == 600
    assert plan.buffer_stock == 150
    assert plan.planned_need == 850
    assert "C (stok penyangga) = 1,5 bulan × pemakaian rata-rata (100) = 150." in (plan.explanation)


def test_a_third_of_a_unit_does_not_round_the_need_up_by_one():
    history = [
        MonthlyUsage(date(2024, 1, 1), 66),
        MonthlyUsage(date(2024, 2, 1), 67),
        MonthlyUsage(date(2024, 3, 1), 67),
    ]

    plan = consumption_plan(history, buffer_stock=0, lead_time_months=0, remaining_stock=0)

    # average = 200 ÷ 3 = 66.67 (shown); B = 200 ÷ 3 × 12 = 800 exactly, so 800 units.
    assert plan.average_monthly_use == Decimal("66.67")
    assert plan.working_stock == 800
    assert plan.planned_need_units == 800


def test_a_fractional_need_is_rounded_up_to_whole_units():
    history = [
        MonthlyUsage(date(2024, 1, 1), 100),
        MonthlyUsage(date(2024, 2, 1), 100),
        MonthlyUsage(date(2024, 3, 1), 101),
    ]

    plan = consumption_plan(
        history, buffer_stock=0, lead_time_months=Decimal("0.5"), remaining_stock=0
    )

    # average = 301 ÷ 3 = 100.333…; B = 301 × 12 ÷ 3 = 1204;
    # D = 0.5 × 301 ÷ 3 = 50.1666…; A = 1254.1666… → shown 1254.17, ordered 1255.
    assert plan.working_stock == 1204
    assert plan.lead_time_stock == Decimal("50.17")
    assert plan.planned_need == Decimal("1254.17")
    assert plan.planned_need_units == 1255
    assert "Dibulatkan ke atas menjadi 1255 unit." in plan.explanation


def test_e_from_lots_excludes_stock_that_expires_before_use():
    history = [MonthlyUsage(date(2024, month, 1), 487) for month in (10, 11, 12)]
    stock = StockOnHand(
        [
            StockLot(200, date(2025, 1, 11), "X"),
            StockLot(100, date(2025, 1, 21), "Y"),
            StockLot(500, date(2025, 2, 1), "Z"),
        ],
        as_of=date(2025, 1, 1),
    )

    plan = consumption_plan(
        history,
        buffer_stock=BufferStock.months_of_use(1),
        lead_time_months=1,
        remaining_stock=stock,
    )

    # average 487/month = 487 ÷ 30.4375 = 16 per day (see test_planning_fefo):
    # X: 10 days × 16 = 160 of 200; Y: 100 (done on day 16.25);
    # Z: (31 − 16.25) × 16 = 236 of 500 → E = 160 + 100 + 236 = 496 of 800 on hand.
    # B = 487 × 12 = 5844; C = 487; D = 487; A = 5844 + 487 + 487 − 496 = 6322.
    assert plan.usable_remaining_stock == 496
    assert plan.fefo is not None
    assert plan.fefo.expiring_quantity == 304
    assert plan.planned_need == 6322
    assert "496 dari 800 unit di tangan" in plan.explanation
    assert "304 unit akan kedaluwarsa sebelum terpakai" in plan.explanation


def test_month_is_kept_as_the_first_day():
    assert MonthlyUsage(date(2024, 5, 17), 10).month == date(2024, 5, 1)


@pytest.mark.parametrize(
    ("history", "message"),
    [
        ([], "Riwayat pemakaian obat tidak boleh kosong"),
        (
            [MonthlyUsage(date(2024, 1, 1), 5, stocked_out=True)],
            "Semua bulan dalam riwayat mengalami kekosongan obat",
        ),
        (
            [MonthlyUsage(date(2024, 1, 1), 5), MonthlyUsage(date(2024, 1, 20), 6)],
            "Bulan Januari 2024 tercatat lebih dari sekali",
        ),
    ],
)
def test_it_rejects_an_unusable_history(history, message):
    with pytest.raises(ValueError, match=message):
        consumption_plan(history, buffer_stock=0, lead_time_months=0, remaining_stock=0)


def test_it_rejects_negative_usage():
    with pytest.raises(
        ValueError, match="Jumlah pemakaian bulan Februari 2024 tidak boleh negatif"
    ):
        MonthlyUsage(date(2024, 2, 1), -1)


def test_it_rejects_more_stock_out_days_than_the_month_has():
    # February 2024 has 29 days.
    with pytest.raises(ValueError, match="harus antara 0 dan 29"):
        MonthlyUsage(date(2024, 2, 1), 10, stock_out_days=30)


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"lead_time_months": -1}, "Lead time \\(bulan\\) tidak boleh negatif"),
        ({"period_months": 0}, "Periode perencanaan \\(bulan\\) harus lebih dari nol"),
        ({"remaining_stock": -5}, "Sisa stok tidak boleh negatif"),
        ({"buffer_stock": -10}, "Stok penyangga tidak boleh negatif"),
    ],
)
def test_it_rejects_negative_parameters(arguments, message):
    parameters = {"buffer_stock": 0, "lead_time_months": 1, "remaining_stock": 0} | arguments
    with pytest.raises(ValueError, match=message):
        consumption_plan(year_of_use(), **parameters)


def test_it_rejects_a_negative_buffer_percentage():
    with pytest.raises(ValueError, match="Stok penyangga tidak boleh negatif"):
        BufferStock.percent_of_base(Decimal("-10"))


def test_it_refuses_floats():
    with pytest.raises(TypeError, match="bilangan bulat atau Decimal"):
        consumption_plan(year_of_use(), buffer_stock=0, lead_time_months=1.5, remaining_stock=0)
