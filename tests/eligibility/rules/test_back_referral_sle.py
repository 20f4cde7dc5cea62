"""Sindroma lupus eritematosus back-referral criteria — KMK BAB II.B.9."""

import pytest

from eligibility.rules.programs import BACK_REFERRAL_CLAUSES

LOW_DOSE = {"other_immunosuppressants": False, "corticosteroid_drug": "prednisone"}

CASES = [
    ("II.B.9.a", "met", {"sledai_2k": 0, "remission_months": 6}, []),
    ("II.B.9.a", "met", {"sledai_items": [], "remission_months": 12}, []),
    ("II.B.9.a", "not_met", {"sledai_2k": 2, "remission_months": 12}, []),
    ("II.B.9.a", "not_met", {"sledai_items": ["fever"], "remission_months": 12}, []),
    ("II.B.9.a", "not_met", {"sledai_2k": 0, "remission_months": 5}, []),
    ("II.B.9.a", "unknown", {"remission_months": 6}, ["facts.sledai_2k", "facts.sledai_items"]),
    ("II.B.9.b", "met", {**LOW_DOSE, "corticosteroid_mg_per_day": 5}, []),
    ("II.B.9.b", "met", {"other_immunosuppressants": False, "corticosteroid_drug": "none"}, []),
    ("II.B.9.b", "not_met", {**LOW_DOSE, "corticosteroid_mg_per_day": 5.01}, []),
    ("II.B.9.b", "not_met", {**LOW_DOSE, "other_immunosuppressants": True, "corticosteroid_mg_per_day": 2}, []),
    ("II.B.9.b", "unknown", {**LOW_DOSE}, ["facts.corticosteroid_mg_per_day"]),
    ("II.B.9.b", "unknown", {"other_immunosuppressants": False, "corticosteroid_mg_per_day": 4}, ["facts.corticosteroid_drug"]),
    ("II.B.9.b", "unknown", {"other_immunosuppressants": False, "corticosteroid_drug": "budesonide", "corticosteroid_mg_per_day": 9}, ["facts.corticosteroid_drug"]),
    ("II.B.9.c", "met", {"pregnant": False}, []),
    ("II.B.9.c", "not_met", {"pregnant": True}, []),
    ("II.B.9.c", "unknown", {}, ["facts.pregnant"]),
]  # fmt: skip


@pytest.mark.parametrize(("clause_id", "outcome", "facts", "missing"), CASES)
def test_clause_outcomes(back_criterion, clause_id, outcome, facts, missing):
    criterion = back_criterion("SLE", clause_id, facts, sex="F")
    assert (criterion["outcome"], criterion["missing"]) == (outcome, missing)


def test_every_clause_is_tested_met_not_met_and_unknown():
    tested = {(clause_id, outcome) for clause_id, outcome, _, _ in CASES}
    ids = [clause.id for clause in BACK_REFERRAL_CLAUSES["SLE"]]
    assert tested == {(i, o) for i in ids for o in ("met", "not_met", "unknown")}


@pytest.mark.parametrize(
    ("drug", "mg", "outcome"),
    [
        ("prednisone", 5, "met"),
        ("prednisone", 5.01, "not_met"),
        ("methylprednisolone", 4, "met"),
        ("methylprednisolone", 4.01, "not_met"),
        ("dexamethasone", 0.75, "met"),
        ("dexamethasone", 1, "not_met"),
        ("hydrocortisone", 20, "met"),
        ("hydrocortisone", 21, "not_met"),
        ("deflazacort", 6, "met"),
        ("cortisone", 25, "met"),
    ],
)
def test_prednisone_equivalent_boundary(back_criterion, drug, mg, outcome):
    facts = {
        "other_immunosuppressants": False,
        "corticosteroid_drug": drug,
        "corticosteroid_mg_per_day": mg,
    }
    assert back_criterion("SLE", "II.B.9.b", facts, sex="F")["outcome"] == outcome


def test_dose_reason_names_the_equivalent_and_the_drug(back_criterion):
    facts = {
        "other_immunosuppressants": False,
        "corticosteroid_drug": "methylprednisolone",
        "corticosteroid_mg_per_day": 8,
    }
    reason = back_criterion("SLE", "II.B.9.b", facts, sex="F")["reason"]
    assert reason.startswith(
        "Dosis setara prednison 10 mg/hari > 5 mg/hari (methylprednisolone 8 mg/hari)"
    )


def test_sledai_reason_names_the_descriptors(back_criterion):
    facts = {"sledai_items": ["arthritis", "rash"], "remission_months": 6}
    reason = back_criterion("SLE", "II.B.9.a", facts, sex="F")["reason"]
    assert reason.startswith("SLEDAI-2K 6 ≠ 0 (dari deskriptor artritis 4, ruam 2)")


def test_pregnancy_counts_as_false_for_a_man(back_criterion):
    assert back_criterion("SLE", "II.B.9.c", {}, sex="M")["outcome"] == "met"
