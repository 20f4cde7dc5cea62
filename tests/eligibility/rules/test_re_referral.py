"""Re-referral (rujuk ulang) criteria and their 3-month window — KMK BAB III.B.x.d."""

from typing import Any

import pytest

from eligibility.rules.programs import PROGRAMS, RE_REFERRAL_CLAUSES
from eligibility.rules.request import RequestError

VISIT_DAY = "2026-10-01"


def pick(response: dict[str, Any], clause_id: str) -> dict[str, Any]:
    (criterion,) = [c for c in response["criteria"] if c["id"] == clause_id]
    return criterion


# inside the window ending on AS_OF (2026-11-01)

STROKE_ON_TARGET = {
    "sbp": 130,
    "dbp": 80,
    "diabetes": False,
    "fpg_mg_dl": 100,
    "ldl_mg_dl": 100,
    "coronary_heart_disease": False,
    "uric_acid_mg_dl": 5,
    "new_risk_factor": False,
    "complication": False,
}
NO_FLARE = {"flare_suspected": False, "sledai_2k": 0, "pregnant": False}

# (program, clause, outcome, facts of one visit on VISIT_DAY, baseline)
CASES: list[tuple[str, str, str, dict[str, Any], dict[str, Any] | None]] = [
    ("DM", "III.B.1.d.2", "triggered", {"hba1c_percent": 7}, None),
    ("DM", "III.B.1.d.2", "triggered", {"fpg_mg_dl": 131}, None),
    ("DM", "III.B.1.d.2", "triggered", {"ppg2h_mg_dl": 180}, None),
    ("DM", "III.B.1.d.2", "clear", {"hba1c_percent": 6.9, "fpg_mg_dl": 130, "ppg2h_mg_dl": 179}, None),
    ("DM", "III.B.1.d.2", "clear", {"hba1c_percent": 6.9}, None),  # absent measures ignored
    ("DM", "III.B.1.d.2", "clear", {"hba1c_percent": 7.4}, {"hba1c_percent": 7.5}),
    ("DM", "III.B.1.d.2", "unknown", {"sbp": 120}, {"hba1c_percent": 7.5}),
    ("DM", "III.B.1.d.3", "triggered", {"basal_insulin_units_per_day": 21}, None),
    ("DM", "III.B.1.d.3", "clear", {"basal_insulin_units_per_day": 20}, None),
    ("DM", "III.B.1.d.3", "unknown", {}, None),
    ("DM", "III.B.1.d.4", "triggered", {"neuropathy_worsening": True}, None),
    ("DM", "III.B.1.d.4", "clear", {"neuropathy_worsening": False}, None),
    ("DM", "III.B.1.d.4", "unknown", {}, None),
    ("DM", "III.B.1.d.5", "triggered", {"urine_protein_plus": 2}, None),
    ("DM", "III.B.1.d.5", "clear", {"urine_protein_plus": 1}, None),
    ("DM", "III.B.1.d.5", "unknown", {}, None),
    ("DM", "III.B.1.d.6", "triggered", {"ecg_changed": True}, None),
    ("DM", "III.B.1.d.6", "clear", {"arrhythmia": False, "ecg_changed": False}, None),
    ("DM", "III.B.1.d.6", "unknown", {"arrhythmia": False}, None),
    ("DM", "III.B.1.d.7", "triggered", {"egfr": 59.9}, None),
    ("DM", "III.B.1.d.7", "clear", {"egfr": 60}, None),
    ("DM", "III.B.1.d.7", "unknown", {}, None),
    ("HT", "III.B.2.d.2", "triggered", {"sbp": 141, "dbp": 80}, None),
    ("HT", "III.B.2.d.2", "triggered", {"sbp": 120, "dbp": 91}, None),
    ("HT", "III.B.2.d.2", "clear", {"sbp": 140, "dbp": 90}, None),
    ("HT", "III.B.2.d.2", "unknown", {"sbp": 150}, None),
    ("HT", "III.B.2.d.3", "triggered", {"target_organ_damage_signs": True}, None),
    ("HT", "III.B.2.d.3", "clear", {"target_organ_damage_signs": False}, None),
    ("HT", "III.B.2.d.3", "unknown", {}, None),
    ("HT", "III.B.2.d.4", "triggered", {"deterioration": True, "medicines_unavailable": True}, None),
    ("HT", "III.B.2.d.4", "clear", {"deterioration": True, "medicines_unavailable": False}, None),
    ("HT", "III.B.2.d.4", "unknown", {"deterioration": True}, None),
    ("HEART_HHD", "III.B.3.a.4.b", "triggered", {"sbp": 145, "dbp": 85}, None),
    ("HEART_HHD", "III.B.3.a.4.b", "clear", {"sbp": 135, "dbp": 85}, None),
    ("HEART_HHD", "III.B.3.a.4.b", "unknown", {}, None),
    ("HEART_HHD", "III.B.3.a.4.c", "triggered", {"target_organ_damage_signs": True}, None),
    ("HEART_HHD", "III.B.3.a.4.c", "clear", {"target_organ_damage_signs": False}, None),
    ("HEART_HHD", "III.B.3.a.4.c", "unknown", {}, None),
    ("HEART_HHD", "III.B.3.a.4.d", "triggered", {"deterioration": True}, None),
    ("HEART_HHD", "III.B.3.a.4.d", "clear", {"deterioration": False, "medicines_unavailable": False}, None),
    ("HEART_HHD", "III.B.3.a.4.d", "unknown", {"deterioration": False}, None),
    ("HEART_ANGINA", "III.B.3.b.4.b", "triggered", {"exertional_symptoms": True}, None),
    ("HEART_ANGINA", "III.B.3.b.4.b", "clear", {"exertional_symptoms": False}, None),
    ("HEART_ANGINA", "III.B.3.b.4.b", "unknown", {}, None),
    ("HEART_ANGINA", "III.B.3.b.4.c", "triggered", {"sbp": 160, "dbp": 95}, None),
    ("HEART_ANGINA", "III.B.3.b.4.c", "clear", {"sbp": 120, "dbp": 70}, None),
    ("HEART_ANGINA", "III.B.3.b.4.c", "unknown", {"dbp": 95}, None),
    ("HEART_ANGINA", "III.B.3.b.4.d", "triggered", {"medicines_unavailable": True}, None),
    ("HEART_ANGINA", "III.B.3.b.4.d", "clear", {"deterioration": False, "medicines_unavailable": False}, None),
    ("HEART_ANGINA", "III.B.3.b.4.d", "unknown", {}, None),
    ("HEART_MI", "III.B.3.c.4.b", "triggered", {"chest_pain_worsening": True}, None),
    ("HEART_MI", "III.B.3.c.4.b", "clear", {"chest_pain_worsening": False}, None),
    ("HEART_MI", "III.B.3.c.4.b", "unknown", {}, None),
    ("HEART_MI", "III.B.3.c.4.c", "triggered", {"nyha_class": 3}, {"nyha_class": 2}),
    ("HEART_MI", "III.B.3.c.4.c", "clear", {"nyha_class": 2}, {"nyha_class": 2}),
    ("HEART_MI", "III.B.3.c.4.c", "unknown", {"nyha_class": 4}, None),
    ("HEART_MI", "III.B.3.c.4.d", "triggered", {"sbp": 150, "dbp": 80}, None),
    ("HEART_MI", "III.B.3.c.4.d", "clear", {"sbp": 130, "dbp": 80}, None),
    ("HEART_MI", "III.B.3.c.4.d", "unknown", {}, None),
    ("HEART_MI", "III.B.3.c.4.e", "triggered", {"deterioration": True}, None),
    ("HEART_MI", "III.B.3.c.4.e", "clear", {"deterioration": False, "medicines_unavailable": False}, None),
    ("HEART_MI", "III.B.3.c.4.e", "unknown", {"medicines_unavailable": False}, None),
    ("HEART_CHF", "III.B.3.d.4.b", "triggered", {"progressive_dyspnea": True}, None),
    ("HEART_CHF", "III.B.3.d.4.b", "clear", {"progressive_dyspnea": False}, None),
    ("HEART_CHF", "III.B.3.d.4.b", "unknown", {}, None),
    ("HEART_CHF", "III.B.3.d.4.c", "triggered", {"fluid_overload_refractory": True}, None),
    ("HEART_CHF", "III.B.3.d.4.c", "clear", {"fluid_overload_refractory": False}, None),
    ("HEART_CHF", "III.B.3.d.4.c", "unknown", {}, None),
    ("HEART_CHF", "III.B.3.d.4.d", "triggered", {"medicines_unavailable": True}, None),
    ("HEART_CHF", "III.B.3.d.4.d", "clear", {"deterioration": False, "medicines_unavailable": False}, None),
    ("HEART_CHF", "III.B.3.d.4.d", "unknown", {}, None),
    ("ASTHMA", "III.B.4.d.2", "triggered", {"act_score": 19, "comorbidity_limits_therapy": True}, None),
    ("ASTHMA", "III.B.4.d.2", "triggered", {"night_waking": True, "comorbidity_limits_therapy": True}, None),
    ("ASTHMA", "III.B.4.d.2", "triggered", {"pef_percent_predicted": 79, "comorbidity_limits_therapy": True}, None),
    ("ASTHMA", "III.B.4.d.2", "triggered", {"act_items": [4, 4, 4, 4, 3], "comorbidity_limits_therapy": True}, None),
    ("ASTHMA", "III.B.4.d.2", "clear", {"act_score": 15, "comorbidity_limits_therapy": False}, None),
    ("ASTHMA", "III.B.4.d.2", "clear", {
        "act_score": 20, "daytime_symptoms_gt_2_per_week": False, "night_waking": False,
        "reliever_gt_2_per_week": False, "activity_limitation": False,
        "pef_percent_predicted": 80, "comorbidity_limits_therapy": True,
    }, None),
    ("ASTHMA", "III.B.4.d.2", "unknown", {"act_score": 22, "comorbidity_limits_therapy": True}, None),
    ("ASTHMA", "III.B.4.d.3", "triggered", {"deterioration": True}, None),
    ("ASTHMA", "III.B.4.d.3", "clear", {"deterioration": False, "medicines_unavailable": False}, None),
    ("ASTHMA", "III.B.4.d.3", "unknown", {}, None),
    ("COPD", "III.B.5.d.2", "triggered", {"deterioration": True}, None),
    ("COPD", "III.B.5.d.2", "clear", {"deterioration": False, "medicines_unavailable": False}, None),
    ("COPD", "III.B.5.d.2", "unknown", {}, None),
    ("EPILEPSY", "III.B.6.d.2", "triggered", {"asm_side_effects": True}, None),
    ("EPILEPSY", "III.B.6.d.2", "triggered", {"new_comorbidity": True}, None),
    ("EPILEPSY", "III.B.6.d.2", "clear", {"asm_side_effects": False, "new_comorbidity": False}, None),  # a man
    ("EPILEPSY", "III.B.6.d.2", "unknown", {"asm_side_effects": False}, None),
    ("EPILEPSY", "III.B.6.d.3", "triggered", {"asm_change_planned": True}, None),
    ("EPILEPSY", "III.B.6.d.3", "clear", {"asm_change_planned": False}, None),
    ("EPILEPSY", "III.B.6.d.3", "unknown", {}, None),
    ("EPILEPSY", "III.B.6.d.4", "triggered", {"seizure_occurred": True}, None),
    ("EPILEPSY", "III.B.6.d.4", "clear", {"seizure_occurred": False}, None),
    ("EPILEPSY", "III.B.6.d.4", "unknown", {}, None),
    ("EPILEPSY", "III.B.6.d.5", "triggered", {"medicines_unavailable": True}, None),
    ("EPILEPSY", "III.B.6.d.5", "clear", {"deterioration": False, "medicines_unavailable": False}, None),
    ("EPILEPSY", "III.B.6.d.5", "unknown", {}, None),
    ("STROKE", "III.B.7.d.2", "triggered", {"new_neuro_deficit": True}, None),
    ("STROKE", "III.B.7.d.2", "clear", {"new_neuro_deficit": False}, None),
    ("STROKE", "III.B.7.d.2", "unknown", {}, None),
    ("STROKE", "III.B.7.d.3", "triggered", {**STROKE_ON_TARGET, "ldl_mg_dl": 130}, None),
    ("STROKE", "III.B.7.d.3", "triggered", {"complication": True}, None),
    ("STROKE", "III.B.7.d.3", "clear", STROKE_ON_TARGET, None),
    ("STROKE", "III.B.7.d.3", "unknown", {**STROKE_ON_TARGET, "uric_acid_mg_dl": None}, None),
    ("STROKE", "III.B.7.d.4", "triggered", {"deterioration": True}, None),
    ("STROKE", "III.B.7.d.4", "clear", {"deterioration": False, "medicines_unavailable": False}, None),
    ("STROKE", "III.B.7.d.4", "unknown", {}, None),
    ("SCHIZOPHRENIA", "III.B.8.d.2", "triggered", {"deterioration": True}, None),
    ("SCHIZOPHRENIA", "III.B.8.d.2", "clear", {"deterioration": False, "medicines_unavailable": False}, None),
    ("SCHIZOPHRENIA", "III.B.8.d.2", "unknown", {}, None),
    ("SLE", "III.B.9.d.2", "triggered", {**NO_FLARE, "flare_suspected": True}, None),
    ("SLE", "III.B.9.d.2", "triggered", {**NO_FLARE, "sledai_2k": 1}, None),
    ("SLE", "III.B.9.d.2", "triggered", {"flare_suspected": False, "sledai_items": ["alopecia"], "pregnant": False}, None),
    ("SLE", "III.B.9.d.2", "clear", NO_FLARE, None),
    ("SLE", "III.B.9.d.2", "unknown", {"flare_suspected": False, "pregnant": False}, None),
    ("SLE", "III.B.9.d.3", "triggered", {"deterioration": True}, None),
    ("SLE", "III.B.9.d.3", "clear", {"deterioration": False, "medicines_unavailable": False}, None),
    ("SLE", "III.B.9.d.3", "unknown", {}, None),
]  # fmt: skip

