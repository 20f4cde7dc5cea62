"""Consumption method (metode konsumsi), KMK 1645/2024 III.C.1.a.

    A = (B + C + D) − E

A  rencana kebutuhan: the quantity to plan/order for the period.
B  stok kerja: average monthly use × the period (12 months in the KMK). "If the medicine
   has ever run out, the working stock is based on the average use over the service
   period in which the medicine was available": every month with a stock-out, whether
   recorded as a flag or as a number of stock-out days, is left out of the average,
   because its usage understates demand.
C  buffer stock (stok penyangga), see ``buffer.BufferStock``.
D  lead time stock = lead time (months) × average monthly use.
E  sisa stok yang masih dapat digunakan: a number already known to be usable, or the
   lots on hand, from which ``fefo`` keeps only what will be dispensed before expiry.

A is never below zero; see ``_plan.settle``.
"""

import calendar
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction

from ._numbers import Quantity, format_month, format_number, non_negative, positive, to_decimal
from ._plan import LEAD_TIME_LABEL, NeedPlan, PlanLine, settle_against
from .buffer import BufferStock, coerce_buffer
from .fefo import StockOnHand


@dataclass(frozen=True)
class MonthlyUsage:
    """One month of the stock card: units dispensed and whether the medicine ran out.

    Give ``stock_out_days`` when the stock card shows how many days the stock was zero,
    or only ``stocked_out=True`` when just the fact is known; either leaves the month out
    of the average. ``month`` may be any day of the month; it is kept as the 1st.
    """

    month: date
    quantity_used: Quantity
    stocked_out: bool = False
    stock_out_days: int = 0

    def __post_init__(self) -> None:
        if not isinstance(self.month, date):
            raise TypeError("Bulan pemakaian harus berupa tanggal.")
        object.__setattr__(self, "month", date(self.month.year, self.month.month, 1))
        label = format_month(self.month)
        non_negative(self.quantity_used, f"Jumlah pemakaian bulan {label}")
        if not isinstance(self.stocked_out, bool):
            raise TypeError(f"Penanda kekosongan bulan {label} harus True atau False.")
        if isinstance(self.stock_out_days, bool) or not isinstance(self.stock_out_days, int):
            raise TypeError(f"Jumlah hari kekosongan bulan {label} harus bilangan bulat.")
        days_in_month = calendar.monthrange(self.month.year, self.month.month)[1]
        if not 0 <= self.stock_out_days <= days_in_month:
            raise ValueError(
                f"Jumlah hari kekosongan bulan {label} harus antara 0 dan {days_in_month}"
                f" (diisi {self.stock_out_days})."
            )

    @property
    def had_stock_out(self) -> bool:
        return self.stocked_out or self.stock_out_days > 0


@dataclass(frozen=True)
class UsageAverage:
    """Average monthly use over the months in which the medicine was available."""

    months_counted: tuple[date, ...]
    months_excluded: tuple[date, ...]
    """Months with a stock-out, left out of the average (KMK III.C.1.a, B)."""
    total_counted_use: Decimal

    @property
    def exact(self) -> Fraction:
        return Fraction(self.total_counted_use) / len(self.months_counted)

    @property
    def average_monthly_use(self) -> Decimal:
        return to_decimal(self.exact)

    def describe(self) -> str:
        text = (
            f"Pemakaian rata-rata {format_number(self.exact)} per bulan"
            f" = {format_number(self.total_counted_use)} ÷ {len(self.months_counted)} bulan"
            " saat obat tersedia"
        )
        if self.months_excluded:
            months = ", ".join(format_month(month) for month in self.months_excluded)
            text += (
                f"; {len(self.months_excluded)} bulan dengan kekosongan obat tidak dihitung"
                f" ({months})"
            )
        return text + "."


