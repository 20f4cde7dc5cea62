"""Epilepsi (KMK BAB II.B.6), skizofrenia (II.B.7) and stroke (II.B.8) back-referral criteria."""

import pytest

from eligibility.rules.programs import BACK_REFERRAL_CLAUSES

REMISSION = {item: 3 for item in ("P1", "P2", "P3", "N1", "N4", "N6", "G5", "G9")}

CASES = [
    ("EPILEPSY", "II.B.6.a", "met", {"seizure_free_months": 6}, []),
    ("EPILEPSY", "II.B.6.a", "not_met", {"seizure_free_months": 5}, []),
    ("EPILEPSY", "II.B.6.a", "unknown", {}, ["facts.seizure_free_months"]),
    ("EPILEPSY", "II.B.6.b", "met", {"asm_maintenance_dose_reached": True}, []),
    ("EPILEPSY", "II.B.6.b", "not_met", {"asm_maintenance_dose_reached": False}, []),
    ("EPILEPSY", "II.B.6.b", "unknown", {}, ["facts.asm_maintenance_dose_reached"]),
    ("EPILEPSY", "II.B.6.c", "met", {"asm_side_effects": False}, []),
    ("EPILEPSY", "II.B.6.c", "not_met", {"asm_side_effects": True}, []),
    ("EPILEPSY", "II.B.6.c", "unknown", {}, ["facts.asm_side_effects"]),
    ("EPILEPSY", "II.B.6.d", "met", {"pregnant": False, "breastfeeding": False}, []),
    ("EPILEPSY", "II.B.6.d", "not_met", {"pregnant": False, "breastfeeding": True}, []),
    ("EPILEPSY", "II.B.6.d", "unknown", {"pregnant": False}, ["facts.breastfeeding"]),
    ("SCHIZOPHRENIA", "II.B.7.a", "met", {"panss": REMISSION}, []),
    ("SCHIZOPHRENIA", "II.B.7.a", "not_met", {"panss": {**REMISSION, "G9": 4}}, []),
    ("SCHIZOPHRENIA", "II.B.7.a", "unknown", {"panss": {**REMISSION, "N4": None}}, ["facts.panss.N4"]),
    ("SCHIZOPHRENIA", "II.B.7.b", "met", {"maintenance_months_without_relapse": 6}, []),
    ("SCHIZOPHRENIA", "II.B.7.b", "not_met", {"maintenance_months_without_relapse": 5.9}, []),
    ("SCHIZOPHRENIA", "II.B.7.b", "unknown", {}, ["facts.maintenance_months_without_relapse"]),
    ("SCHIZOPHRENIA", "II.B.7.c", "met", {"first_episode": False}, []),
    ("SCHIZOPHRENIA", "II.B.7.c", "not_met", {"first_episode": True}, []),
    ("SCHIZOPHRENIA", "II.B.7.c", "unknown", {}, ["facts.first_episode"]),
    ("SCHIZOPHRENIA", "II.B.7.e", "met", {"substance_dependence": False, "personality_disorder": False, "uncontrolled_medical_condition": False, "forensic_case": False}, []),
    ("SCHIZOPHRENIA", "II.B.7.e", "not_met", {"forensic_case": True}, []),
    ("SCHIZOPHRENIA", "II.B.7.e", "unknown", {"substance_dependence": False, "personality_disorder": False, "uncontrolled_medical_condition": False}, ["facts.forensic_case"]),
    ("SCHIZOPHRENIA", "II.B.7.f", "met", {"severe_side_effects": False, "cognitive_deficit": False, "personality_disorder": False}, []),
    ("SCHIZOPHRENIA", "II.B.7.f", "not_met", {"personality_disorder": True}, []),
    ("SCHIZOPHRENIA", "II.B.7.f", "unknown", {"severe_side_effects": False, "personality_disorder": False}, ["facts.cognitive_deficit"]),
    ("STROKE", "II.B.8.a", "met", {"risk_factors_explored": True}, []),
    ("STROKE", "II.B.8.a", "not_met", {"risk_factors_explored": False}, []),
    ("STROKE", "II.B.8.a", "unknown", {}, ["facts.risk_factors_explored"]),
    ("STROKE", "II.B.8.a.1", "met", {"diabetes": True, "sbp": 129, "dbp": 79}, []),
    ("STROKE", "II.B.8.a.1", "met", {"diabetes": False, "sbp": 139, "dbp": 89}, []),
    ("STROKE", "II.B.8.a.1", "met", {"sbp": 125, "dbp": 75}, []),  # both thresholds met
    ("STROKE", "II.B.8.a.1", "not_met", {"diabetes": True, "sbp": 130, "dbp": 79}, []),
    ("STROKE", "II.B.8.a.1", "not_met", {"diabetes": False, "sbp": 140, "dbp": 89}, []),
    ("STROKE", "II.B.8.a.1", "not_met", {"sbp": 145, "dbp": 95}, []),  # both failed
    ("STROKE", "II.B.8.a.1", "unknown", {"sbp": 135, "dbp": 85}, ["facts.diabetes"]),
    ("STROKE", "II.B.8.a.2", "met", {"fpg_mg_dl": 130}, []),
    ("STROKE", "II.B.8.a.2", "not_met", {"fpg_mg_dl": 131}, []),
    ("STROKE", "II.B.8.a.2", "unknown", {}, ["facts.fpg_mg_dl"]),
    ("STROKE", "II.B.8.a.3", "met", {"coronary_heart_disease": True, "ldl_mg_dl": 99}, []),
    ("STROKE", "II.B.8.a.3", "met", {"coronary_heart_disease": False, "ldl_mg_dl": 129}, []),
    ("STROKE", "II.B.8.a.3", "not_met", {"coronary_heart_disease": True, "ldl_mg_dl": 100}, []),
    ("STROKE", "II.B.8.a.3", "not_met", {"coronary_heart_disease": False, "ldl_mg_dl": 130}, []),
    ("STROKE", "II.B.8.a.3", "unknown", {"ldl_mg_dl": 110}, ["facts.coronary_heart_disease"]),
    ("STROKE", "II.B.8.a.4", "met", {"uric_acid_mg_dl": 5.9}, []),  # woman
    ("STROKE", "II.B.8.a.4", "not_met", {"uric_acid_mg_dl": 6}, []),
    ("STROKE", "II.B.8.a.4", "unknown", {}, ["facts.uric_acid_mg_dl"]),
    ("STROKE", "II.B.8.a.5", "met", {"ecg_abnormal": False}, []),
    ("STROKE", "II.B.8.a.5", "met", {"ecg_abnormal": True, "ecg_abnormal_managed": True}, []),
    ("STROKE", "II.B.8.a.5", "not_met", {"ecg_abnormal": True, "ecg_abnormal_managed": False}, []),
    ("STROKE", "II.B.8.a.5", "unknown", {"ecg_abnormal": True}, ["facts.ecg_abnormal_managed"]),
    ("STROKE", "II.B.8.a.6", "met", {"vascular_imaging_abnormal": False}, []),
    ("STROKE", "II.B.8.a.6", "not_met", {"vascular_imaging_abnormal": True, "vascular_imaging_abnormal_managed": False}, []),
    ("STROKE", "II.B.8.a.6", "unknown", {"vascular_imaging_abnormal_managed": False}, ["facts.vascular_imaging_abnormal"]),
    ("STROKE", "II.B.8.a.7", "met", {"blood_cell_disorder": False, "avm": False, "atrial_fibrillation": False}, []),
    ("STROKE", "II.B.8.a.7", "not_met", {"avm": True}, []),
    ("STROKE", "II.B.8.a.7", "unknown", {"avm": False}, ["facts.blood_cell_disorder", "facts.atrial_fibrillation"]),
    ("STROKE", "II.B.8.b", "met", {"neuro_deficit_needs_rehab": False}, []),
    ("STROKE", "II.B.8.b", "met", {"neuro_deficit_needs_rehab": True, "months_since_stroke": 6}, []),
    ("STROKE", "II.B.8.b", "not_met", {"neuro_deficit_needs_rehab": True, "months_since_stroke": 5}, []),
    ("STROKE", "II.B.8.b", "unknown", {"months_since_stroke": 3}, ["facts.neuro_deficit_needs_rehab"]),
    ("STROKE", "II.B.8.c", "met", {"recurrent_stroke": False}, []),
    ("STROKE", "II.B.8.c", "not_met", {"recurrent_stroke": True}, []),
    ("STROKE", "II.B.8.c", "unknown", {}, ["facts.recurrent_stroke"]),
]  # fmt: skip