MEDICAL_NEED_IDS = {
    "DM": "III.B.1.d.1",
    "HT": "III.B.2.d.1",
    "HEART_HHD": "III.B.3.a.4.a",
    "HEART_ANGINA": "III.B.3.b.4.a",
    "HEART_MI": "III.B.3.c.4.a",
    "HEART_CHF": "III.B.3.d.4.a",
    "ASTHMA": "III.B.4.d.1",
    "COPD": "III.B.5.d.1",
    "EPILEPSY": "III.B.6.d.1",
    "STROKE": "III.B.7.d.1",
    "SCHIZOPHRENIA": "III.B.8.d.1",
    "SLE": "III.B.9.d.1",
}


@pytest.mark.parametrize(("program", "clause_id", "outcome", "facts", "baseline"), CASES)
def test_clause_outcomes(re_referral, program, clause_id, outcome, facts, baseline):
    criterion = pick(re_referral(program, [(VISIT_DAY, facts)], baseline=baseline), clause_id)
    assert criterion["outcome"] == outcome
    assert criterion["visit_date"] == (VISIT_DAY if outcome == "triggered" else None)
    assert bool(criterion["missing"]) == (outcome == "unknown")


@pytest.mark.parametrize("program", PROGRAMS)
@pytest.mark.parametrize(
    ("facts", "outcome"),
    [({"medical_need": True}, "triggered"), ({"medical_need": False}, "clear"), ({}, "unknown")],
)
def test_medical_need_is_criterion_one_of_every_program(re_referral, program, facts, outcome):
    criterion = pick(re_referral(program, [(VISIT_DAY, facts)]), MEDICAL_NEED_IDS[program])
    assert criterion["outcome"] == outcome


