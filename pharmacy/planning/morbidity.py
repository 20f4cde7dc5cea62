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

from ._numbers import Quantity, exact_decimal, format_number, non_negative, positive, to_decimal
from ._plan import LEAD_TIME_LABEL, NeedPlan, PlanLine, require_name, settle_against
from .buffer import BufferStock, coerce_buffer
from .fefo import StockOnHand

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
        require_name(self.label, "Nama kelompok kasus tidak boleh kosong.")
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
class CasePlan(NeedPlan):
    """A plan that counts need from case groups (morbidity, and CE of the proxy method)."""

    cases: tuple[CaseLoad, ...]

    def case_rows(self) -> list[dict[str, object]]:
        return case_rows(self.cases)


@dataclass(frozen=True)
class MorbidityPlan(CasePlan):
    """CT = (CE × T) + LTS + BS − Sisa Stok: CE ``monthly_need``, T ``period_months``,
    LTS ``lead_time_stock``, BS ``buffer_stock``, Sisa Stok ``usable_remaining_stock``
    and CT ``planned_need``."""

    monthly_need: Decimal
    period_months: Decimal
    base_need: Decimal
    """CE × T."""
    lead_time_months: Decimal
    lead_time_stock: Decimal

    def as_rows(self) -> list[dict[str, object]]:
        return self.rows(
            PlanLine("CE", "Kebutuhan per bulan menurut standar pengobatan", self.monthly_need),
            PlanLine("T", "Lama kebutuhan (bulan)", self.period_months),
            PlanLine("CE × T", "Kebutuhan selama periode", self.base_need),
            PlanLine("LTS", LEAD_TIME_LABEL, self.lead_time_stock),
            self.buffer_line("BS"),
            self.remaining_line("Sisa Stok"),
            self.need_line("CT", "Kebutuhan per periode"),
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
    settlement = settle_against(
        remaining_stock, monthly_use=monthly, gross_need=base + lead_time_stock + buffered
    )

    explained = (
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
        settlement.describe_remaining("Sisa stok yang masih dapat digunakan"),
        f"CT = {format_number(base)} + {format_number(lead_time_stock)}"
        f" + {format_number(buffered)} − {format_number(settlement.remaining.usable)}"
        f" = {format_number(settlement.need.calculated)}.",
        settlement.describe_need("CT"),
    )
    return MorbidityPlan.settled(
        cases=tuple(cases),
        monthly_need=to_decimal(monthly),
        period_months=to_decimal(period),
        base_need=to_decimal(base),
        lead_time_months=to_decimal(lead_time),
        lead_time_stock=to_decimal(lead_time_stock),
        buffered=buffered,
        settlement=settlement,
        explained=explained,
    )