@pytest.mark.parametrize(("program", "clause_id", "outcome", "facts", "missing"), CASES)
def test_clause_outcomes(back_criterion, program, clause_id, outcome, facts, missing):
    criterion = back_criterion(program, clause_id, facts, sex="F")
    assert (criterion["outcome"], criterion["missing"]) == (outcome, missing)


@pytest.mark.parametrize("program", ["EPILEPSY", "SCHIZOPHRENIA", "STROKE"])
def test_every_clause_is_tested_met_not_met_and_unknown(program):
    tested = {(clause_id, outcome) for p, clause_id, outcome, _, _ in CASES if p == program}
    ids = [clause.id for clause in BACK_REFERRAL_CLAUSES[program]]
    if program == "SCHIZOPHRENIA":
        ids.remove("II.B.7.d")  # age: tested below from the birth date
    assert tested == {(i, o) for i in ids for o in ("met", "not_met", "unknown")}


@pytest.mark.parametrize(("months", "outcome"), [(5, "not_met"), (5.9, "not_met"), (6, "met")])
def test_seizure_free_boundary(back_criterion, months, outcome):
    criterion = back_criterion("EPILEPSY", "II.B.6.a", {"seizure_free_months": months})
    assert criterion["outcome"] == outcome


def test_pregnancy_and_breastfeeding_count_as_false_for_a_man(back_criterion):
    assert back_criterion("EPILEPSY", "II.B.6.d", {}, sex="M")["outcome"] == "met"
    assert back_criterion("EPILEPSY", "II.B.6.d", {}, sex="F")["outcome"] == "unknown"


