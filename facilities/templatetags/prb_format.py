"""How numbers, money and the letterhead's place line print, on every page and paper.

Indonesian separators come from Django's ``id`` locale (dot for thousands,
comma for decimals: ``1.234,5``); every template uses these filters rather than
formatting by hand, so screens, printouts and exports agree.
"""

from __future__ import annotations

from typing import Any

from django import template

from facilities.formatting import format_number, format_rupiah

register = template.Library()


@register.filter
def num(value: Any, decimals: int = 2) -> str:
    """A number with Indonesian separators: ``{{ quantity|num }}``, ``{{ ratio|num:1 }}``."""
    return format_number(value, int(decimals))


@register.filter
def rupiah(value: Any) -> str:
    """Money: ``{{ price|rupiah }}`` → ``Rp1.500.000``."""
    return format_rupiah(value)


@register.filter
def place_name(facility: Any) -> str:
    """The town a facility's letters are dated from ("Binjai" for Kota Binjai)."""
    regency = getattr(facility, "regency", None)
    if regency is None:
        return ""
    name = str(regency.name)
    for prefix in ("Kota ", "Kabupaten ", "Kab. "):
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name
