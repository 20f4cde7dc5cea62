"""Proxy-consumption (combination) method, KMK 1645/2024 III.C.1.c.

    C kombinasi = (CA + CE) × T + BS − Sisa Stok

CA         pemakaian rata-rata per bulan: average monthly use. Either the facility's own
           history (stock-out months left out, as for B in III.C.1.a), or, for a facility
           with no usage data of its own, "extrapolation from another facility with
           similar characteristics" by "population coverage or level of service": the
           proxy facility's average × (own coverage ÷ proxy coverage), ``ProxyFacility``.
CE         perhitungan kebutuhan 1 bulan berdasarkan standar pengobatan: one month's need
           by the treatment standard for cases that the usage data does not yet reflect
           (e.g. patients newly back-referred or a program target added this period),
           as ``CaseLoad`` lines like the morbidity method. Patients already in CA must not
           be entered again in CE. CE may be empty: the plan then rests on CA alone.
T          lama kebutuhan: the period, in months.
BS         buffer stock, see ``buffer.BufferStock`` (percentages are of (CA + CE) × T).
Sisa Stok  remaining usable stock, as E in III.C.1.a; lots are simulated FEFO at CA + CE.

The formula as printed has no lead-time stock, and none is added here; a facility that
needs one sizes BS to cover it. The result is never below zero; see ``_plan.settle``.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction

from ._numbers import Quantity, format_number, non_negative, positive, to_decimal
from ._plan import PlanLine, require_name, settle_against
from .buffer import BufferStock, coerce_buffer
from .consumption import MonthlyUsage, average_monthly_use
from .fefo import StockOnHand
from .morbidity import CaseLoad, CasePlan, describe_cases, monthly_need_from_cases


@dataclass(frozen=True)
class ProxyFacility:
    """A similar facility whose use is scaled to this one's coverage.

    ``coverage`` and ``own_coverage`` are in the same unit: PRB patients served,
    population of the service area, or visits per month.
    """

    name: str
    average_monthly_use: Quantity
    coverage: Quantity
    own_coverage: Quantity

    def __post_init__(self) -> None:
        require_name(self.name, "Nama fasyankes pembanding tidak boleh kosong.")
        non_negative(self.average_monthly_use, f"Pemakaian rata-rata {self.name}")
        positive(self.coverage, f"Cakupan {self.name}")
        non_negative(self.own_coverage, "Cakupan fasyankes sendiri")

    @property
    def extrapolated_use(self) -> Fraction:
        return (
            Fraction(self.average_monthly_use)
            * Fraction(self.own_coverage)
            / Fraction(self.coverage)
        )

    def describe(self) -> str:
        return (
            f"CA (ekstrapolasi dari {self.name}) = {format_number(self.average_monthly_use)}"
            f" × {format_number(self.own_coverage)} ÷ {format_number(self.coverage)}"
            f" = {format_number(self.extrapolated_use)} per bulan."
        )


@dataclass(frozen=True)
class ProxyConsumptionPlan(CasePlan):
    """C kombinasi = (CA + CE) × T + BS − Sisa Stok: CA ``average_monthly_use``,
    CE ``monthly_need_new_cases`` (from ``cases``), T ``period_months``, BS ``buffer_stock``,
    Sisa Stok ``usable_remaining_stock`` and C kombinasi ``planned_need``."""

    source: str
    """Where CA came from: "riwayat pemakaian" or the proxy facility's name."""
    average_monthly_use: Decimal
    months_excluded: tuple[date, ...]
    """Own-history months left out for stock-outs (empty for a proxy facility)."""
    monthly_need_new_cases: Decimal
    period_months: Decimal
    base_need: Decimal
    """(CA + CE) × T."""

    def as_rows(self) -> list[dict[str, object]]:
        return self.rows(
            PlanLine("CA", "Pemakaian rata-rata per bulan", self.average_monthly_use),
            PlanLine(
                "CE", "Kebutuhan 1 bulan menurut standar pengobatan", self.monthly_need_new_cases
            ),
            PlanLine("T", "Lama kebutuhan (bulan)", self.period_months),
            PlanLine("(CA + CE) × T", "Kebutuhan selama periode", self.base_need),
            self.buffer_line("BS"),
            self.remaining_line("Sisa Stok"),
            self.need_line("C kombinasi", "Rencana kebutuhan"),
        )


def proxy_consumption_plan(
    *,
    usage_history: Sequence[MonthlyUsage] | None = None,
    proxy_facility: ProxyFacility | None = None,
    new_cases: Sequence[CaseLoad] = (),
    buffer_stock: Quantity | BufferStock,
    remaining_stock: Quantity | StockOnHand,
    period_months: Quantity = 12,
) -> ProxyConsumptionPlan:
    """Plan with C kombinasi = (CA + CE) × T + BS − Sisa Stok.

    CA comes from exactly one of ``usage_history`` (own data) or ``proxy_facility``.
    """
    one_source = "Isi tepat satu sumber CA: riwayat pemakaian sendiri atau fasyankes pembanding."
    months_excluded: tuple[date, ...] = ()
    if proxy_facility is not None:
        if usage_history is not None:
            raise ValueError(one_source)
        average = proxy_facility.extrapolated_use
        source = proxy_facility.name
        describe_average = proxy_facility.describe()
    else:
        if usage_history is None:
            raise ValueError(one_source)
        usage = average_monthly_use(usage_history)
        average = usage.exact
        months_excluded = usage.months_excluded
        source = "riwayat pemakaian"
        describe_average = "CA: " + usage.describe()

    monthly_new = monthly_need_from_cases(new_cases)
    period = positive(period_months, "Lama kebutuhan (bulan)")
    buffer = coerce_buffer(buffer_stock)

    monthly = average + monthly_new
    base = monthly * period
    buffered = buffer.resolve(monthly_use=monthly, base_need=base)
    settlement = settle_against(remaining_stock, monthly_use=monthly, gross_need=base + buffered)

    if new_cases:
        describe_new = (
            f"CE (kebutuhan 1 bulan menurut standar pengobatan untuk kasus baru)"
            f" = {describe_cases(new_cases)} = {format_number(monthly_new)}."
        )
    else:
        describe_new = "CE = 0 (tidak ada kasus baru di luar data pemakaian)."
    explained = (
        "Metode proxy consumption/kombinasi (KMK 1645/2024 III.C.1.c):"
        " C kombinasi = (CA + CE) × T + BS − Sisa Stok.",
        describe_average,
        describe_new,
        f"(CA + CE) × T = ({format_number(average)} + {format_number(monthly_new)})"
        f" × {format_number(period)} bulan = {format_number(base)}.",
        "BS (stok penyangga) = "
        + buffer.describe(
            monthly_use=monthly,
            monthly_label="(CA + CE)",
            base_need=base,
            base_label="(CA + CE) × T",
        )
        + f" = {format_number(buffered)}.",
        settlement.describe_remaining("Sisa stok yang masih dapat digunakan"),
        f"C kombinasi = {format_number(base)} + {format_number(buffered)}"
        f" − {format_number(settlement.remaining.usable)} = {format_number(settlement.need.calculated)}.",
        settlement.describe_need("C kombinasi"),
    )
    return ProxyConsumptionPlan.settled(
        source=source,
        average_monthly_use=to_decimal(average),
        months_excluded=months_excluded,
        cases=tuple(new_cases),
        monthly_need_new_cases=to_decimal(monthly_new),
        period_months=to_decimal(period),
        base_need=to_decimal(base),
        buffered=buffered,
        settlement=settlement,
        explained=explained,
    )
