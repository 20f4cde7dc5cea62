"""Three-valued logic exactly as the contract's Response section states it."""

import pytest

from eligibility.rules.logic import (
    FALSE,
    TRUE,
    UNKNOWN,
    Finding,
    all_of,
    any_of,
    choose,
    implies,
    negate,
)

T = Finding(TRUE, "t")
F = Finding(FALSE, "f")
U = Finding(UNKNOWN, "u", ("facts.u",))
U2 = Finding(UNKNOWN, "u2", ("facts.u2",))


@pytest.mark.parametrize(
    ("parts", "truth"),
    [
        ((T, T), TRUE),
        ((T, F), FALSE),
        ((F, U), FALSE),
        ((T, U), UNKNOWN),
        ((U, U2), UNKNOWN),
    ],
)
def test_and(parts, truth):
    assert all_of(*parts).truth is truth


@pytest.mark.parametrize(
    ("parts", "truth"),
    [
        ((F, F), FALSE),
        ((T, F), TRUE),
        ((T, U), TRUE),
        ((F, U), UNKNOWN),
        ((U, U2), UNKNOWN),
    ],
)
def test_or(parts, truth):
    assert any_of(*parts).truth is truth


def test_unknown_or_lists_every_undecided_alternative():
    result = any_of(U, F, U2)
    assert result.missing == ("facts.u", "facts.u2")


def test_decided_results_list_nothing_missing():
    assert any_of(T, U).missing == ()
    assert all_of(F, U).missing == ()


def test_failed_and_names_only_the_failing_parts():
    assert all_of(T, F).reason == "f"


def test_met_or_names_only_the_holding_parts():
    assert any_of(F, T, U).reason == "t"


@pytest.mark.parametrize(
    ("condition", "consequence", "truth", "missing"),
    [
        (F, F, TRUE, ()),  # X false: met
        (F, U, TRUE, ()),
        (T, T, TRUE, ()),  # X true: Y decides
        (T, F, FALSE, ()),
        (T, U, UNKNOWN, ("facts.u",)),
        (U, T, TRUE, ()),  # X unknown: met only if Y is met
        (U, F, UNKNOWN, ("facts.u",)),
        (U, U2, UNKNOWN, ("facts.u", "facts.u2")),
    ],
)
def test_implies(condition, consequence, truth, missing):
    result = implies(condition, consequence)
    assert (result.truth, result.missing) == (truth, missing)


@pytest.mark.parametrize(
    ("condition", "when_true", "when_false", "truth"),
    [
        (T, T, F, TRUE),
        (T, F, T, FALSE),
        (F, T, F, FALSE),
        (F, F, T, TRUE),
        (U, T, T, TRUE),  # both thresholds met
        (U, F, F, FALSE),  # both thresholds failed
        (U, T, F, UNKNOWN),  # the condition decides
        (U, F, T, UNKNOWN),
        (U, U2, T, UNKNOWN),
    ],
)
def test_if_then_else_with_unknown_condition(condition, when_true, when_false, truth):
    assert choose(condition, when_true, when_false).truth is truth


def test_if_then_else_unknown_lists_the_condition_and_undecided_branches():
    assert choose(U, U2, T).missing == ("facts.u", "facts.u2")
    assert choose(U, F, T).missing == ("facts.u",)


def test_negate_keeps_unknown():
    assert negate(T).truth is FALSE
    assert negate(F).truth is TRUE
    assert negate(U) == U
