"""Remaining stock that will actually be used before it expires (KMK 1645/2024 III.C.1.a).

E in the consumption method is "sisa stok yang masih dapat digunakan", and the data the
KMK asks for include "waktu kedaluwarsa obat yang tersedia". Stock on hand that will
expire before it is dispensed is not usable stock, so counting it would under-order.

The simulation dispenses the lots first-expiry-first-out (FEFO) from the stock date on,
at a constant rate equal to the average monthly use:

- The daily rate is the monthly use divided by 30.4375 days (365.25 / 12, the mean
  Gregorian month), so the result does not depend on which calendar months follow.
- A lot may be dispensed on the stock date and on every day before its expiry date; the
  expiry date itself is not a day of use (a unit handed out that day would expire with the
  patient). A lot whose expiry date is on or before the stock date is wholly unusable.
- Dispensing is continuous: a lot is started the moment the previous one runs out or
  expires. Of a lot that cannot be finished before it expires, only the whole units that
  can be dispensed in time count as usable (rounded down: a part-unit is not a dose).
- With no use at all, nothing will be dispensed before any expiry date, so nothing is
  usable.
"""

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any

from ._numbers import (
    Quantity,
    exact_decimal,
    format_date,
    format_number,
    non_negative,
    to_decimal,
)

DAYS_PER_MONTH = Fraction(1461, 48)
"""30.4375 days: 365.25 / 12."""


@dataclass(frozen=True)
class StockLot:
    quantity: Quantity
    expiry_date: date
    batch: str = ""

    def __post_init__(self) -> None:
        non_negative(self.quantity, f"Jumlah stok lot {self.batch or '(tanpa nomor)'}")
        if not isinstance(self.expiry_date, date):
            raise TypeError("Tanggal kedaluwarsa lot harus berupa tanggal.")


@dataclass(frozen=True)
class StockOnHand:
    """Lots counted on ``as_of`` (e.g. the stock-opname date); E is derived from them."""

    lots: Sequence[StockLot]
    as_of: date

    def __post_init__(self) -> None:
        object.__setattr__(self, "lots", tuple(self.lots))
        if not isinstance(self.as_of, date):
            raise TypeError("Tanggal stok harus berupa tanggal.")
        for lot in self.lots:
            if not isinstance(lot, StockLot):
                raise TypeError("Setiap lot harus berupa StockLot.")


@dataclass(frozen=True)
class LotOutcome:
    batch: str
    expiry_date: date
    quantity: Decimal
    usable_quantity: Decimal
    expiring_quantity: Decimal
    """Units that would still be on the shelf on the expiry date."""


@dataclass(frozen=True)
class FefoResult:
    as_of: date
    monthly_use: Decimal
    lots: tuple[LotOutcome, ...]
    """In FEFO order (expiry date, then batch)."""
    quantity_on_hand: Decimal
    usable_quantity: Decimal
    expiring_quantity: Decimal

    def as_rows(self) -> list[dict[str, object]]:
        return [
            {
                "batch": lot.batch,
                "expiry_date": lot.expiry_date,
                "quantity": lot.quantity,
                "usable_quantity": lot.usable_quantity,
                "expiring_quantity": lot.expiring_quantity,
            }
            for lot in self.lots
        ]

    @property
    def explanation(self) -> str:
        text = (
            f"{format_number(self.usable_quantity)} dari {format_number(self.quantity_on_hand)}"
            f" unit di tangan akan terpakai sebelum kedaluwarsa (FEFO sejak"
            f" {format_date(self.as_of)}, pemakaian {format_number(self.monthly_use)} per bulan)"
        )
        if self.expiring_quantity:
            text += (
                f"; {format_number(self.expiring_quantity)} unit akan kedaluwarsa sebelum terpakai"
            )
        return text


def simulate_fefo(stock: StockOnHand, *, monthly_use: Quantity | Fraction) -> FefoResult:
    rate_per_month = non_negative(monthly_use, "Pemakaian rata-rata per bulan")
    rate_per_day = rate_per_month / DAYS_PER_MONTH
    ordered = sorted(stock.lots, key=lambda lot: (lot.expiry_date, lot.batch))

    outcomes: list[LotOutcome] = []
    # Days after the stock date at which the lots already handled are used up or expired.
    cursor = Fraction(0)
    for lot in ordered:
        quantity = Fraction(lot.quantity)
        days_of_use = (lot.expiry_date - stock.as_of).days
        if rate_per_day == 0 or days_of_use <= cursor:
            usable = Fraction(0)
        else:
            can_dispense = rate_per_day * (days_of_use - cursor)
            if can_dispense >= quantity:
                usable = quantity
                cursor += quantity / rate_per_day
            else:
                usable = Fraction(math.floor(can_dispense))
                cursor = Fraction(days_of_use)
        outcomes.append(
            LotOutcome(
                batch=lot.batch,
                expiry_date=lot.expiry_date,
                quantity=exact_decimal(quantity),
                usable_quantity=exact_decimal(usable),
                expiring_quantity=exact_decimal(quantity - usable),
            )
        )

    return FefoResult(
        as_of=stock.as_of,
        monthly_use=to_decimal(rate_per_month),
        lots=tuple(outcomes),
        quantity_on_hand=sum((o.quantity for o in outcomes), Decimal(0)),
        usable_quantity=sum((o.usable_quantity for o in outcomes), Decimal(0)),
        expiring_quantity=sum((o.expiring_quantity for o in outcomes), Decimal(0)),
    )


def usable_stock(stock: StockOnHand, *, monthly_use: Quantity | Fraction) -> Decimal:
    """E: the units of ``stock`` that will be dispensed before they expire."""
    return simulate_fefo(stock, monthly_use=monthly_use).usable_quantity


NEAR_EXPIRY_DAYS = 90
"""A lot expiring within this many days is flagged: in stock views, on receipt, in alerts."""


def fefo_order(balances: Iterable[Any]) -> list[Any]:
    """Lot balances (objects with ``lot.expiry_date``, ``lot.batch``, ``pk``) in the order
    dispensing takes them: first expiry first out, then batch, then the oldest row."""
    return sorted(balances, key=lambda b: (b.lot.expiry_date, b.lot.batch, b.pk))


def fefo_take(
    balances: Sequence[Any], *, medicine_id: int, need: int, lot_id: int | None = None
) -> list[tuple[Any, int]]:
    """What FEFO takes for ``need`` units of a medicine from ``balances`` (already in
    :func:`fefo_order`, expired lots left out): ``(balance, units)`` pairs. Each balance's
    ``quantity`` is lowered by what is taken, so the next line sees what is left. With
    ``lot_id`` only that lot is used."""
    taken: list[tuple[Any, int]] = []
    for balance in balances:
        if need == 0:
            break
        if balance.medicine_id != medicine_id or balance.quantity == 0:
            continue
        if lot_id is not None and balance.lot_id != lot_id:
            continue
        take = min(need, balance.quantity)
        balance.quantity -= take
        need -= take
        taken.append((balance, take))
    return taken
