"""Steps shared by the three need formulas of KMK 1645/2024 III.C.1.

Each formula adds its terms to a gross need, then ``settle_against`` takes off the
remaining stock that will still be used and floors the result at zero; ``NeedPlan``
holds what all three plans report about that last step.
"""

import math
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any, Self

from ._numbers import Quantity, format_number, non_negative, to_decimal
from .fefo import FefoResult, StockOnHand, simulate_fefo

BUFFER_LABEL = "Stok penyangga (buffer stock)"
LEAD_TIME_LABEL = "Stok waktu tunggu (lead time stock)"
REMAINING_LABEL = "Sisa stok yang masih dapat digunakan"


@dataclass(frozen=True)
class PlanLine:
    """One term of a need formula, for the table beside the explanation."""

    symbol: str
    label: str
    value: Decimal

    def as_dict(self) -> dict[str, object]:
        return {"symbol": self.symbol, "label": self.label, "value": self.value}


def require_name(value: object, message: str) -> None:
    """A case group or a facility must be named: ``message`` when the name is blank."""
    if not isinstance(value, str) or not value.strip():
        raise ValueError(message)


@dataclass(frozen=True)
class Remaining:
    usable: Fraction
    fefo: FefoResult | None


def resolve_remaining(
    remaining_stock: Quantity | StockOnHand, *, monthly_use: Fraction
) -> Remaining:
    """A plain number is taken as already usable; lots go through the FEFO simulation."""
    if isinstance(remaining_stock, StockOnHand):
        fefo = simulate_fefo(remaining_stock, monthly_use=monthly_use)
        return Remaining(Fraction(fefo.usable_quantity), fefo)
    return Remaining(non_negative(remaining_stock, "Sisa stok"), None)


@dataclass(frozen=True)
class Need:
    calculated: Fraction
    """The formula's value, negative when the usable stock exceeds the need."""
    planned: Fraction
    units: int
    excess: Fraction


def settle(calculated: Fraction) -> Need:
    # A negative result means the stock on hand covers the period with some left over;
    # nothing is ordered (one cannot order a negative amount) and the surplus is reported
    # so that the district can move it to a facility short of it (KMK III.C.5).
    planned = max(calculated, Fraction(0))
    return Need(
        calculated=calculated,
        planned=planned,
        # Orders are in whole dispensing units; a fraction of a tablet is ordered as one.
        units=math.ceil(planned),
        excess=max(-calculated, Fraction(0)),
    )


@dataclass(frozen=True)
class Settlement:
    """A gross need less the usable remaining stock, floored at zero."""

    remaining: Remaining
    need: Need

    def describe_remaining(self, symbol: str) -> str:
        text = f"{symbol} = {format_number(self.remaining.usable)}"
        if self.remaining.fefo is not None:
            text += f": {self.remaining.fefo.explanation}"
        return text + "."

    def describe_need(self, symbol: str) -> str:
        need = self.need
        if need.calculated < 0:
            return (
                f"Hasil perhitungan negatif ({format_number(need.calculated)}): rencana"
                f" kebutuhan tidak boleh kurang dari nol sehingga {symbol} = 0. Kelebihan stok"
                f" {format_number(need.excess)} unit dapat dipertimbangkan untuk redistribusi."
            )
        if need.units != need.planned:
            return f"Dibulatkan ke atas menjadi {need.units} unit."
        return ""


def settle_against(
    remaining_stock: Quantity | StockOnHand, *, monthly_use: Fraction, gross_need: Fraction
) -> Settlement:
    """``gross_need`` less the remaining stock that will be used at ``monthly_use``."""
    remaining = resolve_remaining(remaining_stock, monthly_use=monthly_use)
    return Settlement(remaining, settle(gross_need - remaining.usable))


@dataclass(frozen=True)
class NeedPlan:
    """What the three need formulas share: buffer, usable remaining stock, the need."""

    buffer_stock: Decimal
    usable_remaining_stock: Decimal
    """Stock on hand that will be dispensed before it expires (E, Sisa Stok)."""
    fefo: FefoResult | None
    """The lot-by-lot FEFO simulation when the remaining stock was derived from lots."""
    calculated_need: Decimal
    """The formula as computed; negative when the stock exceeds the need."""
    planned_need: Decimal
    """The calculated need, floored at zero."""
    planned_need_units: int
    """The planned need rounded up to whole units."""
    excess_stock: Decimal
    explanation: str

    @classmethod
    def settled(
        cls,
        *,
        buffered: Fraction,
        settlement: Settlement,
        explained: Iterable[str],
        **terms: Any,
    ) -> Self:
        """The plan with its own ``terms``; ``explained``: its sentences, empty ones left out."""
        need = settlement.need
        return cls(
            buffer_stock=to_decimal(buffered),
            usable_remaining_stock=to_decimal(settlement.remaining.usable),
            fefo=settlement.remaining.fefo,
            calculated_need=to_decimal(need.calculated),
            planned_need=to_decimal(need.planned),
            planned_need_units=need.units,
            excess_stock=to_decimal(need.excess),
            explanation=" ".join(part for part in explained if part),
            **terms,
        )

    def rows(self, *lines: PlanLine) -> list[dict[str, object]]:
        return [line.as_dict() for line in lines]

    def buffer_line(self, symbol: str) -> PlanLine:
        return PlanLine(symbol, BUFFER_LABEL, self.buffer_stock)

    def remaining_line(self, symbol: str) -> PlanLine:
        return PlanLine(symbol, REMAINING_LABEL, self.usable_remaining_stock)

    def need_line(self, symbol: str, label: str) -> PlanLine:
        return PlanLine(symbol, label, self.planned_need)
