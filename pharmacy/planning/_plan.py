"""Steps shared by the three need formulas of KMK 1645/2024 III.C.1."""

import math
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from ._numbers import Quantity, format_number, non_negative
from .fefo import FefoResult, StockOnHand, simulate_fefo


@dataclass(frozen=True)
class PlanLine:
    """One term of a need formula, for the table beside the explanation."""

    symbol: str
    label: str
    value: Decimal

    def as_dict(self) -> dict[str, object]:
        return {"symbol": self.symbol, "label": self.label, "value": self.value}


def rows_of(*lines: PlanLine) -> list[dict[str, object]]:
    return [planned.as_dict() for planned in lines]


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


def describe_remaining(symbol: str, remaining: Remaining) -> str:
    text = f"{symbol} = {format_number(remaining.usable)}"
    if remaining.fefo is not None:
        text += f": {remaining.fefo.explanation}"
    return text + "."


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


def describe_settlement(symbol: str, need: Need) -> str:
    if need.calculated < 0:
        return (
            f"Hasil perhitungan negatif ({format_number(need.calculated)}): rencana kebutuhan"
            f" tidak boleh kurang dari nol sehingga {symbol} = 0. Kelebihan stok"
            f" {format_number(need.excess)} unit dapat dipertimbangkan untuk redistribusi."
        )
    if need.units != need.planned:
        return f"Dibulatkan ke atas menjadi {need.units} unit."
    return ""
