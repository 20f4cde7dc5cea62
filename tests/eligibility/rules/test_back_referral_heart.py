"""Penyakit jantung back-referral criteria — KMK BAB II.B.3.a–d."""

import pytest

from eligibility.rules.programs import BACK_REFERRAL_CLAUSES

HEART_PROGRAMS = ("HEART_HHD", "HEART_ANGINA", "HEART_MI", "HEART_CHF")

CASES = [
    # II.B.3.a Penyakit jantung hipertensi
    ("HEART_HHD", "II.B.3.a.1", "met", {"heart_failure_signs_3m": False}, []),
    ("HEART_HHD", "II.B.3.a.1", "not_met", {"heart_failure_signs_3m": True}, []),
    ("HEART_HHD", "II.B.3.a.1", "unknown", {}, ["facts.heart_failure_signs_3m"]),
    ("HEART_HHD", "II.B.3.a.2", "met", {"arrhythmia": False}, []),
    ("HEART_HHD", "II.B.3.a.2", "not_met", {"arrhythmia": True}, []),
    ("HEART_HHD", "II.B.3.a.2", "unknown", {}, ["facts.arrhythmia"]),
    ("HEART_HHD", "II.B.3.a.3", "met", {"sbp": 139, "dbp": 89, "bp_controlled_months": 3}, []),
    ("HEART_HHD", "II.B.3.a.3", "not_met", {"sbp": 140, "dbp": 90, "bp_controlled_months": 6}, []),
    ("HEART_HHD", "II.B.3.a.3", "unknown", {"bp_controlled_months": 6}, ["facts.sbp", "facts.dbp"]),
    ("HEART_HHD", "II.B.3.a.4", "met", {"activity_limitation_3m": False}, []),
    ("HEART_HHD", "II.B.3.a.4", "not_met", {"activity_limitation_3m": True}, []),
    ("HEART_HHD", "II.B.3.a.4", "unknown", {}, ["facts.activity_limitation_3m"]),
    # II.B.3.b Angina pektoris
    ("HEART_ANGINA", "II.B.3.b.1", "met", {"revascularization_indicated": False}, []),
    ("HEART_ANGINA", "II.B.3.b.1", "met", {"revascularization_indicated": True, "revascularization_done": True}, []),
    ("HEART_ANGINA", "II.B.3.b.1", "not_met", {"revascularization_indicated": True, "revascularization_done": False}, []),
    ("HEART_ANGINA", "II.B.3.b.1", "unknown", {"revascularization_done": False}, ["facts.revascularization_indicated"]),
    ("HEART_ANGINA", "II.B.3.b.2", "met", {"exertional_symptoms": False}, []),
    ("HEART_ANGINA", "II.B.3.b.2", "not_met", {"exertional_symptoms": True}, []),
    ("HEART_ANGINA", "II.B.3.b.2", "unknown", {}, ["facts.exertional_symptoms"]),
    ("HEART_ANGINA", "II.B.3.b.3", "met", {"post_pci": True, "antiplatelet_count": 2, "beta_blocker_optimal": True, "high_intensity_statin": True}, []),
    ("HEART_ANGINA", "II.B.3.b.3", "met", {"post_pci": False, "beta_blocker_optimal": True, "high_intensity_statin": True}, []),
    ("HEART_ANGINA", "II.B.3.b.3", "not_met", {"post_pci": True, "antiplatelet_count": 0, "beta_blocker_optimal": True, "high_intensity_statin": True}, []),
    ("HEART_ANGINA", "II.B.3.b.3", "not_met", {"post_pci": True, "antiplatelet_count": 3, "beta_blocker_optimal": True, "high_intensity_statin": True}, []),
    ("HEART_ANGINA", "II.B.3.b.3", "not_met", {"post_pci": False, "beta_blocker_optimal": True, "high_intensity_statin": False}, []),
    ("HEART_ANGINA", "II.B.3.b.3", "unknown", {"post_pci": True, "beta_blocker_optimal": True, "high_intensity_statin": True}, ["facts.antiplatelet_count"]),
    ("HEART_ANGINA", "II.B.3.b.4", "met", {"sbp": 139, "dbp": 89}, []),
    ("HEART_ANGINA", "II.B.3.b.4", "not_met", {"sbp": 140, "dbp": 89}, []),
    ("HEART_ANGINA", "II.B.3.b.4", "unknown", {"sbp": 139}, ["facts.dbp"]),
    # II.B.3.c Pasca infark miokardium
    ("HEART_MI", "II.B.3.c.1", "met", {"revascularization_indicated": True, "revascularization_done": True}, []),
    ("HEART_MI", "II.B.3.c.1", "not_met", {"revascularization_indicated": True, "revascularization_done": False}, []),
    ("HEART_MI", "II.B.3.c.1", "unknown", {"revascularization_indicated": True}, ["facts.revascularization_done"]),
    ("HEART_MI", "II.B.3.c.2", "met", {"ccs_class_max_3m": 1}, []),
    ("HEART_MI", "II.B.3.c.2", "met", {"ccs_class_max_3m": 0}, []),
    ("HEART_MI", "II.B.3.c.2", "not_met", {"ccs_class_max_3m": 2}, []),
    ("HEART_MI", "II.B.3.c.2", "unknown", {}, ["facts.ccs_class_max_3m"]),
    ("HEART_MI", "II.B.3.c.3", "met", {"nyha_class": 2}, []),
    ("HEART_MI", "II.B.3.c.3", "not_met", {"nyha_class": 3}, []),
    ("HEART_MI", "II.B.3.c.3", "unknown", {}, ["facts.nyha_class"]),
    ("HEART_MI", "II.B.3.c.4", "met", {"antiplatelet_count": 2}, []),
    ("HEART_MI", "II.B.3.c.4", "not_met", {"antiplatelet_count": 1}, []),
    ("HEART_MI", "II.B.3.c.4", "unknown", {}, ["facts.antiplatelet_count"]),
    ("HEART_MI", "II.B.3.c.5", "met", {"beta_blocker_optimal": True, "resting_hr": 69}, []),
    ("HEART_MI", "II.B.3.c.5", "not_met", {"beta_blocker_optimal": True, "resting_hr": 70}, []),
    ("HEART_MI", "II.B.3.c.5", "unknown", {"resting_hr": 60}, ["facts.beta_blocker_optimal"]),
    ("HEART_MI", "II.B.3.c.6", "met", {"high_intensity_statin": True}, []),
    ("HEART_MI", "II.B.3.c.6", "not_met", {"high_intensity_statin": False}, []),
    ("HEART_MI", "II.B.3.c.6", "unknown", {}, ["facts.high_intensity_statin"]),
    ("HEART_MI", "II.B.3.c.7", "met", {"lvef_percent": 55, "hypertension": False}, []),
    ("HEART_MI", "II.B.3.c.7", "met", {"lvef_percent": 35, "acei_or_arb": True}, []),
    ("HEART_MI", "II.B.3.c.7", "not_met", {"lvef_percent": 39, "acei_or_arb": False}, []),
    ("HEART_MI", "II.B.3.c.7", "not_met", {"lvef_percent": 60, "hypertension": True, "acei_or_arb": False}, []),
    ("HEART_MI", "II.B.3.c.7", "unknown", {"lvef_percent": 40, "acei_or_arb": False}, ["facts.hypertension"]),
    ("HEART_MI", "II.B.3.c.8", "met", {"sbp": 139, "dbp": 89}, []),
    ("HEART_MI", "II.B.3.c.8", "not_met", {"sbp": 139, "dbp": 90}, []),
    ("HEART_MI", "II.B.3.c.8", "unknown", {}, ["facts.sbp", "facts.dbp"]),
    # II.B.3.d Gagal jantung kronik
    ("HEART_CHF", "II.B.3.d.1", "met", {"nyha_class_max_3m": 2}, []),
    ("HEART_CHF", "II.B.3.d.1", "not_met", {"nyha_class_max_3m": 3}, []),
    ("HEART_CHF", "II.B.3.d.1", "unknown", {}, ["facts.nyha_class_max_3m"]),
    ("HEART_CHF", "II.B.3.d.2", "met", {"fluid_volume_stable_months": 3}, []),
    ("HEART_CHF", "II.B.3.d.2", "not_met", {"fluid_volume_stable_months": 2}, []),
    ("HEART_CHF", "II.B.3.d.2", "unknown", {}, ["facts.fluid_volume_stable_months"]),
    ("HEART_CHF", "II.B.3.d.3", "met", {"sbp": 91, "dbp": 61, "urine_output_adequate": True}, []),
    ("HEART_CHF", "II.B.3.d.3", "not_met", {"sbp": 90, "dbp": 61, "urine_output_adequate": True}, []),
    ("HEART_CHF", "II.B.3.d.3", "not_met", {"sbp": 110, "dbp": 60, "urine_output_adequate": True}, []),
    ("HEART_CHF", "II.B.3.d.3", "unknown", {"sbp": 110, "dbp": 70}, ["facts.urine_output_adequate"]),
    ("HEART_CHF", "II.B.3.d.4", "met", {"acute_cause_resolved": True}, []),
    ("HEART_CHF", "II.B.3.d.4", "not_met", {"acute_cause_resolved": False}, []),
    ("HEART_CHF", "II.B.3.d.4", "unknown", {}, ["facts.acute_cause_resolved"]),
    ("HEART_CHF", "II.B.3.d.5", "met", {"gdmt_euvolemic": True}, []),
    ("HEART_CHF", "II.B.3.d.5", "not_met", {"gdmt_euvolemic": False}, []),
    ("HEART_CHF", "II.B.3.d.5", "unknown", {}, ["facts.gdmt_euvolemic"]),
    ("HEART_CHF", "II.B.3.d.6", "met", {"on_warfarin": False}, []),
    ("HEART_CHF", "II.B.3.d.6", "not_met", {"on_warfarin": True}, []),
    ("HEART_CHF", "II.B.3.d.6", "unknown", {}, ["facts.on_warfarin"]),
    ("HEART_CHF", "II.B.3.d.7", "met", {"cardiac_device": False}, []),
    ("HEART_CHF", "II.B.3.d.7", "not_met", {"cardiac_device": True}, []),
    ("HEART_CHF", "II.B.3.d.7", "unknown", {}, ["facts.cardiac_device"]),
]  # fmt: skip


@pytest.mark.parametrize(("program", "clause_id", "outcome", "facts", "missing"), CASES)
def test_clause_outcomes(back_criterion, program, clause_id, outcome, facts, missing):
    criterion = back_criterion(program, clause_id, facts)
    assert (criterion["outcome"], criterion["missing"]) == (outcome, missing)


@pytest.mark.parametrize("program", HEART_PROGRAMS)
def test_every_clause_is_tested_met_not_met_and_unknown(program):
    tested = {(clause_id, outcome) for p, clause_id, outcome, _, _ in CASES if p == program}
    ids = [clause.id for clause in BACK_REFERRAL_CLAUSES[program]]
    assert tested == {(i, o) for i in ids for o in ("met", "not_met", "unknown")}


def test_heart_programs_list_their_clauses_in_kmk_order(back_referral):
    response = back_referral("HEART_MI")
    assert [c["id"] for c in response["criteria"]][6:] == [f"II.B.3.c.{n}" for n in range(1, 9)]