def test_every_clause_is_tested_triggered_clear_and_unknown():
    tested = {(clause_id, outcome) for _, clause_id, outcome, _, _ in CASES}
    tested |= {(i, o) for i in MEDICAL_NEED_IDS.values() for o in ("triggered", "clear", "unknown")}
    ids = [clause.id for program in PROGRAMS for clause in RE_REFERRAL_CLAUSES[program]]
    assert tested == {(i, o) for i in ids for o in ("triggered", "clear", "unknown")}


def test_only_the_program_re_referral_criteria_are_listed(re_referral):
    response = re_referral("HT", [])
    assert [c["id"] for c in response["criteria"]] == [
        "III.B.2.d.1",
        "III.B.2.d.2",
        "III.B.2.d.3",
        "III.B.2.d.4",
    ]
    assert response["mode"] == "re_referral"


def test_dm_has_no_deterioration_clause(re_referral):
    ids = [c["id"] for c in re_referral("DM", [])["criteria"]]
    assert ids == [f"III.B.1.d.{n}" for n in range(1, 8)]


class TestOutcome:
    def test_any_triggered_criterion_re_refers(self, re_referral):
        response = re_referral("COPD", [(VISIT_DAY, {"medical_need": True})])
        assert response["outcome"] == "re_refer"

    def test_unknown_criteria_do_not_block_continuing(self, re_referral):
        response = re_referral("COPD", [(VISIT_DAY, {"medical_need": False})])
        assert response["outcome"] == "continue"
        assert response["missing"] == [
            "visits[0].facts.deterioration",
            "visits[0].facts.medicines_unavailable",
        ]

    def test_without_visits_in_the_window_everything_is_unknown(self, re_referral):
        response = re_referral("COPD", [("2026-07-01", {"medical_need": True})])
        assert response["outcome"] == "continue"
        assert {c["outcome"] for c in response["criteria"]} == {"unknown"}
        assert response["missing"] == ["visits"]


