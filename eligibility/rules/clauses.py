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
from typing import Any, ClassVar, Generic, Literal, NotRequired, TypedDict, TypeVar, Unpack

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
class ClauseDeclaration:
    """What a clause declares in either mode; each mode adds its ``evaluate``."""

    id: str
    program: str
    text: str  # the clause as the KMK prints it (Indonesian)
    rule: str  # the rule in words, naming the facts it reads
    reads: tuple[str, ...]  # fact names; "patient.x" / "general.x" for other sections
    note: str | None  # the contract's reading where the text is ambiguous


@dataclass(frozen=True, slots=True)
class BackReferralClause(ClauseDeclaration):
    """A back-referral criterion (Diktum KEEMPAT or BAB II.B): met, not met, unknown."""

    evaluate: BackEvaluate
    mode: ClassVar[Mode] = BACK_REFERRAL


@dataclass(frozen=True, slots=True)
class ReReferralClause(ClauseDeclaration):
    """A re-referral criterion (BAB III.B.x.d) judged over the 3-month window."""

    evaluate: WindowEvaluate
    mode: ClassVar[Mode] = RE_REFERRAL


Clause = BackReferralClause | ReReferralClause


class ClauseWords(TypedDict):
    """The words a program module gives a clause (``ClauseDeclaration``'s text fields)."""

    text: str
    rule: str
    reads: tuple[str, ...]
    note: NotRequired[str | None]


C = TypeVar("C", BackReferralClause, ReReferralClause)


class _Criteria(Generic[C]):
    """The clauses of one program for one mode, in clause order."""

    def __init__(self, program: str) -> None:
        self.program = program
        self.clauses: list[C] = []

    def _add(self, kind: type[C], clause_id: str, words: ClauseWords, evaluate: Any) -> None:
        text, rule, reads, note = words["text"], words["rule"], words["reads"], words.get("note")
        self.clauses.append(kind(clause_id, self.program, text, rule, reads, note, evaluate))


class BackReferralCriteria(_Criteria[BackReferralClause]):
    """The back-referral clauses of one program, in clause order."""

    def clause(
        self, clause_id: str, **words: Unpack[ClauseWords]
    ) -> Callable[[BackEvaluate], BackEvaluate]:
        def declare(evaluate: BackEvaluate) -> BackEvaluate:
            self._add(BackReferralClause, clause_id, words, evaluate)
            return evaluate

        return declare


class ReReferralCriteria(_Criteria[ReReferralClause]):
    """The re-referral clauses of one program, in clause order.

    ``window`` turns the decorated function into a judgement over the window:
    ``any_visit`` (the default) evaluates it on every visit, ``latest_with``
    on the latest visit carrying a reading, ``whole_window`` hands it the
    window itself.
    """

    def clause(
        self,
        clause_id: str,
        *,
        window: Callable[[F], WindowEvaluate],
        **words: Unpack[ClauseWords],
    ) -> Callable[[F], F]:
        def declare(evaluate: F) -> F:
            self._add(ReReferralClause, clause_id, words, window(evaluate))
            return evaluate

        return declare
