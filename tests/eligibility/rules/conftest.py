"""Helpers for the criteria-engine tests: pure Python, no database, no Django.

Run alone with ``pytest tests/eligibility/rules -p no:django
--confcutdir=tests/eligibility/rules`` (the project's root conftest needs Django).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from eligibility.rules import evaluate

AS_OF = "2026-11-01"
ADULT_BIRTH_DATE = "1970-06-15"  # 56 years old on AS_OF


def pick(response: dict[str, Any], clause_id: str) -> dict[str, Any]:
    matches = [c for c in response["criteria"] if c["id"] == clause_id]
    assert len(matches) == 1, f"{clause_id} not in {[c['id'] for c in response['criteria']]}"
    return matches[0]


BackReferral = Callable[..., dict[str, Any]]


@pytest.fixture
def back_referral() -> BackReferral:
    """Evaluate a back-referral request with an adult patient unless told otherwise."""

    def run(
        program: str,
        facts: dict[str, Any] | None = None,
        *,
        sex: str | None = "M",
        birth_date: str | None = ADULT_BIRTH_DATE,
        as_of: str = AS_OF,
        general: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        return evaluate(
            {
                "program": program,
                "as_of": as_of,
                "patient": {"sex": sex, "birth_date": birth_date},
                "general": general,
                "facts": facts or {},
            }
        )

    return run


@pytest.fixture
def back_criterion(back_referral: BackReferral) -> Callable[..., dict[str, Any]]:
    """The one criterion ``clause_id`` of a back-referral evaluation."""

    def run(program: str, clause_id: str, facts: dict[str, Any], **patient: Any) -> dict[str, Any]:
        return pick(back_referral(program, facts, **patient), clause_id)

    return run


@pytest.fixture
def re_referral() -> BackReferral:
    """Evaluate a re-referral request; visits are ``(date, facts)`` pairs."""

    def run(
        program: str,
        visits: list[tuple[str, dict[str, Any]]],
        *,
        baseline: dict[str, Any] | None = None,
        sex: str | None = "M",
        birth_date: str | None = ADULT_BIRTH_DATE,
        as_of: str = AS_OF,
    ) -> dict[str, Any]:
        return evaluate(
            {
                "mode": "re_referral",
                "program": program,
                "as_of": as_of,
                "patient": {"sex": sex, "birth_date": birth_date},
                "baseline": baseline,
                "visits": [{"date": day, "facts": facts} for day, facts in visits],
            }
        )

    return run
