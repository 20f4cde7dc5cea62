"""Request validation: every malformed request is refused with field errors in Indonesian."""

from typing import Any

import pytest

from eligibility.rules import RequestError, evaluate
from eligibility.rules.programs import BACK_REFERRAL_FACTS, RE_REFERRAL_FACTS

AS_OF = "2026-11-01"


def errors_of(request: Any) -> dict[str, list[str]]:
    with pytest.raises(RequestError) as caught:
        evaluate(request)
    return caught.value.errors


def dm(facts: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"program": "DM", "as_of": AS_OF, "facts": facts, **extra}


def test_a_valid_request_is_accepted():
    response = evaluate(dm({"hba1c_percent": 6.5}))
    assert (response["program"], response["mode"], response["outcome"]) == (
        "DM",
        "back_referral",
        "incomplete",
    )
    assert "facts.hba1c_percent" not in response["missing"]  # the fact given was read


def test_a_request_that_is_not_an_object_is_refused():
    assert errors_of(["DM"]) == {"request": ["Permintaan harus berupa objek JSON."]}


@pytest.mark.parametrize(
    ("request_", "path"),
    [
        ({"as_of": AS_OF}, "program"),
        ({"program": "GOUT"}, "program"),
        ({"program": "dm"}, "program"),
        ({"program": "DM", "mode": "rujuk_balik"}, "mode"),
        ({"program": "DM", "patient": {"sex": "L"}}, "patient.sex"),
        ({"program": "DM", "programme": "DM"}, "programme"),
        ({"program": "DM", "patient": {"sex": "M", "nik": "1"}}, "patient.nik"),
        ({"program": "DM", "general": {"g": True}}, "general.g"),
        ({"program": "DM", "general": {"a": "ya"}}, "general.a"),
        ({"program": "DM", "general": {"comorbidities": {}}}, "general.comorbidities"),
        (
            {"program": "DM", "general": {"comorbidities": [{"icd10": "E78.5", "since": 1}]}},
            "general.comorbidities[0].since",
        ),
        (
            {"program": "DM", "general": {"comorbidities": [{"controlled_months": 4}]}},
            "general.comorbidities[0].icd10",
        ),
        (
            {"program": "DM", "general": {"comorbidities": [{"icd10": "lipid"}]}},
            "general.comorbidities[0].icd10",
        ),
        (
            {
                "program": "DM",
                "general": {"comorbidities": [{"icd10": "E78.5", "controlled_months": 601}]},
            },
            "general.comorbidities[0].controlled_months",
        ),
        ({"program": "DM", "facts": []}, "facts"),
    ],
)
def test_unknown_or_malformed_fields_are_refused(request_, path):
    assert path in errors_of(request_)


@pytest.mark.parametrize("as_of", ["2026-13-01", "2026-02-30", "2026/11/01", "20261101", 20261101])
def test_a_malformed_date_is_refused(as_of):
    assert errors_of({"program": "DM", "as_of": as_of}) == {
        "as_of": ["Tanggal harus berformat YYYY-MM-DD dan valid."]
    }


def test_a_birth_date_after_as_of_is_refused():
    errors = errors_of(dm({}, patient={"birth_date": "2026-11-02"}))
    assert errors == {
        "patient.birth_date": ["Tanggal lahir tidak boleh setelah tanggal evaluasi (as_of)."]
    }


def test_a_birth_date_on_as_of_is_accepted():
    response = evaluate(dm({}, patient={"birth_date": AS_OF}))
    assert "patient.birth_date" not in response["missing"]
    assert "patient.birth_date" in evaluate(dm({}))["missing"]


def test_a_fact_of_another_program_is_refused():
    errors = errors_of({"program": "HT", "facts": {"hba1c_percent": 6.5}})
    assert errors == {"facts.hba1c_percent": ["Fakta tidak dikenal untuk program HT."]}


@pytest.mark.parametrize(
    ("facts", "message"),
    [
        ({"ecg_normal": "true"}, "Harus berupa boolean (true/false)."),
        ({"ecg_normal": 1}, "Harus berupa boolean (true/false)."),
        ({"urine_protein_plus": 1.5}, "Harus berupa bilangan bulat."),
        ({"urine_protein_plus": True}, "Harus berupa bilangan bulat."),
        ({"oral_antidiabetic_count": "2"}, "Harus berupa bilangan bulat."),
        ({"hba1c_percent": "7,4"}, "Harus berupa angka."),
        ({"hba1c_percent": True}, "Harus berupa angka."),
        ({"hba1c_percent": float("nan")}, "Harus berupa angka."),
    ],
)
def test_wrong_types_are_refused(facts, message):
    (name,) = facts
    assert errors_of(dm(facts)) == {f"facts.{name}": [message]}