class TestWindow:
    @pytest.mark.parametrize(
        ("as_of", "visit_day", "counted"),
        [
            ("2026-05-31", "2026-02-28", False),  # start (31 May − 3 months → 28 Feb) is exclusive
            ("2026-05-31", "2026-03-01", True),
            ("2026-05-31", "2026-05-31", True),  # as_of is inclusive
            ("2024-05-31", "2024-02-29", False),  # leap year: clamps to 29 Feb
            ("2024-05-31", "2024-03-01", True),
            ("2026-11-01", "2026-08-01", False),
            ("2026-11-01", "2026-08-02", True),
        ],
    )
    def test_window_edges(self, re_referral, as_of, visit_day, counted):
        response = re_referral("COPD", [(visit_day, {"medical_need": True})], as_of=as_of)
        criterion = pick(response, "III.B.5.d.1")
        assert criterion["outcome"] == ("triggered" if counted else "unknown")

    def test_a_trigger_in_any_visit_counts_even_if_later_visits_are_clear(self, re_referral):
        visits = [
            ("2026-09-01", {"seizure_occurred": True}),
            ("2026-09-15", {"seizure_occurred": True}),
            ("2026-10-20", {"seizure_occurred": False}),
        ]
        criterion = pick(re_referral("EPILEPSY", visits), "III.B.6.d.4")
        assert (criterion["outcome"], criterion["visit_date"]) == ("triggered", "2026-09-15")
        assert criterion["reason"].startswith(
            "Terpicu pada 2 kunjungan; terakhir 15 September 2026"
        )

    def test_one_clear_visit_is_enough_for_clear(self, re_referral):
        visits = [("2026-09-01", {"seizure_occurred": False}), ("2026-10-01", {})]
        assert pick(re_referral("EPILEPSY", visits), "III.B.6.d.4")["outcome"] == "clear"

    def test_visits_are_ordered_by_date_not_by_list_position(self, re_referral):
        visits = [
            ("2026-10-20", {"seizure_occurred": True}),
            ("2026-09-01", {"seizure_occurred": True}),
        ]
        criterion = pick(re_referral("EPILEPSY", visits), "III.B.6.d.4")
        assert criterion["visit_date"] == "2026-10-20"

    def test_unknown_lists_the_paths_of_every_undecided_visit(self, re_referral):
        visits = [("2026-09-01", {}), ("2026-10-01", {}), ("2026-07-01", {})]
        criterion = pick(re_referral("EPILEPSY", visits), "III.B.6.d.4")
        assert criterion["missing"] == [
            "visits[0].facts.seizure_occurred",
            "visits[1].facts.seizure_occurred",
        ]


