"""Clause declarations: one per KMK clause, with its text and its rule.

A program module declares each clause once, next to the function that
evaluates it::

    @BACK_REFERRAL.clause("II.B.1.e", text=..., rule=..., reads=("egfr", ...))
    def egfr_above_60(subject: Subject) -> Finding: ...

The declarations feed the engine, the fact lists of the forms, the
catalogue and ``docs/criteria.md``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal, TypeVar

from .checks import Subject
from .logic import Finding
from .rereferral import Window, WindowFinding

Mode = Literal["back_referral", "re_referral"]
BACK_REFERRAL: Mode = "back_referral"
RE_REFERRAL: Mode = "re_referral"
MODES: tuple[Mode, ...] = (BACK_REFERRAL, RE_REFERRAL)

ALL_PROGRAMS = "ALL"  # the program of the general clauses (Diktum KEEMPAT)

BackEvaluate = Callable[[Subject], Finding]
WindowEvaluate = Callable[[Window], WindowFinding]
F = TypeVar("F", bound=Callable[..., object])


@dataclass(frozen=True, slots=True)
class BackReferralClause:
    """A back-referral criterion (Diktum KEEMPAT or BAB II.B): met, not met, unknown."""

    id: str
    program: str
    text: str  # the clause as the KMK prints it (Indonesian)
    rule: str  # the rule in words, naming the facts it reads
    reads: tuple[str, ...]  # fact names; "patient.x" / "general.x" for other sections
    note: str | None  # the contract's reading where the text is ambiguous
    evaluate: BackEvaluate

    @property
    def mode(self) -> Mode:
        return BACK_REFERRAL


@dataclass(frozen=True, slots=True)
class ReReferralClause:
    """A re-referral criterion (BAB III.B.x.d) judged over the 3-month window."""

    id: str
    program: str
    text: str
    rule: str
    reads: tuple[str, ...]
    note: str | None
    evaluate: WindowEvaluate

    @property
    def mode(self) -> Mode:
        return RE_REFERRAL


Clause = BackReferralClause | ReReferralClause


class BackReferralCriteria:
    """The back-referral clauses of one program, in clause order."""

    def __init__(self, program: str) -> None:
        self.program = program
        self.clauses: list[BackReferralClause] = []

    def clause(
        self,
        clause_id: str,
        *,
        text: str,
        rule: str,
        reads: tuple[str, ...],
        note: str | None = None,
    ) -> Callable[[BackEvaluate], BackEvaluate]:
        def declare(evaluate: BackEvaluate) -> BackEvaluate:
            self.clauses.append(
                BackReferralClause(clause_id, self.program, text, rule, reads, note, evaluate)
            )
            return evaluate

        return declare


class ReReferralCriteria:
    """The re-referral clauses of one program, in clause order.

    ``window`` turns the decorated function into a judgement over the window:
    ``any_visit`` (the default) evaluates it on every visit, ``latest_with``
    on the latest visit carrying a reading, ``whole_window`` hands it the
    window itself.
    """

    def __init__(self, program: str) -> None:
        self.program = program
        self.clauses: list[ReReferralClause] = []

    def clause(
        self,
        clause_id: str,
        *,
        text: str,
        rule: str,
        reads: tuple[str, ...],
        window: Callable[[F], WindowEvaluate],
        note: str | None = None,
    ) -> Callable[[F], F]:
        def declare(evaluate: F) -> F:
            self.clauses.append(
                ReReferralClause(clause_id, self.program, text, rule, reads, note, window(evaluate))
            )
            return evaluate

        return declare
