"""Numbers and money as Indonesian readers write them (``1.234,5``; ``Rp1.500.000``).

The separators come from Django's ``id`` locale. Templates reach these through
the ``num`` and ``rupiah`` filters (``facilities/templatetags/prb_format.py``,
a template builtin); Python code that prints numbers for people (exports, fact
lines) calls them directly.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import formats


def format_number(value: Any, decimals: int = 2) -> str:
    """``1234.50`` → ``"1.234,5"``; ``7`` → ``"7"``; blanks stay blank. Trailing zeros dropped."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return str(value)
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)
    if not number.is_finite():
        return str(value)
    number = round(number, decimals)
    exponent = number.normalize().as_tuple().exponent
    places = max(0, -exponent) if isinstance(exponent, int) else 0
    return formats.number_format(
        number, decimal_pos=min(places, decimals), use_l10n=True, force_grouping=True
    )


def format_rupiah(value: Any) -> str:
    """``1500000`` → ``"Rp1.500.000"`` (sen shown only when there are some)."""
    if value is None or value == "":
        return ""
    return f"Rp{format_number(value, 2)}"
