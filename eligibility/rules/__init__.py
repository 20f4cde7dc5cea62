"""PRB criteria engine for KMK HK.01.07/MENKES/1645/2024 — pure Python, no Django.

Public API (contract ``eligibility.md``)::

    evaluate(request: dict) -> dict
    RULESET_ID, PROGRAMS, PROGRAM_DETAILS
    program_fact_specs(program, mode="back_referral") -> list[FactSpec]
    criteria_catalogue() -> list[dict]
    RequestError  (``.errors``: dict[path, list[message]])
"""

from .engine import (
    PROGRAM_DETAILS,
    PROGRAMS,
    RULESET_ID,
    RequestError,
    criteria_catalogue,
    evaluate,
    program_fact_specs,
)
from .facts import FactSpec

__all__ = [
    "PROGRAMS",
    "PROGRAM_DETAILS",
    "RULESET_ID",
    "FactSpec",
    "RequestError",
    "criteria_catalogue",
    "evaluate",
    "program_fact_specs",
]
