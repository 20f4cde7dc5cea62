"""Enumerations whose members carry the label a person reads, in plain Python.

Django's ``TextChoices`` does this for models; plain modules (the planning formulas,
the integrations' clients) declare ``VITAL = "V", "Vital"`` on a ``LabelledStrEnum``.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Self


class LabelledStrEnum(StrEnum):
    """A ``StrEnum`` whose members are declared as ``NAME = value, label``."""

    label: str

    def __new__(cls, value: str, label: str | None = None) -> Self:
        # Runs once per member as the class is made. A look-up by value (``VenClass("V")``)
        # does not run it, but type checkers read it as this call: hence the optional label.
        if label is None:
            raise TypeError(f"{cls.__name__} member {value!r} has no label.")
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        return member