def test_integer_fields_accept_a_whole_number_float():
    response = evaluate(dm({"urine_protein_plus": 1.0, "antihypertensive_count": 2.0}))
    reasons = {c["id"]: c["reason"] for c in response["criteria"]}
    assert reasons["II.B.1.c"].startswith("Protein urin +1 ≤ +1")
    assert "Obat antihipertensi 2 ≤ 2" in reasons["II.B.1.f"]


def test_months_may_be_fractional():
    response = evaluate({"program": "EPILEPSY", "facts": {"seizure_free_months": 5.5}})
    reasons = {c["id"]: c["reason"] for c in response["criteria"]}
    assert reasons["II.B.6.a"] == "Bebas bangkitan 5,5 bulan < 6 bulan"


def test_null_is_a_missing_fact():
    response = evaluate(dm({"hba1c_percent": None}))
    assert "facts.hba1c_percent" in response["missing"]


# The contract's range table: (program, fact, low, high, smallest step out of range).
INTEGER, NUMBER = 1, 0.01
RANGES = [
    ("DM", "hba1c_percent", 3, 20, NUMBER),
    ("DM", "fpg_mg_dl", 20, 1000, NUMBER),
    ("DM", "ppg2h_mg_dl", 20, 1000, NUMBER),
    ("DM", "ldl_mg_dl", 10, 500, NUMBER),
    ("STROKE", "uric_acid_mg_dl", 0.5, 20, NUMBER),
    ("DM", "creatinine_mg_dl", 0.1, 20, NUMBER),
    ("DM", "egfr", 0, 200, NUMBER),
    ("DM", "sbp", 50, 300, NUMBER),
    ("DM", "dbp", 20, 200, NUMBER),
    ("HEART_MI", "resting_hr", 20, 250, NUMBER),
    ("HEART_MI", "lvef_percent", 5, 90, NUMBER),
    ("ASTHMA", "fev1_percent_predicted", 5, 150, NUMBER),
    ("ASTHMA", "ics_mcg_per_day", 0, 5000, NUMBER),
    ("ASTHMA", "act_score", 5, 25, INTEGER),
    ("COPD", "cat_score", 0, 40, INTEGER),
    ("COPD", "mmrc", 0, 4, INTEGER),
    ("HEART_MI", "nyha_class", 1, 4, INTEGER),
    ("HEART_CHF", "nyha_class_max_3m", 1, 4, INTEGER),
    ("HEART_MI", "ccs_class_max_3m", 0, 4, INTEGER),
    ("SLE", "sledai_2k", 0, 105, INTEGER),
    ("DM", "urine_protein_plus", 0, 4, INTEGER),
    ("DM", "basal_insulin_units_per_day", 0, 300, NUMBER),
    ("SLE", "corticosteroid_mg_per_day", 0, 1000, NUMBER),
    ("DM", "oral_antidiabetic_count", 0, 50, INTEGER),
    ("DM", "antihypertensive_count", 0, 50, INTEGER),
    ("HEART_ANGINA", "antiplatelet_count", 0, 50, INTEGER),
    ("COPD", "exacerbations_hospitalized_12m", 0, 50, INTEGER),
    ("COPD", "exacerbations_not_hospitalized_12m", 0, 50, INTEGER),
    ("HT", "bp_controlled_months", 0, 600, NUMBER),
    ("HEART_CHF", "fluid_volume_stable_months", 0, 600, NUMBER),
    ("EPILEPSY", "seizure_free_months", 0, 600, NUMBER),
    ("SCHIZOPHRENIA", "maintenance_months_without_relapse", 0, 600, NUMBER),
    ("STROKE", "months_since_stroke", 0, 600, NUMBER),
    ("SLE", "remission_months", 0, 600, NUMBER),
]


@pytest.mark.parametrize(("program", "name", "low", "high", "step"), RANGES)
def test_values_out_of_range_are_refused(program, name, low, high, step):
    for value in (low, high):
        evaluate({"program": program, "facts": {name: value}})
    for value in (low - step, high + step):
        errors = errors_of({"program": program, "facts": {name: value}})
        assert list(errors) == [f"facts.{name}"]
        assert errors[f"facts.{name}"][0].startswith("Harus antara ")


