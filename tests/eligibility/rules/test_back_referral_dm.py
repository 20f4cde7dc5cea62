"""Diabetes melitus back-referral criteria — KMK BAB II.B.1."""

import pytest

from eligibility.rules.programs import BACK_REFERRAL_CLAUSES

THERAPY = {
    "non_basal_insulin": False,
    "basal_insulin_units_per_day": 0,
    "oral_antidiabetic_count": 2,
}
STABLE = {
    "hba1c_percent": 6.5,
    **THERAPY,
    "neuropathy": False,
    "urine_protein_plus": 0,
    "ecg_normal": True,
    "egfr": 85,
    "sbp": 130,
    "dbp": 80,
    "antihypertensive_count": 1,
    "ldl_mg_dl": 90,
    "very_high_cv_risk": False,
}  # fmt: skip
FAILED_GLUCOSE = {"hba1c_percent": 7.5, "fpg_mg_dl": 150, "ppg2h_mg_dl": 200}

CASES = [
    ("II.B.1.a", "met", {"hba1c_percent": 6.5, **THERAPY}, []),
    ("II.B.1.a", "met", {"fpg_mg_dl": 100, **THERAPY}, []),
    ("II.B.1.a", "met", {"ppg2h_mg_dl": 150, **THERAPY}, []),
    ("II.B.1.a", "not_met", {**FAILED_GLUCOSE, **THERAPY}, []),
    ("II.B.1.a", "not_met", {"hba1c_percent": 6.5, **THERAPY, "non_basal_insulin": True}, []),
    (
        "II.B.1.a",
        "unknown",
        {"hba1c_percent": 7.5, **THERAPY},
        ["facts.fpg_mg_dl", "facts.ppg2h_mg_dl"],
    ),
    ("II.B.1.b", "met", {"neuropathy": False}, []),
    ("II.B.1.b", "met", {"neuropathy": True, "neuropathy_treated_neurotropic": True}, []),
    ("II.B.1.b", "not_met", {"neuropathy": True, "neuropathy_treated_neurotropic": False}, []),
    ("II.B.1.b", "unknown", {"neuropathy": True}, ["facts.neuropathy_treated_neurotropic"]),
    (
        "II.B.1.b",
        "unknown",
        {"neuropathy_treated_neurotropic": False},
        ["facts.neuropathy"],
    ),
    ("II.B.1.b", "met", {"neuropathy_treated_neurotropic": True}, []),  # X unknown, Y met
    ("II.B.1.c", "met", {"urine_protein_plus": 1}, []),
    ("II.B.1.c", "met", {"urine_protein_plus": 0}, []),
    ("II.B.1.c", "not_met", {"urine_protein_plus": 2}, []),
    ("II.B.1.c", "unknown", {}, ["facts.urine_protein_plus"]),
    ("II.B.1.d", "met", {"ecg_normal": True}, []),
    ("II.B.1.d", "not_met", {"ecg_normal": False}, []),
    ("II.B.1.d", "unknown", {}, ["facts.ecg_normal"]),
    ("II.B.1.e", "met", {"egfr": 60.1}, []),
    ("II.B.1.e", "not_met", {"egfr": 60}, []),
    (
        "II.B.1.e",
        "unknown",
        {},
        ["facts.egfr", "facts.creatinine_mg_dl"],
    ),
    ("II.B.1.f", "met", {"sbp": 139, "dbp": 89, "antihypertensive_count": 2}, []),
    ("II.B.1.f", "not_met", {"sbp": 140, "dbp": 89, "antihypertensive_count": 2}, []),
    ("II.B.1.f", "not_met", {"sbp": 139, "dbp": 90, "antihypertensive_count": 2}, []),
    ("II.B.1.f", "not_met", {"sbp": 120, "dbp": 70, "antihypertensive_count": 3}, []),
    ("II.B.1.f", "unknown", {"sbp": 120, "antihypertensive_count": 1}, ["facts.dbp"]),
    ("II.B.1.g", "met", {"ldl_mg_dl": 99, "very_high_cv_risk": False}, []),
    ("II.B.1.g", "met", {"ldl_mg_dl": 69, "very_high_cv_risk": True}, []),
    ("II.B.1.g", "met", {"ldl_mg_dl": 65}, []),  # both thresholds met
    ("II.B.1.g", "not_met", {"ldl_mg_dl": 100, "very_high_cv_risk": False}, []),
    ("II.B.1.g", "not_met", {"ldl_mg_dl": 70, "very_high_cv_risk": True}, []),
    ("II.B.1.g", "not_met", {"ldl_mg_dl": 120}, []),  # both thresholds failed
    ("II.B.1.g", "unknown", {"ldl_mg_dl": 85}, ["facts.very_high_cv_risk"]),
]


@pytest.mark.parametrize(("clause_id", "outcome", "facts", "missing"), CASES)
def test_clause_outcomes(back_criterion, clause_id, outcome, facts, missing):
    criterion = back_criterion("DM", clause_id, facts)
    assert (criterion["outcome"], criterion["missing"]) == (outcome, missing)


