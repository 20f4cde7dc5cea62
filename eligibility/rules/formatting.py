"""Indonesian formatting of numbers and dates for user-facing reasons.

Reasons name the values they used, written the way an Indonesian clinician
reads them: decimal comma, dot for thousands ("1.000", "7,4"), month names in
Indonesian ("31 Mei 2026").
"""

from __future__ import annotations

from datetime import date

from lib.months import date_in_words

_SWAP_SEPARATORS = str.maketrans({",": ".", ".": ","})


def format_number(value: float, max_decimals: int = 2) -> str:
    """``7.4`` → ``"7,4"``; ``1000`` → ``"1.000"``; trailing zeros dropped."""
    if type(value) is int or value.is_integer():
        whole = int(value)
        if -1000 < whole < 1000:  # the common cases are kept cheap: reasons format many
            return str(whole)
        return f"{whole:,}".translate(_SWAP_SEPARATORS)
    if -1000 < value < 1000:
        text = f"{value:.{max_decimals}f}".rstrip("0").rstrip(".")
        return "0" if text == "-0" else text.replace(".", ",")
    return f"{value:,.{max_decimals}f}".rstrip("0").rstrip(".").translate(_SWAP_SEPARATORS)


def format_pair(value: float, limit: float, max_decimals: int = 2) -> tuple[str, str]:
    """Format a value beside the threshold it is compared with.

    When rounding would print them equal although they differ (an eGFR of
    60,004 against 60), more decimals are shown so the reason never reads
    "eGFR 60 > 60".
    """
    shown_value = format_number(value, max_decimals)
    shown_limit = format_number(limit, max_decimals)
    decimals = max_decimals
    while shown_value == shown_limit and value != limit and decimals < 10:
        decimals += 1
        shown_value = format_number(value, decimals)
        shown_limit = format_number(limit, decimals)
    return shown_value, shown_limit


def unit_suffix(unit: str) -> str:
    """What follows a number: ``"%"`` sticks to it, other units take a space."""
    if not unit or unit.startswith("%"):
        return unit
    return " " + unit


def format_date(day: date) -> str:
    """``date(2026, 5, 31)`` → ``"31 Mei 2026"``."""
    return date_in_words(day)


def join_labels(labels: list[str] | tuple[str, ...]) -> str:
    """``["a", "b", "c"]`` → ``"a, b dan c"``."""
    if len(labels) <= 1:
        return "".join(labels)
    return ", ".join(labels[:-1]) + " dan " + labels[-1]