def test_range_messages_name_the_range_with_unit():
    assert errors_of(dm({"hba1c_percent": 21})) == {
        "facts.hba1c_percent": ["Harus antara 3 dan 20%."]
    }
    assert errors_of(dm({"sbp": 301})) == {"facts.sbp": ["Harus antara 50 dan 300 mmHg."]}


@pytest.mark.parametrize(
    ("program", "facts", "paths"),
    [
        (
            "ASTHMA",
            {"act_score": 25, "act_items": [5, 5, 5, 5, 5]},
            ["facts.act_score", "facts.act_items"],
        ),
        ("COPD", {"cat_score": 5, "cat_items": [0] * 8}, ["facts.cat_score", "facts.cat_items"]),
        ("SLE", {"sledai_2k": 0, "sledai_items": []}, ["facts.sledai_2k", "facts.sledai_items"]),
    ],
)
def test_a_score_given_with_its_items_is_refused(program, facts, paths):
    errors = errors_of({"program": program, "facts": facts})
    assert sorted(errors) == sorted(paths)


@pytest.mark.parametrize(
    ("program", "facts", "path"),
    [
        ("ASTHMA", {"act_items": [5, 5, 5, 5]}, "facts.act_items"),
        ("ASTHMA", {"act_items": [5, 5, 5, 5, 0]}, "facts.act_items[4]"),
        ("ASTHMA", {"act_items": [5, 5, 5, 5, 6]}, "facts.act_items[4]"),
        ("ASTHMA", {"act_items": [5, 5, 5, 5, 4.5]}, "facts.act_items[4]"),
        ("ASTHMA", {"act_items": "55555"}, "facts.act_items"),
        ("COPD", {"cat_items": [0] * 9}, "facts.cat_items"),
        ("COPD", {"cat_items": [0, 0, 0, 0, 0, 0, 0, 6]}, "facts.cat_items[7]"),
        ("SLE", {"sledai_items": ["rash", "lupus_nephritis"]}, "facts.sledai_items[1]"),
        ("SLE", {"sledai_items": ["rash", "rash"]}, "facts.sledai_items[1]"),
        ("SLE", {"sledai_items": [8]}, "facts.sledai_items[0]"),
        ("SCHIZOPHRENIA", {"panss": {"P1": 2, "P4": 2}}, "facts.panss.P4"),
        ("SCHIZOPHRENIA", {"panss": {"P1": 8}}, "facts.panss.P1"),
        ("SCHIZOPHRENIA", {"panss": {"P1": 0}}, "facts.panss.P1"),
        ("SCHIZOPHRENIA", {"panss": [1, 2]}, "facts.panss"),
        ("ASTHMA", {"ics_drug": ""}, "facts.ics_drug"),
        ("SLE", {"corticosteroid_drug": 5}, "facts.corticosteroid_drug"),
    ],
)
def test_malformed_items_are_refused_at_their_path(program, facts, path):
    assert path in errors_of({"program": program, "facts": facts})


def test_sledai_messages_name_the_descriptor():
    errors = errors_of({"program": "SLE", "facts": {"sledai_items": ["rash", "rash"]}})
    assert errors == {"facts.sledai_items[1]": ["Deskriptor SLEDAI-2K berulang: 'rash'."]}


@pytest.mark.parametrize(
    ("program", "name"),
    [
        ("EPILEPSY", "pregnant"),
        ("EPILEPSY", "breastfeeding"),
        ("HT", "pregnancy_hypertension"),
        ("SLE", "pregnant"),
    ],
)
def test_a_pregnancy_fact_true_for_a_man_is_refused(program, name):
    errors = errors_of({"program": program, "patient": {"sex": "M"}, "facts": {name: True}})
    assert errors == {
        f"facts.{name}": ["Tidak boleh true untuk pasien laki-laki (jenis kelamin M)."]
    }


def test_a_pregnancy_fact_true_for_a_woman_or_unknown_sex_is_accepted():
    for patient in ({"sex": "F"}, {}):
        response = evaluate({"program": "SLE", "patient": patient, "facts": {"pregnant": True}})
        (pregnancy,) = [c for c in response["criteria"] if c["id"] == "II.B.9.c"]
        assert (pregnancy["outcome"], pregnancy["reason"]) == ("not_met", "Hamil: ya")


def test_a_pregnancy_fact_true_in_a_visit_of_a_man_is_refused():
    errors = errors_of(
        {
            "mode": "re_referral",
            "program": "EPILEPSY",
            "as_of": AS_OF,
            "patient": {"sex": "M"},
            "visits": [{"date": "2026-10-01", "facts": {"delivery": True}}],
        }
    )
    assert list(errors) == ["visits[0].facts.delivery"]