def test_every_clause_is_tested_met_not_met_and_unknown():
    tested = {(clause_id, outcome) for clause_id, outcome, _, _ in CASES}
    ids = [clause.id for clause in BACK_REFERRAL_CLAUSES["DM"]]
    assert tested == {(i, o) for i in ids for o in ("met", "not_met", "unknown")}


def test_a_stable_patient_meets_every_dm_criterion(back_referral):
    response = back_referral("DM", STABLE, general={k: True for k in "abcdef"})
    assert response["outcome"] == "eligible"
    assert response["missing"] == []


@pytest.mark.parametrize(
    ("facts", "outcome"),
    [
        ({"hba1c_percent": 6.9}, "met"),
        ({"hba1c_percent": 7.0}, "not_met"),
        ({"fpg_mg_dl": 80}, "met"),
        ({"fpg_mg_dl": 130}, "met"),
        ({"fpg_mg_dl": 79}, "not_met"),
        ({"fpg_mg_dl": 131}, "not_met"),
        ({"ppg2h_mg_dl": 179}, "met"),
        ({"ppg2h_mg_dl": 180}, "not_met"),
    ],
)
def test_glycaemic_boundaries(back_criterion, facts, outcome):
    # The other two targets fail, so the one under test decides.
    criterion = back_criterion("DM", "II.B.1.a", {**FAILED_GLUCOSE, **THERAPY, **facts})
    assert criterion["outcome"] == outcome


@pytest.mark.parametrize(
    ("therapy", "outcome"),
    [
        ({"basal_insulin_units_per_day": 19, "oral_antidiabetic_count": 0}, "met"),
        ({"basal_insulin_units_per_day": 20, "oral_antidiabetic_count": 0}, "not_met"),
        ({"basal_insulin_units_per_day": 10, "oral_antidiabetic_count": 2}, "met"),
        ({"basal_insulin_units_per_day": 0, "oral_antidiabetic_count": 0}, "not_met"),
        ({"oral_antidiabetic_count": 1}, "unknown"),  # basal dose not given
    ],
)
def test_allowed_therapy(back_criterion, therapy, outcome):
    facts = {"hba1c_percent": 6.5, "non_basal_insulin": False, **therapy}
    assert back_criterion("DM", "II.B.1.a", facts)["outcome"] == outcome


def test_reasons_name_the_values_with_decimal_commas(back_criterion):
    criterion = back_criterion(
        "DM", "II.B.1.a", {**FAILED_GLUCOSE, "hba1c_percent": 7.4, **THERAPY}
    )
    assert criterion["reason"].startswith(
        "HbA1c 7,4% ≥ 7%; GDP 150 mg/dL di luar rentang 80–130 mg/dL; "
        "GD 2 jam PP 200 mg/dL ≥ 180 mg/dL"
    )


def test_an_ambiguous_clause_states_its_reading(back_criterion):
    reason = back_criterion("DM", "II.B.1.c", {"urine_protein_plus": 1})["reason"]
    assert reason == (
        'Protein urin +1 ≤ +1. Tafsiran: "Positif satu" dibaca sebagai paling tinggi +1 '
        "(negatif juga terpenuhi)."
    )


class TestEgfr:
    def test_it_is_computed_from_creatinine_with_ckd_epi_2021(self, back_criterion):
        # Man aged 55 on as_of, creatinine 1.2 → 71.4.
        criterion = back_criterion(
            "DM", "II.B.1.e", {"creatinine_mg_dl": 1.2}, sex="M", birth_date="1971-06-15"
        )
        assert criterion["outcome"] == "met"
        assert criterion["reason"].startswith("eGFR 71,4 mL/menit/1,73 m² > 60")
        assert "CKD-EPI 2021" in criterion["reason"] and "55 tahun" in criterion["reason"]

    def test_a_computed_value_is_compared_unrounded(self, back_criterion):
        # A woman of 65 with creatinine 3.5 has 13.9: far below; the reason keeps decimals.
        criterion = back_criterion(
            "DM", "II.B.1.e", {"creatinine_mg_dl": 3.5}, sex="F", birth_date="1961-01-01"
        )
        assert criterion["outcome"] == "not_met"
        assert criterion["reason"].startswith("eGFR 13,9 ")

    def test_age_is_taken_in_completed_years_at_as_of(self, back_criterion):
        day_before_birthday = back_criterion(
            "DM", "II.B.1.e", {"creatinine_mg_dl": 1.2}, birth_date="1971-11-02"
        )
        assert "54 tahun" in day_before_birthday["reason"]

    def test_an_entered_egfr_wins_over_creatinine(self, back_criterion):
        criterion = back_criterion("DM", "II.B.1.e", {"egfr": 59, "creatinine_mg_dl": 0.8})
        assert criterion["outcome"] == "not_met"

    @pytest.mark.parametrize(
        ("patient", "missing"),
        [
            ({"sex": None}, ["facts.egfr", "patient.sex"]),
            ({"birth_date": None}, ["facts.egfr", "patient.birth_date"]),
        ],
    )
    def test_without_sex_or_age_it_cannot_be_computed(self, back_criterion, patient, missing):
        criterion = back_criterion("DM", "II.B.1.e", {"creatinine_mg_dl": 1.0}, **patient)
        assert (criterion["outcome"], criterion["missing"]) == ("unknown", missing)