@pytest.mark.parametrize(
    ("birth_date", "outcome"),
    [
        ("2008-11-02", "not_met"),  # 17 on 1 November 2026
        ("2007-11-02", "not_met"),  # 18, one day before turning 19
        ("2007-11-01", "met"),  # 19 on as_of
        ("1967-11-01", "met"),  # 59 on as_of
        ("1966-11-02", "met"),  # 59, one day before turning 60
        ("1966-11-01", "not_met"),  # 60 on as_of
    ],
)
def test_schizophrenia_age_boundaries(back_criterion, birth_date, outcome):
    criterion = back_criterion("SCHIZOPHRENIA", "II.B.7.d", {}, birth_date=birth_date)
    assert criterion["outcome"] == outcome


def test_schizophrenia_age_unknown_without_birth_date(back_criterion):
    criterion = back_criterion("SCHIZOPHRENIA", "II.B.7.d", {}, birth_date=None)
    assert (criterion["outcome"], criterion["missing"]) == ("unknown", ["patient.birth_date"])


def test_schizophrenia_age_reason_names_the_age(back_criterion):
    reason = back_criterion("SCHIZOPHRENIA", "II.B.7.d", {}, birth_date="1966-11-01")["reason"]
    assert reason.startswith("Usia 60 tahun di luar rentang 19–59 tahun")


def test_panss_absent_lists_every_item(back_criterion):
    criterion = back_criterion("SCHIZOPHRENIA", "II.B.7.a", {})
    assert criterion["missing"] == [f"facts.panss.{item}" for item in REMISSION]


@pytest.mark.parametrize(
    ("sex", "uric_acid", "outcome", "missing"),
    [
        ("F", 5.9, "met", []),
        ("F", 6, "not_met", []),
        ("M", 6.5, "met", []),
        ("M", 6.9, "met", []),
        ("M", 7, "not_met", []),
        (None, 5.5, "met", []),  # below both thresholds
        (None, 7, "not_met", []),  # above both
        (None, 6.5, "unknown", ["patient.sex"]),
    ],
)
def test_uric_acid_threshold_by_sex(back_criterion, sex, uric_acid, outcome, missing):
    criterion = back_criterion("STROKE", "II.B.8.a.4", {"uric_acid_mg_dl": uric_acid}, sex=sex)
    assert (criterion["outcome"], criterion["missing"]) == (outcome, missing)