def average_monthly_use(history: Sequence[MonthlyUsage]) -> UsageAverage:
    if not history:
        raise ValueError("Riwayat pemakaian obat tidak boleh kosong.")
    seen: set[date] = set()
    for usage in history:
        if not isinstance(usage, MonthlyUsage):
            raise TypeError("Setiap baris riwayat pemakaian harus berupa MonthlyUsage.")
        if usage.month in seen:
            raise ValueError(f"Bulan {format_month(usage.month)} tercatat lebih dari sekali.")
        seen.add(usage.month)

    ordered = sorted(history, key=lambda usage: usage.month)
    counted = [usage for usage in ordered if not usage.had_stock_out]
    if not counted:
        raise ValueError(
            "Semua bulan dalam riwayat mengalami kekosongan obat; pemakaian rata-rata tidak"
            " dapat dihitung dengan metode konsumsi. Gunakan metode morbiditas atau proxy"
            " consumption."
        )
    return UsageAverage(
        months_counted=tuple(usage.month for usage in counted),
        months_excluded=tuple(usage.month for usage in ordered if usage.had_stock_out),
        total_counted_use=sum((Decimal(usage.quantity_used) for usage in counted), Decimal(0)),
    )


@dataclass(frozen=True)
class ConsumptionPlan(NeedPlan):
    """A = (B + C + D) − E: B ``working_stock``, C ``buffer_stock``, D ``lead_time_stock``,
    E ``usable_remaining_stock`` and A ``planned_need``."""

    average_monthly_use: Decimal
    months_counted: int
    months_excluded: tuple[date, ...]
    period_months: Decimal
    working_stock: Decimal
    lead_time_months: Decimal
    lead_time_stock: Decimal

    def as_rows(self) -> list[dict[str, object]]:
        return self.rows(
            PlanLine("", "Pemakaian rata-rata per bulan", self.average_monthly_use),
            PlanLine("B", "Stok kerja (pemakaian rata-rata × periode)", self.working_stock),
            self.buffer_line("C"),
            PlanLine("D", LEAD_TIME_LABEL, self.lead_time_stock),
            self.remaining_line("E"),
            self.need_line("A", "Rencana kebutuhan"),
        )


def consumption_plan(
    history: Sequence[MonthlyUsage],
    *,
    buffer_stock: Quantity | BufferStock,
    lead_time_months: Quantity,
    remaining_stock: Quantity | StockOnHand,
    period_months: Quantity = 12,
) -> ConsumptionPlan:
    """Plan a medicine's need for ``period_months`` with A = (B + C + D) − E.

    ``buffer_stock``: a number of units or a ``BufferStock`` (percentages are of B).
    ``remaining_stock``: usable units, or a ``StockOnHand`` whose lots are run through
    the FEFO simulation at the average monthly use.
    """
    usage = average_monthly_use(history)
    average = usage.exact
    period = positive(period_months, "Periode perencanaan (bulan)")
    lead_time = non_negative(lead_time_months, "Lead time (bulan)")
    buffer = coerce_buffer(buffer_stock)

    working = average * period
    buffered = buffer.resolve(monthly_use=average, base_need=working)
    lead_time_stock = lead_time * average
    settlement = settle_against(
        remaining_stock, monthly_use=average, gross_need=working + buffered + lead_time_stock
    )

    explained = (
        "Metode konsumsi (KMK 1645/2024 III.C.1.a): A = (B + C + D) − E.",
        usage.describe(),
        f"B (stok kerja) = {format_number(average)} × {format_number(period)} bulan"
        f" = {format_number(working)}.",
        "C (stok penyangga) = "
        + buffer.describe(
            monthly_use=average,
            monthly_label="pemakaian rata-rata",
            base_need=working,
            base_label="B",
        )
        + f" = {format_number(buffered)}.",
        f"D (stok waktu tunggu) = {format_number(lead_time)} bulan × {format_number(average)}"
        f" = {format_number(lead_time_stock)}.",
        settlement.describe_remaining("E (sisa stok yang masih dapat digunakan)"),
        f"A = ({format_number(working)} + {format_number(buffered)}"
        f" + {format_number(lead_time_stock)}) − {format_number(settlement.remaining.usable)}"
        f" = {format_number(settlement.need.calculated)}.",
        settlement.describe_need("A"),
    )
    return ConsumptionPlan.settled(
        average_monthly_use=usage.average_monthly_use,
        months_counted=len(usage.months_counted),
        months_excluded=usage.months_excluded,
        period_months=to_decimal(period),
        working_stock=to_decimal(working),
        lead_time_months=to_decimal(lead_time),
        lead_time_stock=to_decimal(lead_time_stock),
        buffered=buffered,
        settlement=settlement,
        explained=explained,
    )
