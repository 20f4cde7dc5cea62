"""Three-valued logic for criteria whose facts may be missing.

The contract (``eligibility.md``, Response) fixes the truth tables: a missing
fact makes a criterion ``unknown``, never ``met``. Every result carries the
reason in Indonesian and the fact paths that would decide it when unknown.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Truth(Enum):
    TRUE = "true"
    FALSE = "false"
    UNKNOWN = "unknown"


TRUE = Truth.TRUE
FALSE = Truth.FALSE
UNKNOWN = Truth.UNKNOWN

REASON_SEPARATOR = "; "


@dataclass(slots=True)  # not frozen: a frozen init costs 3x, and thousands run per second
class Finding:
    """The value of a condition, why, and (when unknown) what would decide it.

    Treated as immutable: combinators build new findings.
    """

    truth: Truth
    reason: str
    missing: tuple[str, ...] = ()


def known(holds: bool, reason: str) -> Finding:
    return Finding(TRUE if holds else FALSE, reason)


def unknown(reason: str, missing: tuple[str, ...]) -> Finding:
    return Finding(UNKNOWN, reason, missing)


def merge_missing(findings: list[Finding] | tuple[Finding, ...]) -> tuple[str, ...]:
    """Fact paths of the unknown findings, in order, each once."""
    paths: dict[str, None] = {}
    for finding in findings:
        if finding.truth is UNKNOWN:
            for path in finding.missing:
                paths[path] = None
    return tuple(paths)


def _join(findings: list[Finding] | tuple[Finding, ...]) -> str:
    return REASON_SEPARATOR.join([f.reason for f in findings])


def _join_undecided(findings: tuple[Finding, ...]) -> str:
    # A fact read by two parts ("… belum diisi") is named once.
    return REASON_SEPARATOR.join(dict.fromkeys([f.reason for f in findings]))


def _combine(parts: tuple[Finding, ...], *, decisive: Truth, otherwise: Truth) -> Finding:
    """AND (a false part decides) and OR (a true part decides): the deciding parts are
    named; else unknown if any part is unknown; else ``otherwise`` with every part."""
    truths = [part.truth for part in parts]
    if decisive in truths:
        return Finding(decisive, _join([part for part in parts if part.truth is decisive]))
    if UNKNOWN in truths:
        return Finding(UNKNOWN, _join_undecided(parts), merge_missing(parts))
    return Finding(otherwise, _join(parts))


def all_of(*parts: Finding) -> Finding:
    """AND: not met if any part is not met, else unknown if any is unknown.

    The reason of a failed AND names only the failing parts.
    """
    return _combine(parts, decisive=FALSE, otherwise=TRUE)


def any_of(*parts: Finding) -> Finding:
    """OR: met if any part is met, else unknown if any is unknown.

    When unknown, ``missing`` lists every undecided alternative. The reason
    of a met OR names only the parts that hold.
    """
    return _combine(parts, decisive=TRUE, otherwise=FALSE)


def negate(finding: Finding) -> Finding:
    if finding.truth is UNKNOWN:
        return finding
    return Finding(FALSE if finding.truth is TRUE else TRUE, finding.reason)


def _given(condition: Finding, branch: Finding) -> Finding:
    """The branch a decided condition leads to, its reason after the condition's."""
    return Finding(
        branch.truth, f"{condition.reason}{REASON_SEPARATOR}{branch.reason}", branch.missing
    )


def implies(condition: Finding, consequence: Finding) -> Finding:
    """ "If X then Y": met when X is false, Y when X is true; with X unknown,
    met only if Y is met, else unknown."""
    if condition.truth is FALSE:
        return Finding(TRUE, f"{condition.reason} (tidak berlaku)")
    if condition.truth is TRUE:
        return _given(condition, consequence)
    if consequence.truth is TRUE:
        return Finding(TRUE, consequence.reason)
    return Finding(
        UNKNOWN,
        f"{condition.reason}{REASON_SEPARATOR}{consequence.reason}",
        merge_missing((condition, consequence)),
    )


def choose(
    condition: Finding,
    when_true: Finding,
    when_false: Finding,
    labels: tuple[str, str] = ("bila ya", "bila tidak"),
) -> Finding:
    """ "If X then A else B" where X picks the threshold.

    With X unknown: met if both A and B are met, not met if both are not met,
    else unknown (X and the undecided branches are missing). ``labels`` name
    the two branches in the reason.
    """
    if condition.truth is TRUE:
        return _given(condition, when_true)
    if condition.truth is FALSE:
        return _given(condition, when_false)
    if when_true.reason == when_false.reason:  # e.g. the value itself is missing
        branches = when_true.reason
    else:
        branches = f"{labels[0]}: {when_true.reason}; {labels[1]}: {when_false.reason}"
    reason = f"{condition.reason}{REASON_SEPARATOR}{branches}"
    if when_true.truth is when_false.truth and when_true.truth is not UNKNOWN:
        return Finding(when_true.truth, reason)
    return Finding(UNKNOWN, reason, merge_missing((condition, when_true, when_false)))
