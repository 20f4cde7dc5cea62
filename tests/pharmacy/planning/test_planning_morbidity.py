"""Morbidity method, KMK 1645/2024 III.C.1.b: CT = (CE × T) + LTS + BS − Sisa Stok."""

from datetime import date
from decimal import Decimal

import pytest

from pharmacy.planning import (
    BufferStock,
    CaseLoad,
    StockLot,
    StockOnHand,
    monthly_need_from_cases,
    morbidity_plan,
)


def amlodipine_cases() -> list[CaseLoad]:
    return [
        # 120 hypertensive adults a month, 1 tablet a day for 30 days.
        CaseLoad("Hipertensi dewasa", cases_per_month=120, units_per_case=30),
        # 20 a month on 2 tablets a day: 2 × 1 × 30 = 60 tablets per case.
        CaseLoad.from_regimen(
            "Hipertensi dengan komplikasi", cases_per_month=20, units_per_dose=2, doses_per_day=1
        ),
    ]


def test_units_per_case_come_from_dose_frequency_and_days():
    case = CaseLoad.from_regimen(
        "Diabetes", cases_per_month=10, units_per_dose=Decimal("0.5"), doses_per_day=3
    )

    # 0.5 tablet × 3 a day × 30 days = 45 tablets per case; 10 cases → 450 a month.
    assert case.units_per_case == 45
    assert case.monthly_need == 450


def test_ce_sums_every_case_group():
    # 120 × 30 + 20 × 60 = 3600 + 1200 = 4800.
    assert monthly_need_from_cases(amlodipine_cases()) == 4800


def test_it_computes_every_term_of_the_formula():
    plan = morbidity_plan(
        amlodipine_cases(),
        buffer_stock=BufferStock.percent_of_base(10),
        lead_time_months=1,
        remaining_stock=2000,
    )

    # CE = 4800; T = 12; CE × T = 57600; LTS = 1 × 4800 = 4800;
    # BS = 10% × 57600 = 5760; Sisa = 2000; CT = 57600 + 4800 + 5760 − 2000 = 66160.
    expected = {
        "monthly_need": 4800,
        "period_months": 12,
        "base_need": 57600,
        "lead_time_stock": 4800,
        "buffer_stock": 5760,
        "usable_remaining_stock": 2000,
        "planned_need": 66160,
        "planned_need_units": 66160,
        "excess_stock": 0,
    }
    assert {term: getattr(plan, term) for term in expected} == expected
    assert "KMK 1645/2024 III.C.1.b" in plan.explanation
    assert "CE (kebutuhan per bulan menurut standar pengobatan) = 120 kasus × 30" in (
        plan.explanation
    )
    assert "CT = 57600 + 4800 + 5760 − 2000 = 66160." in plan.explanation
    assert [row["monthly_need"] for row in plan.case_rows()] == [
        Decimal("3600.00"),
        Decimal("1200.00"),
    ]
    assert [row["symbol"] for row in plan.as_rows()] == [
        "CE",
        "T",
        "CE × T",
        "LTS",
        "BS",
        "Sisa Stok",
        "CT",
    ]


def test_a_half_year_with_a_month_of_buffer():
    plan = morbidity_plan(
        [CaseLoad("Epilepsi", cases_per_month=15, units_per_case=60)],
        buffer_stock=BufferStock.months_of_use(1),
        lead_time_months=Decimal("0.5"),
        remaining_stock=300,
        period_months=6,
    )

    # CE = 15 × 60 = 900; CE × T = 5400; LTS = 0.5 × 900 = 450; BS = 900;
    # CT = 5400 + 450 + 900 − 300 = 6450.
    assert plan.planned_need == 6450


def test_remaining_lots_are_simulated_at_the_rate_ce():
    stock = StockOnHand(
        [StockLot(200, date(2025, 1, 11)), StockLot(100, date(2026, 1, 1))],
        as_of=date(2025, 1, 1),
    )

    plan = morbidity_plan(
        [CaseLoad("Asma", cases_per_month=1, units_per_case=487)],
        buffer_stock=0,
        lead_time_months=0,
        remaining_stock=stock,
    )

    # CE = 487/month = 16/day: first lot 10 days × 16 = 160 of 200; second lot all 100.
    # Sisa = 260; CT = 487 × 12 − 260 = 5844 − 260 = 5584.
    assert plan.usable_remaining_stock == 260
    assert plan.planned_need == 5584


def test_it_floors_the_need_at_zero():
    plan = morbidity_plan(
        [CaseLoad("SLE", cases_per_month=2, units_per_case=30)],
        buffer_stock=0,
        lead_time_months=1,
        remaining_stock=1000,
    )

    # CE = 60; CE × T = 720; LTS = 60; 720 + 60 − 1000 = −220 → CT = 0, excess 220.
    assert plan.calculated_need == -220
    assert plan.planned_need == 0
    assert plan.excess_stock == 220
    assert "sehingga CT = 0" in plan.explanation


def test_it_needs_at_least_one_case_group():
    with pytest.raises(ValueError, match="minimal satu kelompok kasus"):
        morbidity_plan([], buffer_stock=0, lead_time_months=1, remaining_stock=0)


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (
            {"cases_per_month": -1, "units_per_case": 30},
            "Jumlah kasus per bulan \\(Stroke\\) tidak boleh negatif",
        ),
        (
            {"cases_per_month": 5, "units_per_case": -30},
            "Jumlah obat per kasus \\(Stroke\\) tidak boleh negatif",
        ),
    ],
)
def test_it_rejects_negative_case_figures(arguments, message):
    with pytest.raises(ValueError, match=message):
        CaseLoad("Stroke", **arguments)


def test_it_rejects_a_case_group_without_a_name():
    with pytest.raises(ValueError, match="Nama kelompok kasus tidak boleh kosong"):
        CaseLoad(" ", cases_per_month=1, units_per_case=1)


def test_it_rejects_a_negative_lead_time():
    with pytest.raises(ValueError, match="Lead time \\(bulan\\) tidak boleh negatif"):
        morbidity_plan(amlodipine_cases(), buffer_stock=0, lead_time_months=-1, remaining_stock=0)
