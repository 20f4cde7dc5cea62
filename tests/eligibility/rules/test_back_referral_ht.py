"""Hipertensi back-referral criteria — KMK BAB II.B.2."""

import pytest

from eligibility.rules.programs import BACK_REFERRAL_CLAUSES

NO_HMOD = {
    "hmod_examined": True,
    "heart_failure": False,
    "ckd_stage_3_5": False,
    "coronary_heart_disease": False,
    "stroke": False,
    "peripheral_vascular_disease": False,
    "arrhythmia": False,
    "atrial_fibrillation": False,
}
NOT_SECONDARY = {
    "secondary_hypertension": False,
    "pulmonary_hypertension": False,
    "pregnancy_hypertension": False,
}

CASES = [
    ("II.B.2.a", "met", {"sbp": 139, "dbp": 89, "bp_controlled_months": 3}, []),
    ("II.B.2.a", "not_met", {"sbp": 140, "dbp": 89, "bp_controlled_months": 3}, []),
    ("II.B.2.a", "not_met", {"sbp": 139, "dbp": 90, "bp_controlled_months": 3}, []),
    ("II.B.2.a", "not_met", {"sbp": 120, "dbp": 80, "bp_controlled_months": 2.9}, []),
    ("II.B.2.a", "unknown", {"sbp": 120, "dbp": 80}, ["facts.bp_controlled_months"]),
    ("II.B.2.b", "met", NO_HMOD, []),
    ("II.B.2.b", "not_met", {**NO_HMOD, "hmod_examined": False}, []),
    ("II.B.2.b", "not_met", {**NO_HMOD, "stroke": True}, []),
    ("II.B.2.b", "not_met", {**NO_HMOD, "atrial_fibrillation": True}, []),
    ("II.B.2.b", "unknown", {**NO_HMOD, "arrhythmia": None}, ["facts.arrhythmia"]),
    ("II.B.2.c", "met", NOT_SECONDARY, []),
    ("II.B.2.c", "not_met", {**NOT_SECONDARY, "pulmonary_hypertension": True}, []),
    (
        "II.B.2.c",
        "unknown",
        {"secondary_hypertension": False, "pulmonary_hypertension": False},
        ["facts.pregnancy_hypertension"],
    ),
]


@pytest.mark.parametrize(("clause_id", "outcome", "facts", "missing"), CASES)
def test_clause_outcomes(back_criterion, clause_id, outcome, facts, missing):
    criterion = back_criterion("HT", clause_id, facts, sex="F")
    assert (criterion["outcome"], criterion["missing"]) == (outcome, missing)


def test_every_clause_is_tested_met_not_met_and_unknown():
    tested = {(clause_id, outcome) for clause_id, outcome, _, _ in CASES}
    ids = [clause.id for clause in BACK_REFERRAL_CLAUSES["HT"]]
    assert tested == {(i, o) for i in ids for o in ("met", "not_met", "unknown")}


@pytest.mark.parametrize(
    ("kidney", "outcome", "missing"),
    [
        ({"ckd_stage_3_5": True, "egfr": 90}, "not_met", []),  # present if either says so
        ({"ckd_stage_3_5": False, "egfr": 59}, "not_met", []),
        ({"ckd_stage_3_5": False}, "met", []),  # absent: flag false, eGFR unknown
        ({"egfr": 60}, "met", []),  # absent: eGFR ≥ 60, flag unknown
        ({"egfr": 59.9}, "not_met", []),
        ({"creatinine_mg_dl": 3.5}, "not_met", []),  # computed eGFR counts as known
        ({"creatinine_mg_dl": 0.8}, "met", []),
        (
            {},
            "unknown",
            ["facts.ckd_stage_3_5", "facts.egfr", "facts.creatinine_mg_dl"],
        ),
    ],
)
def test_chronic_kidney_disease_stage_3_to_5(back_criterion, kidney, outcome, missing):
    facts = {**NO_HMOD, "ckd_stage_3_5": None, **kidney}
    criterion = back_criterion("HT", "II.B.2.b", facts, sex="F", birth_date="1961-01-01")
    assert (criterion["outcome"], criterion["missing"]) == (outcome, missing)


def test_pregnancy_hypertension_counts_as_false_for_a_man(back_criterion):
    facts = {"secondary_hypertension": False, "pulmonary_hypertension": False}
    criterion = back_criterion("HT", "II.B.2.c", facts, sex="M")
    assert criterion["outcome"] == "met"
    assert "pasien laki-laki" in criterion["reason"]


def test_organ_damage_reason_names_what_is_present(back_criterion):
    reason = back_criterion("HT", "II.B.2.b", {**NO_HMOD, "stroke": True})["reason"]
    assert reason.startswith("Ada: Stroke")
