"""Buffer stock (stok penyangga): C in the consumption method, BS in the morbidity and
proxy-consumption methods (KMK 1645/2024 III.C.1.a-c).

The KMK leaves the size to the facility: it "depends on changes in the disease pattern,
rising cases or outbreaks, varying with the medicine's characteristics and the budget"
(III.C.1.a). So the pharmacist states it in one of three ways:

- a fixed number of units (``BufferStock.units(500)``, or simply the number ``500``);
- months of the monthly use or need (``BufferStock.months_of_use(1)``: one month's
  average use in the consumption method, one month's CE in the morbidity method, one
  month's CA + CE in the proxy-consumption method);
- a percentage of the need for the whole period (``BufferStock.percent_of_base(10)``:
  10% of B in the consumption method, of CE x T in the morbidity method, of
  (CA + CE) x T in the proxy-consumption method).
"""

from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction

from ._numbers import Quantity, as_fraction, format_number, non_negative


class BufferBasis(StrEnum):
    UNITS = "units"
    MONTHS_OF_USE = "months_of_use"
    PERCENT_OF_BASE = "percent_of_base"


@dataclass(frozen=True)
class BufferStock:
    basis: BufferBasis
    amount: Quantity

    def __post_init__(self) -> None:
        if not isinstance(self.basis, BufferBasis):
            raise TypeError("Dasar stok penyangga harus berupa BufferBasis.")
        non_negative(self.amount, "Stok penyangga")

    @classmethod
    def units(cls, quantity: Quantity) -> "BufferStock":
        return cls(BufferBasis.UNITS, quantity)

    @classmethod
    def months_of_use(cls, months: Quantity) -> "BufferStock":
        return cls(BufferBasis.MONTHS_OF_USE, months)

    @classmethod
    def percent_of_base(cls, percent: Quantity) -> "BufferStock":
        return cls(BufferBasis.PERCENT_OF_BASE, percent)

    def resolve(self, *, monthly_use: Fraction, base_need: Fraction) -> Fraction:
        amount = as_fraction(self.amount, "Stok penyangga")
        if self.basis is BufferBasis.UNITS:
            return amount
        if self.basis is BufferBasis.MONTHS_OF_USE:
            return amount * monthly_use
        return amount * base_need / 100

    def describe(
        self,
        *,
        monthly_use: Fraction,
        monthly_label: str,
        base_need: Fraction,
        base_label: str,
    ) -> str:
        """How the buffer was sized, in Indonesian, e.g. ``10% × B (1200)``."""
        amount = format_number(as_fraction(self.amount, "Stok penyangga"))
        if self.basis is BufferBasis.UNITS:
            return f"ditetapkan {amount} unit"
        if self.basis is BufferBasis.MONTHS_OF_USE:
            return f"{amount} bulan × {monthly_label} ({format_number(monthly_use)})"
        return f"{amount}% × {base_label} ({format_number(base_need)})"


def coerce_buffer(value: Quantity | BufferStock) -> BufferStock:
    """A plain number is a fixed number of units."""
    if isinstance(value, BufferStock):
        return value
    return BufferStock.units(value)