class TestLatestReading:
    def test_only_the_latest_reading_counts(self, re_referral):
        visits = [("2026-09-01", {"sbp": 160, "dbp": 100}), ("2026-10-01", {"sbp": 130, "dbp": 80})]
        assert pick(re_referral("HT", visits), "III.B.2.d.2")["outcome"] == "clear"

    def test_a_latest_reading_above_140_or_90_triggers(self, re_referral):
        visits = [("2026-09-01", {"sbp": 120, "dbp": 80}), ("2026-10-01", {"sbp": 141, "dbp": 80})]
        criterion = pick(re_referral("HT", visits), "III.B.2.d.2")
        assert (criterion["outcome"], criterion["visit_date"]) == ("triggered", "2026-10-01")
        assert criterion["reason"].startswith(
            "Pembacaan terakhir (1 Oktober 2026): TD sistolik 141 mmHg > 140 mmHg"
        )

    def test_a_visit_without_both_pressures_is_not_a_reading(self, re_referral):
        visits = [("2026-09-01", {"sbp": 150, "dbp": 95}), ("2026-10-01", {"sbp": 120})]
        criterion = pick(re_referral("HT", visits), "III.B.2.d.2")
        assert (criterion["outcome"], criterion["visit_date"]) == ("triggered", "2026-09-01")

    def test_on_the_same_date_the_later_in_the_list_counts(self, re_referral):
        same_day = [
            ("2026-10-01", {"sbp": 150, "dbp": 95}),
            ("2026-10-01", {"sbp": 120, "dbp": 80}),
        ]
        assert pick(re_referral("HT", same_day), "III.B.2.d.2")["outcome"] == "clear"
        reversed_ = list(reversed(same_day))
        assert pick(re_referral("HT", reversed_), "III.B.2.d.2")["outcome"] == "triggered"

    def test_a_reading_outside_the_window_is_ignored(self, re_referral):
        visits = [("2026-07-01", {"sbp": 160, "dbp": 100}), ("2026-10-01", {"medical_need": False})]
        criterion = pick(re_referral("HT", visits), "III.B.2.d.2")
        assert (criterion["outcome"], criterion["missing"]) == (
            "unknown",
            ["visits[1].facts.sbp", "visits[1].facts.dbp"],
        )


