"""Morbidity method (metode morbiditas), KMK 1645/2024 III.C.1.b.

    CT = (CE × T) + LTS + BS − Sisa Stok

CT         kebutuhan per periode waktu: the need for the period.
CE         "perhitungan standar pengobatan": the quantity the treatment standard
           (clinical pathway/PNPK) prescribes for the expected cases, per month. The KMK
           steps (III.C.1.b 1-5) build it from the morbidity pattern (cases per disease and
           age group) and the regimen (dose, frequency, duration). CE is per month because
           T is counted in months and the proxy-consumption method defines its CE as
           "kebutuhan 1 bulan berdasarkan standar pengobatan".
           Here CE = Σ cases per month × units per case per month, over ``CaseLoad`` lines
           (one per disease/age group that uses the medicine).
T          lama kebutuhan: the period, in months.
LTS        lead time stock; not defined again in III.C.1.b, so read as in the consumption
           method (D = lead time × average use): lead time (months) × CE.
BS         buffer stock, see ``buffer.BufferStock`` (percentages are of CE × T).
Sisa Stok  remaining stock, counted as in the consumption method (E): only stock that
           will be dispensed before expiry; lots are simulated FEFO at the rate CE.

CT is never below zero; see ``_plan.settle``.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from ._numbers import (
    Quantity,
    exact_decimal,
    format_number,
    non_negative,
    positive,
    to_decimal,
)
from ._plan import (
    PlanLine,
    describe_remaining,
    describe_settlement,
    resolve_remaining,
    rows_of,
    settle,
)
from .buffer import BufferStock, coerce_buffer
from .fefo import FefoResult, StockOnHand

PRB_DAYS_PER_MONTH = 30
"""A PRB prescription covers 30 days of medicine per monthly control visit."""


@dataclass(frozen=True)
class CaseLoad:
    """Expected cases of one disease/age group and what the standard gives each per month."""

    label: str
    cases_per_month: Quantity
    units_per_case: Quantity
    """Units of this medicine one case needs per month under the treatment standard."""

    def __post_init__(self) -> None:
        if not isinstance(self.label, str) or not self.label.strip():
            raise ValueError("Nama kelompok kasus tidak boleh kosong.")
        non_negative(self.cases_per_month, f"Jumlah kasus per bulan ({self.label})")
        non_negative(self.units_per_case, f"Jumlah obat per kasus ({self.label})")

    @classmethod
    def from_regimen(
        cls,
        label: str,
        *,
        cases_per_month: Quantity,
        units_per_dose: Quantity,
        doses_per_day: Quantity,
        days_per_month: Quantity = PRB_DAYS_PER_MONTH,
    ) -> "CaseLoad":
        """Units per case = dose × frequency × days of therapy in the month (III.C.1.b 4)."""
        dose = non_negative(units_per_dose, f"Jumlah unit per dosis ({label})")
        frequency = non_negative(doses_per_day, f"Frekuensi per hari ({label})")
        days = non_negative(days_per_month, f"Lama pemberian per bulan ({label})")
        return cls(label, cases_per_month, exact_decimal(dose * frequency * days))

    @property
    def monthly_need(self) -> Fraction:
        return Fraction(self.cases_per_month) * Fraction(self.units_per_case)


def monthly_need_from_cases(cases: Sequence[CaseLoad]) -> Fraction:
    """CE: Σ cases per month × units per case."""
    for case in cases:
        if not isinstance(case, CaseLoad):
            raise TypeError("Setiap baris kasus harus berupa CaseLoad.")
    return sum((case.monthly_need for case in cases), Fraction(0))


def case_rows(cases: Sequence[CaseLoad]) -> list[dict[str, object]]:
    return [
        {
            "label": case.label,
            "cases_per_month": to_decimal(Fraction(case.cases_per_month)),
            "units_per_case": to_decimal(Fraction(case.units_per_case)),
            "monthly_need": to_decimal(case.monthly_need),
        }
        for case in cases
    ]


def describe_cases(cases: Sequence[CaseLoad]) -> str:
    return " + ".join(
        f"{format_number(Fraction(case.cases_per_month))} kasus × "
        f"{format_number(Fraction(case.units_per_case))} ({case.label})"
        for case in cases
    )


@dataclass(frozen=True)
class MorbidityPlan:
    cases: tuple[CaseLoad, ...]
    monthly_need: Decimal
    """CE."""
    period_months: Decimal
    """T."""
    base_need: Decimal
    """CE × T."""
    lead_time_months: Decimal
    lead_time_stock: Decimal
    """LTS."""
    buffer_stock: Decimal
    """BS."""
    usable_remaining_stock: Decimal
    """Sisa Stok."""
    fefo: FefoResult | None
    calculated_need: Decimal
    planned_need: Decimal
    """CT, floored at zero."""
    planned_need_units: int
    excess_stock: Decimal
    explanation: str

    def case_rows(self) -> list[dict[str, object]]:
        return case_rows(self.cases)

    def as_rows(self) -> list[dict[str, object]]:
        return rows_of(
            PlanLine("CE", "Kebutuhan per bulan menurut standar pengobatan", self.monthly_need),
            PlanLine("T", "Lama kebutuhan (bulan)", self.period_months),
            PlanLine("CE × T", "Kebutuhan selama periode", self.base_need),
            PlanLine("LTS", "Stok waktu tunggu (lead time stock)", self.lead_time_stock),
            PlanLine("BS", "Stok penyangga (buffer stock)", self.buffer_stock),
            PlanLine(
                "Sisa Stok", "Sisa stok yang masih dapat digunakan", self.usable_remaining_stock
            ),
            PlanLine("CT", "Kebutuhan per periode", self.planned_need),
        )


def morbidity_plan(
    cases: Sequence[CaseLoad],
    *,
    buffer_stock: Quantity | BufferStock,
    lead_time_months: Quantity,
    remaining_stock: Quantity | StockOnHand,
    period_months: Quantity = 12,
) -> MorbidityPlan:
    """Plan a medicine's need from expected cases with CT = (CE × T) + LTS + BS − Sisa Stok."""
    if not cases:
        raise ValueError("Metode morbiditas memerlukan minimal satu kelompok kasus.")
    monthly = monthly_need_from_cases(cases)
    period = positive(period_months, "Lama kebutuhan (bulan)")
    lead_time = non_negative(lead_time_months, "Lead time (bulan)")
    buffer = coerce_buffer(buffer_stock)

    base = monthly * period
    lead_time_stock = lead_time * monthly
    buffered = buffer.resolve(monthly_use=monthly, base_need=base)
    remaining = resolve_remaining(remaining_stock, monthly_use=monthly)
    need = settle(base + lead_time_stock + buffered - remaining.usable)

    explanation = " ".join(
        part
        for part in (
            "Metode morbiditas (KMK 1645/2024 III.C.1.b): CT = (CE × T) + LTS + BS − Sisa Stok.",
            f"CE (kebutuhan per bulan menurut standar pengobatan) = {describe_cases(cases)}"
            f" = {format_number(monthly)}.",
            f"CE × T = {format_number(monthly)} × {format_number(period)} bulan"
            f" = {format_number(base)}.",
            f"LTS (stok waktu tunggu) = {format_number(lead_time)} bulan × {format_number(monthly)}"
            f" = {format_number(lead_time_stock)}.",
            "BS (stok penyangga) = "
            + buffer.describe(
                monthly_use=monthly, monthly_label="CE", base_need=base, base_label="CE × T"
            )
            + f" = {format_number(buffered)}.",
            describe_remaining("Sisa stok yang masih dapat digunakan", remaining),
            f"CT = {format_number(base)} + {format_number(lead_time_stock)}"
            f" + {format_number(buffered)} − {format_number(remaining.usable)}"
            f" = {format_number(need.calculated)}.",
            describe_settlement("CT", need),
        )
        if part
    )

    return MorbidityPlan(
        cases=tuple(cases),
        monthly_need=to_decimal(monthly),
        period_months=to_decimal(period),
        base_need=to_decimal(base),
        lead_time_months=to_decimal(lead_time),
        lead_time_stock=to_decimal(lead_time_stock),
        buffer_stock=to_decimal(buffered),
        usable_remaining_stock=to_decimal(remaining.usable),
        fefo=remaining.fefo,
        calculated_need=to_decimal(need.calculated),
        planned_need=to_decimal(need.planned),
        planned_need_units=need.units,
        excess_stock=to_decimal(need.excess),
        explanation=explanation,
    )