def test_every_problem_is_reported_at_once():
    errors = errors_of(
        {
            "program": "DM",
            "as_of": AS_OF,
            "patient": {"sex": "X"},
            "facts": {"hba1c_percent": 25, "ecg_normal": "yes", "seizure_free_months": 6},
        }
    )
    assert sorted(errors) == [
        "facts.ecg_normal",
        "facts.hba1c_percent",
        "facts.seizure_free_months",
        "patient.sex",
    ]


class TestReReferralRequests:
    def test_visits_and_baseline_belong_to_re_referral_only(self):
        errors = errors_of(dm({}, visits=[{"date": AS_OF}], baseline={"hba1c_percent": 6}))
        assert errors == {
            "baseline": ["Hanya untuk mode re_referral."],
            "visits": ["Hanya untuk mode re_referral."],
        }

    def test_empty_visits_and_baseline_are_tolerated_in_back_referral(self):
        assert evaluate(dm({}, visits=[], baseline={}))["mode"] == "back_referral"

    def test_top_level_facts_are_refused_in_re_referral(self):
        errors = errors_of({"mode": "re_referral", "program": "DM", "facts": {"sbp": 120}})
        assert list(errors) == ["facts"]

    @pytest.mark.parametrize(
        ("visit", "path"),
        [
            ({"facts": {}}, "visits[0].date"),
            ({"date": "2026-11-02", "facts": {}}, "visits[0].date"),
            ({"date": "01-10-2026"}, "visits[0].date"),
            ({"date": "2026-10-01", "note": "x"}, "visits[0].note"),
            ({"date": "2026-10-01", "facts": {"hba1c_percent": 2}}, "visits[0].facts.hba1c_percent"),
            ({"date": "2026-10-01", "facts": {"fev1_percent_predicted": 70}}, "visits[0].facts.fev1_percent_predicted"),
        ],
    )  # fmt: skip
    def test_malformed_visits_are_refused(self, visit, path):
        errors = errors_of(
            {"mode": "re_referral", "program": "DM", "as_of": AS_OF, "visits": [visit]}
        )
        assert path in errors

    def test_a_visit_on_as_of_is_accepted(self):
        response = evaluate(
            {"mode": "re_referral", "program": "DM", "as_of": AS_OF, "visits": [{"date": AS_OF}]}
        )
        reasons = {c["id"]: c["reason"] for c in response["criteria"]}
        assert "kunjungan 1 November 2026" in reasons["III.B.1.d.2"]  # the visit is read

    def test_baseline_facts_are_validated(self):
        errors = errors_of(
            {"mode": "re_referral", "program": "HEART_MI", "baseline": {"nyha_class": 5}}
        )
        assert errors == {"baseline.nyha_class": ["Harus antara 1 dan 4."]}

    def test_visits_accept_the_common_re_referral_facts_for_every_program(self):
        for program in RE_REFERRAL_FACTS:
            evaluate(
                {
                    "mode": "re_referral",
                    "program": program,
                    "as_of": AS_OF,
                    "visits": [
                        {
                            "date": "2026-10-01",
                            "facts": {
                                "medical_need": False,
                                "deterioration": False,
                                "medicines_unavailable": False,
                            },
                        }
                    ],
                }
            )

    def test_common_re_referral_facts_are_refused_in_back_referral(self):
        assert list(errors_of(dm({"medical_need": True}))) == ["facts.medical_need"]