class TestHypertensionDeteriorationAndUnavailability:
    def test_both_must_hold_in_the_same_visit(self, re_referral):
        visits = [
            ("2026-09-01", {"deterioration": True, "medicines_unavailable": False}),
            ("2026-10-01", {"deterioration": False, "medicines_unavailable": True}),
        ]
        assert pick(re_referral("HT", visits), "III.B.2.d.4")["outcome"] == "clear"

    def test_heart_programs_read_or(self, re_referral):
        visits = [("2026-10-01", {"deterioration": False, "medicines_unavailable": True})]
        assert pick(re_referral("HEART_HHD", visits), "III.B.3.a.4.d")["outcome"] == "triggered"


class TestMyocardialInfarctionFunctionalCapacity:
    def test_without_a_baseline_nyha_class_it_is_unknown(self, re_referral):
        criterion = pick(re_referral("HEART_MI", [(VISIT_DAY, {"nyha_class": 4})]), "III.B.3.c.4.c")
        assert (criterion["outcome"], criterion["missing"]) == ("unknown", ["baseline.nyha_class"])

    def test_a_better_class_than_baseline_is_clear(self, re_referral):
        response = re_referral(
            "HEART_MI", [(VISIT_DAY, {"nyha_class": 1})], baseline={"nyha_class": 2}
        )
        assert pick(response, "III.B.3.c.4.c")["outcome"] == "clear"

    def test_the_reason_names_both_classes(self, re_referral):
        response = re_referral(
            "HEART_MI", [(VISIT_DAY, {"nyha_class": 3})], baseline={"nyha_class": 2}
        )
        assert (
            "Kelas NYHA 3 > 2 (kelas saat rujuk balik)" in pick(response, "III.B.3.c.4.c")["reason"]
        )


def _dm_rise(re_referral, visit, baseline):
    return pick(re_referral("DM", [(VISIT_DAY, visit)], baseline=baseline), "III.B.1.d.2")


