"""Exact arithmetic and Indonesian number display shared by the planning formulas.

Inputs are ``int`` or ``Decimal``; floats are refused because their binary rounding
would leak into stock figures. Every formula is evaluated exactly as ``Fraction`` so
that an average such as 200/3 per month times 12 months is exactly 800, not
800.00000000000000000000000004 that rounding up would turn into 801 units. Results
are handed out as ``Decimal`` rounded to two places, for display only.
"""

import math
from decimal import Decimal
from fractions import Fraction
from typing import TypeAlias

from lib.months import date_in_words, month_in_words

Quantity: TypeAlias = int | Decimal
"""A count of dispensing units (tablets, capsules, vials) or months; never a float."""


def as_fraction(value: object, label: str) -> Fraction:
    """The exact value of an ``int``/``Decimal`` input; ``label`` names it in errors."""
    if isinstance(value, bool) or not isinstance(value, int | Decimal | Fraction):
        raise TypeError(
            f"{label} harus berupa bilangan bulat atau Decimal, bukan {type(value).__name__}."
        )
    if isinstance(value, Decimal) and not value.is_finite():
        raise ValueError(f"{label} harus berupa bilangan yang terhingga.")
    return Fraction(value)


def non_negative(value: object, label: str) -> Fraction:
    exact = as_fraction(value, label)
    if exact < 0:
        raise ValueError(f"{label} tidak boleh negatif (diisi {format_number(exact)}).")
    return exact


def positive(value: object, label: str) -> Fraction:
    exact = as_fraction(value, label)
    if exact <= 0:
        raise ValueError(f"{label} harus lebih dari nol (diisi {format_number(exact)}).")
    return exact


def to_decimal(value: Fraction) -> Decimal:
    """Round to two places, halves away from zero, for display."""
    rounded = math.floor(abs(value) * 100 + Fraction(1, 2))
    if rounded == 0:
        return Decimal("0.00")
    result = Decimal(rounded).scaleb(-2)
    return -result if value < 0 else result


def exact_decimal(value: Fraction) -> Decimal:
    """The ``Decimal`` equal to a value built from ``int``/``Decimal`` inputs by +, −, ×.

    Such a value has a finite decimal expansion, so the division is exact.
    """
    return Decimal(value.numerator) / Decimal(value.denominator)


def format_number(value: Fraction | Decimal | int) -> str:
    """Indonesian display: decimal comma, no trailing zeros (``33,33``, ``1200``)."""
    text = f"{to_decimal(Fraction(value)):f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


format_month = month_in_words
format_date = date_in_words