# The contract's fact names per program (BAB II.B), so the accepted set cannot drift.
CONTRACT_BACK_REFERRAL_FACTS = {
    "DM": {
        "hba1c_percent", "fpg_mg_dl", "ppg2h_mg_dl", "non_basal_insulin",
        "basal_insulin_units_per_day", "oral_antidiabetic_count", "neuropathy",
        "neuropathy_treated_neurotropic", "urine_protein_plus", "ecg_normal", "egfr",
        "creatinine_mg_dl", "sbp", "dbp", "antihypertensive_count", "ldl_mg_dl",
        "very_high_cv_risk",
    },
    "HT": {
        "sbp", "dbp", "bp_controlled_months", "hmod_examined", "heart_failure", "ckd_stage_3_5",
        "egfr", "creatinine_mg_dl", "coronary_heart_disease", "stroke",
        "peripheral_vascular_disease", "arrhythmia", "atrial_fibrillation",
        "secondary_hypertension", "pulmonary_hypertension", "pregnancy_hypertension",
    },
    "HEART_HHD": {
        "heart_failure_signs_3m", "arrhythmia", "sbp", "dbp", "bp_controlled_months",
        "activity_limitation_3m",
    },
    "HEART_ANGINA": {
        "revascularization_indicated", "revascularization_done", "exertional_symptoms",
        "post_pci", "antiplatelet_count", "beta_blocker_optimal", "high_intensity_statin",
        "sbp", "dbp",
    },
    "HEART_MI": {
        "revascularization_indicated", "revascularization_done", "ccs_class_max_3m",
        "nyha_class", "antiplatelet_count", "beta_blocker_optimal", "resting_hr",
        "high_intensity_statin", "lvef_percent", "hypertension", "acei_or_arb", "sbp", "dbp",
    },
    "HEART_CHF": {
        "nyha_class_max_3m", "fluid_volume_stable_months", "sbp", "dbp",
        "urine_output_adequate", "acute_cause_resolved", "gdmt_euvolemic", "on_warfarin",
        "cardiac_device",
    },
    "ASTHMA": {
        "act_score", "act_items", "daytime_symptoms_gt_2_per_week", "night_waking",
        "reliever_gt_2_per_week", "activity_limitation", "systemic_corticosteroid", "ics_drug",
        "ics_mcg_per_day", "fev1_percent_predicted", "icu_or_intubation_12m",
        "severe_exacerbation_12m",
    },
    "COPD": {
        "mmrc", "cat_score", "cat_items", "exacerbations_hospitalized_12m",
        "exacerbations_not_hospitalized_12m", "followed_up_1_month",
        "understands_regimen_and_inhaler", "adl_capable",
    },
    "EPILEPSY": {
        "seizure_free_months", "asm_maintenance_dose_reached", "asm_side_effects", "pregnant",
        "breastfeeding",
    },
    "SCHIZOPHRENIA": {
        "panss", "maintenance_months_without_relapse", "first_episode", "substance_dependence",
        "personality_disorder", "uncontrolled_medical_condition", "forensic_case",
        "severe_side_effects", "cognitive_deficit",
    },
    "STROKE": {
        "risk_factors_explored", "diabetes", "sbp", "dbp", "fpg_mg_dl", "ldl_mg_dl",
        "coronary_heart_disease", "uric_acid_mg_dl", "ecg_abnormal", "ecg_abnormal_managed",
        "vascular_imaging_abnormal", "vascular_imaging_abnormal_managed", "blood_cell_disorder",
        "avm", "atrial_fibrillation", "neuro_deficit_needs_rehab", "months_since_stroke",
        "recurrent_stroke",
    },
    "SLE": {
        "sledai_2k", "sledai_items", "remission_months", "other_immunosuppressants",
        "corticosteroid_drug", "corticosteroid_mg_per_day", "pregnant",
    },
}  # fmt: skip

# Re-referral facts (BAB III.B table) beyond the back-referral ones.
CONTRACT_RE_REFERRAL_EXTRA = {
    "DM": {"neuropathy_worsening", "arrhythmia", "ecg_changed"},
    "HT": {"target_organ_damage_signs"},
    "HEART_HHD": {"target_organ_damage_signs"},
    "HEART_ANGINA": set(),
    "HEART_MI": {"chest_pain_worsening"},
    "HEART_CHF": {"progressive_dyspnea", "fluid_overload_refractory"},
    "ASTHMA": {"pef_percent_predicted", "comorbidity_limits_therapy"},
    "COPD": set(),
    "EPILEPSY": {"delivery", "new_comorbidity", "asm_change_planned", "seizure_occurred"},
    "SCHIZOPHRENIA": set(),
    "STROKE": {"new_neuro_deficit", "new_risk_factor", "complication"},
    "SLE": {"flare_suspected"},
}
COMMON = {"medical_need", "deterioration", "medicines_unavailable"}


@pytest.mark.parametrize("program", sorted(CONTRACT_BACK_REFERRAL_FACTS))
def test_each_program_accepts_exactly_the_contract_facts(program):
    assert set(BACK_REFERRAL_FACTS[program]) == CONTRACT_BACK_REFERRAL_FACTS[program]
    assert set(RE_REFERRAL_FACTS[program]) == (
        CONTRACT_BACK_REFERRAL_FACTS[program] | CONTRACT_RE_REFERRAL_EXTRA[program] | COMMON
    )