class TestDiabetesGlucose:
    """Contract v2: III.B.1.d.2 needs a measure beyond its target AND above its baseline."""

    @pytest.mark.parametrize(
        ("baseline", "visit", "outcome"),
        [
            # Back-referred on the glucose clause with HbA1c 7.5: a fall is not a re-referral.
            ({"hba1c_percent": 7.5}, {"hba1c_percent": 7.4}, "clear"),
            ({"hba1c_percent": 7.5}, {"hba1c_percent": 7.5}, "clear"),  # equal to baseline
            ({"hba1c_percent": 7.5}, {"hba1c_percent": 7.6}, "triggered"),
            # Baseline within target: the target decides the upper edge.
            ({"hba1c_percent": 6.5}, {"hba1c_percent": 6.9}, "clear"),
            ({"hba1c_percent": 6.5}, {"hba1c_percent": 7.0}, "triggered"),
            ({"hba1c_percent": 8}, {"hba1c_percent": 7.5}, "clear"),  # better than at referral
            # Fasting glucose: beyond 130 and above the baseline.
            ({"fpg_mg_dl": 150}, {"fpg_mg_dl": 140}, "clear"),
            ({"fpg_mg_dl": 150}, {"fpg_mg_dl": 150}, "clear"),
            ({"fpg_mg_dl": 150}, {"fpg_mg_dl": 151}, "triggered"),
            ({"fpg_mg_dl": 110}, {"fpg_mg_dl": 130}, "clear"),
            ({"fpg_mg_dl": 110}, {"fpg_mg_dl": 131}, "triggered"),
            # 2-hour post-prandial glucose: from 180 up, and above the baseline.
            ({"ppg2h_mg_dl": 200}, {"ppg2h_mg_dl": 190}, "clear"),
            ({"ppg2h_mg_dl": 200}, {"ppg2h_mg_dl": 201}, "triggered"),
            ({"ppg2h_mg_dl": 160}, {"ppg2h_mg_dl": 179}, "clear"),
            ({"ppg2h_mg_dl": 160}, {"ppg2h_mg_dl": 180}, "triggered"),
            # A baseline without the measure: the target alone decides.
            ({"hba1c_percent": 7.5}, {"fpg_mg_dl": 131}, "triggered"),
            ({"hba1c_percent": 7.5}, {"fpg_mg_dl": 130}, "clear"),
            ({}, {"hba1c_percent": 7.0}, "triggered"),
            (None, {"ppg2h_mg_dl": 180}, "triggered"),
            # Measures absent from a visit are ignored; one triggering measure is enough.
            ({"hba1c_percent": 7.5, "fpg_mg_dl": 120}, {"hba1c_percent": 7.4, "fpg_mg_dl": 140}, "triggered"),
            ({"hba1c_percent": 7.5}, {"hba1c_percent": 7.2, "ppg2h_mg_dl": 170}, "clear"),
            ({"hba1c_percent": 7.5}, {}, "unknown"),
        ],
    )  # fmt: skip
    def test_it_needs_a_rise_above_the_baseline_and_the_target(
        self, re_referral, baseline, visit, outcome
    ):
        assert _dm_rise(re_referral, visit, baseline)["outcome"] == outcome

    def test_a_visit_without_any_glucose_measure_lists_all_three(self, re_referral):
        criterion = _dm_rise(re_referral, {"sbp": 120}, {"hba1c_percent": 7.5})
        assert criterion["missing"] == [
            "visits[0].facts.hba1c_percent",
            "visits[0].facts.fpg_mg_dl",
            "visits[0].facts.ppg2h_mg_dl",
        ]

    def test_a_fall_is_explained_against_the_baseline(self, re_referral):
        reason = _dm_rise(re_referral, {"hba1c_percent": 7.4}, {"hba1c_percent": 7.5})["reason"]
        assert "HbA1c 7,4% ≥ 7%, tetapi tidak melampaui nilai saat dirujuk balik" in reason
        assert "Tafsiran:" in reason

    def test_a_rise_names_the_baseline_value(self, re_referral):
        reason = _dm_rise(re_referral, {"hba1c_percent": 7.6}, {"hba1c_percent": 7.5})["reason"]
        assert reason.startswith(
            "Kunjungan 1 Oktober 2026: HbA1c 7,6% ≥ 7% dan naik dari 7,5% saat dirujuk balik"
        )

    def test_without_a_baseline_value_the_reason_says_the_target_alone_decided(self, re_referral):
        reason = _dm_rise(re_referral, {"fpg_mg_dl": 140}, {"hba1c_percent": 7.5})["reason"]
        assert "nilai saat dirujuk balik tidak tercatat, dinilai terhadap target saja" in reason

    def test_a_clear_later_visit_does_not_undo_an_earlier_rise(self, re_referral):
        response = re_referral(
            "DM",
            [("2026-09-01", {"hba1c_percent": 8.1}), (VISIT_DAY, {"hba1c_percent": 7.1})],
            baseline={"hba1c_percent": 7.5},
        )
        criterion = pick(response, "III.B.1.d.2")
        assert (criterion["outcome"], criterion["visit_date"]) == ("triggered", "2026-09-01")
        assert response["outcome"] == "re_refer"

    def test_egfr_is_computed_with_the_age_at_the_visit(self, re_referral):
        # Born 1 October 1971: 54 on 30 September 2026, 55 on as_of.
        response = re_referral(
            "DM", [("2026-09-30", {"creatinine_mg_dl": 1.2})], birth_date="1971-10-01"
        )
        assert "54 tahun" in pick(response, "III.B.1.d.7")["reason"]


