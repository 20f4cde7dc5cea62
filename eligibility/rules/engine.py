"""Public API of the criteria engine (contract ``eligibility.md``).

``evaluate`` takes the request dict and returns the response dict, both as
the contract prints them; the CLI command and the API view only move JSON.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta, timezone, tzinfo
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .checks import Subject
from .clauses import BACK_REFERRAL, RE_REFERRAL, Clause, Mode
from .facts import FACT_SPECS, FactSpec
from .general import GENERAL_CLAUSES
from .logic import FALSE, TRUE, Truth
from .programs import (
    BACK_REFERRAL_CLAUSES,
    BACK_REFERRAL_FACTS,
    PROGRAM_DETAILS,
    PROGRAMS,
    RE_REFERRAL_CLAUSES,
    RE_REFERRAL_FACTS,
    Program,
)
from .request import EvaluationRequest, RequestError, parse_request
from .rereferral import Window

__all__ = [
    "PROGRAMS",
    "PROGRAM_DETAILS",
    "RULESET_ID",
    "Program",
    "RequestError",
    "all_clauses",
    "criteria_catalogue",
    "evaluate",
    "program_fact_specs",
    "today_in_jakarta",
]

RULESET_ID = "KMK-1645-2024"

try:
    JAKARTA: tzinfo = ZoneInfo("Asia/Jakarta")
except ZoneInfoNotFoundError:  # no tz database: WIB has had no DST since 1964
    JAKARTA = timezone(timedelta(hours=7), "WIB")


def _back_referral_outcome(truth: Truth) -> str:
    # An if-chain: hashing an Enum member runs Python code on every lookup.
    return "met" if truth is TRUE else "not_met" if truth is FALSE else "unknown"


def _re_referral_outcome(truth: Truth) -> str:
    return "triggered" if truth is TRUE else "clear" if truth is FALSE else "unknown"


def today_in_jakarta() -> date:
    return datetime.now(JAKARTA).date()


def evaluate(request: Mapping[str, Any]) -> dict[str, Any]:
    """Evaluate a request; raises :class:`RequestError` when it is malformed."""
    parsed = parse_request(request, today=today_in_jakarta)
    if parsed.mode == BACK_REFERRAL:
        return _evaluate_back_referral(parsed)
    return _evaluate_re_referral(parsed)


def _explained(reason: str, note: str | None) -> str:
    # Contract: where the text is ambiguous the explanation names the reading.
    return f"{reason}. Tafsiran: {note}" if note else reason


def _missing_of(criteria: list[dict[str, Any]]) -> list[str]:
    return list(dict.fromkeys(path for criterion in criteria for path in criterion["missing"]))


def _evaluate_back_referral(request: EvaluationRequest) -> dict[str, Any]:
    sex, birth_date, as_of = request.sex, request.birth_date, request.as_of
    general = Subject(request.general, "general.", sex=sex, birth_date=birth_date, on=as_of)
    facts = Subject(request.facts, "facts.", sex=sex, birth_date=birth_date, on=as_of)
    criteria = []
    for clauses, subject in (
        (GENERAL_CLAUSES, general),
        (BACK_REFERRAL_CLAUSES[request.program], facts),
    ):
        for clause in clauses:
            finding = clause.evaluate(subject)
            criteria.append(
                {
                    "id": clause.id,
                    "outcome": _back_referral_outcome(finding.truth),
                    "text": clause.text,
                    "reason": _explained(finding.reason, clause.note),
                    "missing": list(finding.missing),
                }
            )
    outcomes = {criterion["outcome"] for criterion in criteria}
    if "not_met" in outcomes:
        outcome = "not_eligible"
    elif "unknown" in outcomes:
        outcome = "incomplete"
    else:
        outcome = "eligible"
    return {
        "ruleset": RULESET_ID,
        "program": request.program,
        "mode": BACK_REFERRAL,
        "outcome": outcome,
        "criteria": criteria,
        "missing": _missing_of(criteria),
    }


def _evaluate_re_referral(request: EvaluationRequest) -> dict[str, Any]:
    sex, birth_date = request.sex, request.birth_date
    baseline = Subject(
        request.baseline, "baseline.", sex=sex, birth_date=birth_date, on=request.as_of
    )
    visits = [
        Subject(
            visit.facts,
            f"visits[{visit.index}].facts.",
            sex=sex,
            birth_date=birth_date,
            on=visit.date,  # ages (eGFR) at the visit's date
            baseline=baseline,
        )
        # Chronological; on the same date the later in the list counts as later.
        for visit in sorted(request.visits, key=lambda visit: (visit.date, visit.index))
    ]
    window = Window.ending(request.as_of, visits, baseline)
    criteria = []
    for clause in RE_REFERRAL_CLAUSES[request.program]:
        finding = clause.evaluate(window)
        criteria.append(
            {
                "id": clause.id,
                "outcome": _re_referral_outcome(finding.truth),
                "text": clause.text,
                "reason": _explained(finding.reason, clause.note),
                "missing": list(finding.missing),
                "visit_date": finding.visit_date.isoformat() if finding.visit_date else None,
            }
        )
    triggered = any(criterion["outcome"] == "triggered" for criterion in criteria)
    return {
        "ruleset": RULESET_ID,
        "program": request.program,
        "mode": RE_REFERRAL,
        "outcome": "re_refer" if triggered else "continue",
        "criteria": criteria,
        "missing": _missing_of(criteria),
    }


def program_fact_specs(program: str, mode: Mode = BACK_REFERRAL) -> list[FactSpec]:
    """The facts a program accepts, in clause order, for rendering its form.

    ``mode="re_referral"`` lists what a visit (or the baseline) accepts.
    """
    if program not in PROGRAM_DETAILS:
        raise ValueError(f"Unknown program {program!r}; expected one of {PROGRAMS}")
    names = BACK_REFERRAL_FACTS[program] if mode == BACK_REFERRAL else RE_REFERRAL_FACTS[program]
    return [FACT_SPECS[name] for name in names]


def _catalogue_entry(clause: Clause) -> dict[str, Any]:
    return {
        "mode": clause.mode,
        "program": clause.program,
        "id": clause.id,
        "text": clause.text,
        "rule": clause.rule,
        "reads": list(clause.reads),
        "note": clause.note,
    }


def all_clauses() -> list[Clause]:
    """Every clause: general first, then each program's back- and re-referral clauses."""
    clauses: list[Clause] = list(GENERAL_CLAUSES)
    for program in PROGRAMS:
        clauses.extend(BACK_REFERRAL_CLAUSES[program])
        clauses.extend(RE_REFERRAL_CLAUSES[program])
    return clauses


def criteria_catalogue() -> list[dict[str, Any]]:
    """Every clause with its text, rule in words and chosen reading, for docs."""
    return [_catalogue_entry(clause) for clause in all_clauses()]
