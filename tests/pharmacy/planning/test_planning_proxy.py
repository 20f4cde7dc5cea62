"""Proxy consumption, KMK 1645/2024 III.C.1.c: C = (CA + CE) × T + BS − Sisa Stok."""

from datetime import date
from decimal import Decimal

import pytest

from pharmacy.planning import (
    BufferStock,
    CaseLoad,
    MonthlyUsage,
    ProxyFacility,
    proxy_consumption_plan,
)

NEW_PATIENTS = [CaseLoad("Pasien PRB baru", cases_per_month=10, units_per_case=30)]


def own_history() -> list[MonthlyUsage]:
    return [
        MonthlyUsage(date(2024, 1, 1), 300),
        MonthlyUsage(date(2024, 2, 1), 120, stock_out_days=12),
        MonthlyUsage(date(2024, 3, 1), 300),
    ]


def test_ca_from_own_history_plus_ce_for_new_cases():
    plan = proxy_consumption_plan(
        usage_history=own_history(),
        new_cases=NEW_PATIENTS,
        buffer_stock=BufferStock.months_of_use(1),
        remaining_stock=500,
    )

    # CA = (300 + 300) ÷ 2 = 300 (February ran out, left out);
    # CE = 10 × 30 = 300; (CA + CE) × T = 600 × 12 = 7200;
    # BS = 1 month × (CA + CE) = 600; C = 7200 + 600 − 500 = 7300.
    assert plan.source == "riwayat pemakaian"
    assert plan.average_monthly_use == 300
    assert plan.months_excluded == (date(2024, 2, 1),)
    assert plan.monthly_need_new_cases == 300
    assert plan.base_need == 7200
    assert plan.buffer_stock == 600
    assert plan.planned_need == 7300
    assert plan.planned_need_units == 7300
    assert "KMK 1645/2024 III.C.1.c" in plan.explanation
    assert "C kombinasi = 7200 + 600 − 500 = 7300." in plan.explanation
    assert [row["symbol"] for row in plan.as_rows()] == [
        "CA",
        "CE",
        "T",
        "(CA + CE) × T",
        "BS",
        "Sisa Stok",
        "C kombinasi",
    ]


def test_ca_extrapolated_from_a_similar_facility():
    proxy = ProxyFacility(
        "Puskesmas Binjai Kota", average_monthly_use=900, coverage=3000, own_coverage=1000
    )

    plan = proxy_consumption_plan(
        proxy_facility=proxy,
        new_cases=NEW_PATIENTS,
        buffer_stock=BufferStock.percent_of_base(5),
        remaining_stock=560,
    )

    # CA = 900 × 1000 ÷ 3000 = 300; CE = 300; (300 + 300) × 12 = 7200;
    # BS = 5% × 7200 = 360; C = 7200 + 360 − 560 = 7000.
    assert plan.source == "Puskesmas Binjai Kota"
    assert plan.average_monthly_use == 300
    assert plan.months_excluded == ()
    assert plan.buffer_stock == 360
    assert plan.planned_need == 7000
    assert "CA (ekstrapolasi dari Puskesmas Binjai Kota) = 900 × 1000 ÷ 3000 = 300" in (
        plan.explanation
    )


def test_without_new_cases_ce_is_zero():
    plan = proxy_consumption_plan(
        usage_history=own_history(), buffer_stock=0, remaining_stock=0, period_months=6
    )

    # (300 + 0) × 6 = 1800.
    assert plan.monthly_need_new_cases == 0
    assert plan.planned_need == 1800
    assert "CE = 0" in plan.explanation


def test_a_fractional_extrapolation_is_rounded_up():
    proxy = ProxyFacility("Klinik X", average_monthly_use=100, coverage=3, own_coverage=1)

    plan = proxy_consumption_plan(
        proxy_facility=proxy, buffer_stock=0, remaining_stock=0, period_months=1
    )

    # CA = 100 × 1 ÷ 3 = 33.333…; × 1 month → shown 33.33, ordered 34.
    assert plan.planned_need == Decimal("33.33")
    assert plan.planned_need_units == 34


def test_it_floors_the_need_at_zero():
    plan = proxy_consumption_plan(usage_history=own_history(), buffer_stock=0, remaining_stock=4000)

    # 300 × 12 = 3600; 3600 − 4000 = −400 → 0, excess 400.
    assert plan.calculated_need == -400
    assert plan.planned_need == 0
    assert plan.excess_stock == 400


def test_it_needs_exactly_one_source_for_ca():
    proxy = ProxyFacility("Klinik X", average_monthly_use=100, coverage=3, own_coverage=1)

    with pytest.raises(ValueError, match="Isi tepat satu sumber CA"):
        proxy_consumption_plan(buffer_stock=0, remaining_stock=0)
    with pytest.raises(ValueError, match="Isi tepat satu sumber CA"):
        proxy_consumption_plan(
            usage_history=own_history(), proxy_facility=proxy, buffer_stock=0, remaining_stock=0
        )


def test_it_rejects_an_empty_own_history():
    with pytest.raises(ValueError, match="Riwayat pemakaian obat tidak boleh kosong"):
        proxy_consumption_plan(usage_history=[], buffer_stock=0, remaining_stock=0)


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"average_monthly_use": -1}, "Pemakaian rata-rata Klinik X tidak boleh negatif"),
        ({"coverage": 0}, "Cakupan Klinik X harus lebih dari nol"),
        ({"own_coverage": -5}, "Cakupan fasyankes sendiri tidak boleh negatif"),
    ],
)
def test_it_rejects_invalid_proxy_figures(arguments, message):
    figures = {"average_monthly_use": 100, "coverage": 10, "own_coverage": 5} | arguments
    with pytest.raises(ValueError, match=message):
        ProxyFacility("Klinik X", **figures)