class TestStrokeRiskFactors:
    def test_each_target_is_judged_on_its_latest_reading(self, re_referral):
        visits = [
            ("2026-09-01", {**STROKE_ON_TARGET, "ldl_mg_dl": 150}),  # superseded LDL
            ("2026-10-01", {"ldl_mg_dl": 120, "coronary_heart_disease": False}),
        ]
        criterion = pick(re_referral("STROKE", visits), "III.B.7.d.3")
        assert criterion["outcome"] == "clear"
        assert "Target LDL (1 Oktober 2026)" in criterion["reason"]

    def test_history_comes_from_the_baseline_when_the_visit_lacks_it(self, re_referral):
        visit = {**STROKE_ON_TARGET, "diabetes": None}  # 130/80 meets < 140/90 but not < 130/80
        with_diabetes = re_referral("STROKE", [(VISIT_DAY, visit)], baseline={"diabetes": True})
        without = re_referral("STROKE", [(VISIT_DAY, visit)], baseline={"diabetes": False})
        assert pick(with_diabetes, "III.B.7.d.3")["outcome"] == "triggered"
        assert pick(without, "III.B.7.d.3")["outcome"] == "clear"

    def test_the_visit_history_wins_over_the_baseline(self, re_referral):
        response = re_referral(
            "STROKE", [(VISIT_DAY, STROKE_ON_TARGET)], baseline={"diabetes": True}
        )
        assert pick(response, "III.B.7.d.3")["outcome"] == "clear"

    def test_unknown_history_lists_visit_and_baseline(self, re_referral):
        visit = {**STROKE_ON_TARGET, "diabetes": None}
        criterion = pick(re_referral("STROKE", [(VISIT_DAY, visit)]), "III.B.7.d.3")
        assert criterion["outcome"] == "unknown"
        assert criterion["missing"] == ["visits[0].facts.diabetes", "baseline.diabetes"]

    def test_a_new_risk_factor_in_any_visit_triggers(self, re_referral):
        visits = [
            ("2026-09-01", {"new_risk_factor": True}),
            ("2026-10-01", STROKE_ON_TARGET),
        ]
        criterion = pick(re_referral("STROKE", visits), "III.B.7.d.3")
        assert (criterion["outcome"], criterion["visit_date"]) == ("triggered", "2026-09-01")

    def test_uric_acid_target_uses_the_patient_sex(self, re_referral):
        visit = {**STROKE_ON_TARGET, "uric_acid_mg_dl": 6.5}
        assert (
            pick(re_referral("STROKE", [(VISIT_DAY, visit)], sex="F"), "III.B.7.d.3")["outcome"]
            == "triggered"
        )
        assert (
            pick(re_referral("STROKE", [(VISIT_DAY, visit)], sex="M"), "III.B.7.d.3")["outcome"]
            == "clear"
        )


def test_pregnancy_in_a_visit_triggers_epilepsy_and_sle_for_a_woman(re_referral):
    response = re_referral("EPILEPSY", [(VISIT_DAY, {"pregnant": True})], sex="F")
    assert pick(response, "III.B.6.d.2")["outcome"] == "triggered"
    response = re_referral("SLE", [(VISIT_DAY, {"pregnant": True})], sex="F")
    assert pick(response, "III.B.9.d.2")["outcome"] == "triggered"


def test_a_pregnancy_fact_true_for_a_man_is_refused(re_referral):
    with pytest.raises(RequestError) as caught:
        re_referral("SLE", [(VISIT_DAY, {"pregnant": True})], sex="M")
    assert list(caught.value.errors) == ["visits[0].facts.pregnant"]
