"""Asma (KMK BAB II.B.4) and PPOK (KMK BAB II.B.5) back-referral criteria."""

import pytest

from eligibility.rules.programs import BACK_REFERRAL_CLAUSES

NO_SYMPTOMS = {
    "daytime_symptoms_gt_2_per_week": False,
    "night_waking": False,
    "reliever_gt_2_per_week": False,
    "activity_limitation": False,
}
SYMPTOM_PATHS = [f"facts.{name}" for name in NO_SYMPTOMS]

CASES = [
    ("ASTHMA", "II.B.4.a", "met", {"act_score": 25}, []),
    ("ASTHMA", "II.B.4.a", "met", {"act_items": [5, 5, 5, 5, 5]}, []),
    ("ASTHMA", "II.B.4.a", "met", {"act_score": 20, **NO_SYMPTOMS}, []),
    ("ASTHMA", "II.B.4.a", "not_met", {"act_score": 24, **NO_SYMPTOMS, "night_waking": True}, []),
    ("ASTHMA", "II.B.4.a", "not_met", {"act_items": [5, 5, 5, 5, 4], **NO_SYMPTOMS, "night_waking": True}, []),
    ("ASTHMA", "II.B.4.a", "unknown", {"act_score": 24}, SYMPTOM_PATHS),
    ("ASTHMA", "II.B.4.a", "unknown", {**NO_SYMPTOMS, "night_waking": True}, ["facts.act_score", "facts.act_items"]),
    ("ASTHMA", "II.B.4.b", "met", {"systemic_corticosteroid": False, "ics_drug": "none"}, []),
    ("ASTHMA", "II.B.4.b", "met", {"systemic_corticosteroid": False, "ics_drug": "budesonide", "ics_mcg_per_day": 800}, []),
    ("ASTHMA", "II.B.4.b", "met", {"systemic_corticosteroid": False, "ics_drug": "fluticasone_propionate", "ics_mcg_per_day": 500}, []),
    ("ASTHMA", "II.B.4.b", "not_met", {"systemic_corticosteroid": False, "ics_drug": "budesonide", "ics_mcg_per_day": 801}, []),
    ("ASTHMA", "II.B.4.b", "not_met", {"systemic_corticosteroid": False, "ics_drug": "fluticasone_propionate", "ics_mcg_per_day": 501}, []),
    ("ASTHMA", "II.B.4.b", "not_met", {"systemic_corticosteroid": True, "ics_drug": "none"}, []),
    ("ASTHMA", "II.B.4.b", "unknown", {"systemic_corticosteroid": False}, ["facts.ics_drug", "facts.ics_mcg_per_day"]),
    ("ASTHMA", "II.B.4.b", "unknown", {"systemic_corticosteroid": False, "ics_drug": "budesonide"}, ["facts.ics_mcg_per_day"]),
    ("ASTHMA", "II.B.4.b", "unknown", {"systemic_corticosteroid": False, "ics_drug": "beclometasone", "ics_mcg_per_day": 400}, ["facts.ics_drug"]),
    ("ASTHMA", "II.B.4.c", "met", {"fev1_percent_predicted": 60.1}, []),
    ("ASTHMA", "II.B.4.c", "not_met", {"fev1_percent_predicted": 60}, []),
    ("ASTHMA", "II.B.4.c", "unknown", {}, ["facts.fev1_percent_predicted"]),
    ("ASTHMA", "II.B.4.d", "met", {"icu_or_intubation_12m": False}, []),
    ("ASTHMA", "II.B.4.d", "not_met", {"icu_or_intubation_12m": True}, []),
    ("ASTHMA", "II.B.4.d", "unknown", {}, ["facts.icu_or_intubation_12m"]),
    ("ASTHMA", "II.B.4.e", "met", {"severe_exacerbation_12m": False}, []),
    ("ASTHMA", "II.B.4.e", "not_met", {"severe_exacerbation_12m": True}, []),
    ("ASTHMA", "II.B.4.e", "unknown", {}, ["facts.severe_exacerbation_12m"]),
    ("COPD", "II.B.5.a.1", "met", {"mmrc": 1}, []),
    ("COPD", "II.B.5.a.1", "met", {"mmrc": 2, "cat_score": 9}, []),
    ("COPD", "II.B.5.a.1", "met", {"mmrc": 3, "cat_items": [1, 1, 1, 1, 1, 1, 1, 2]}, []),
    ("COPD", "II.B.5.a.1", "not_met", {"mmrc": 2, "cat_score": 10}, []),
    ("COPD", "II.B.5.a.1", "not_met", {"mmrc": 2, "cat_items": [2, 1, 1, 1, 1, 1, 1, 2]}, []),
    ("COPD", "II.B.5.a.1", "unknown", {"mmrc": 2}, ["facts.cat_score", "facts.cat_items"]),
    # Contract v2: met iff hospitalised = 0 and not hospitalised <= 1 (GOLD high risk excluded).
    ("COPD", "II.B.5.a.2", "met", {"exacerbations_hospitalized_12m": 0, "exacerbations_not_hospitalized_12m": 0}, []),
    ("COPD", "II.B.5.a.2", "met", {"exacerbations_hospitalized_12m": 0, "exacerbations_not_hospitalized_12m": 1}, []),
    ("COPD", "II.B.5.a.2", "not_met", {"exacerbations_hospitalized_12m": 0, "exacerbations_not_hospitalized_12m": 2}, []),
    ("COPD", "II.B.5.a.2", "not_met", {"exacerbations_hospitalized_12m": 0, "exacerbations_not_hospitalized_12m": 5}, []),
    ("COPD", "II.B.5.a.2", "not_met", {"exacerbations_hospitalized_12m": 1, "exacerbations_not_hospitalized_12m": 0}, []),
    ("COPD", "II.B.5.a.2", "not_met", {"exacerbations_hospitalized_12m": 1}, []),  # broken bound decides
    ("COPD", "II.B.5.a.2", "not_met", {"exacerbations_not_hospitalized_12m": 2}, []),
    ("COPD", "II.B.5.a.2", "unknown", {"exacerbations_hospitalized_12m": 0}, ["facts.exacerbations_not_hospitalized_12m"]),
    ("COPD", "II.B.5.a.2", "unknown", {"exacerbations_not_hospitalized_12m": 1}, ["facts.exacerbations_hospitalized_12m"]),
    ("COPD", "II.B.5.a.2", "unknown", {}, ["facts.exacerbations_hospitalized_12m", "facts.exacerbations_not_hospitalized_12m"]),
    ("COPD", "II.B.5.b.1", "met", {"followed_up_1_month": True, "understands_regimen_and_inhaler": True}, []),
    ("COPD", "II.B.5.b.1", "not_met", {"followed_up_1_month": False, "understands_regimen_and_inhaler": True}, []),
    ("COPD", "II.B.5.b.1", "unknown", {"followed_up_1_month": True}, ["facts.understands_regimen_and_inhaler"]),
    ("COPD", "II.B.5.b.2", "met", {"followed_up_1_month": True, "adl_capable": True}, []),
    ("COPD", "II.B.5.b.2", "not_met", {"followed_up_1_month": True, "adl_capable": False}, []),
    ("COPD", "II.B.5.b.2", "unknown", {"adl_capable": True}, ["facts.followed_up_1_month"]),
]  # fmt: skip


@pytest.mark.parametrize(("program", "clause_id", "outcome", "facts", "missing"), CASES)
def test_clause_outcomes(back_criterion, program, clause_id, outcome, facts, missing):
    criterion = back_criterion(program, clause_id, facts)
    assert (criterion["outcome"], criterion["missing"]) == (outcome, missing)


@pytest.mark.parametrize("program", ["ASTHMA", "COPD"])
def test_every_clause_is_tested_met_not_met_and_unknown(program):
    tested = {(clause_id, outcome) for p, clause_id, outcome, _, _ in CASES if p == program}
    ids = [clause.id for clause in BACK_REFERRAL_CLAUSES[program]]
    assert tested == {(i, o) for i in ids for o in ("met", "not_met", "unknown")}


@pytest.mark.parametrize(("act", "outcome"), [(24, "not_met"), (25, "met")])
def test_act_boundary(back_criterion, act, outcome):
    facts = {"act_score": act, **NO_SYMPTOMS, "daytime_symptoms_gt_2_per_week": True}
    assert back_criterion("ASTHMA", "II.B.4.a", facts)["outcome"] == outcome


@pytest.mark.parametrize(("cat", "outcome"), [(9, "met"), (10, "not_met")])
def test_cat_boundary(back_criterion, cat, outcome):
    assert back_criterion("COPD", "II.B.5.a.1", {"mmrc": 2, "cat_score": cat})["outcome"] == outcome


def test_items_stand_in_for_the_score_and_the_reason_shows_the_sum(back_criterion):
    criterion = back_criterion("ASTHMA", "II.B.4.a", {"act_items": [5, 5, 5, 5, 5]})
    assert criterion["reason"] == "Skor ACT 25 ≥ 25 (jumlah butir 5 + 5 + 5 + 5 + 5)"


def test_an_inhaled_steroid_without_a_kmk_threshold_explains_gina(back_criterion):
    facts = {"systemic_corticosteroid": False, "ics_drug": "ciclesonide", "ics_mcg_per_day": 160}
    reason = back_criterion("ASTHMA", "II.B.4.b", facts)["reason"]
    assert "'ciclesonide'" in reason and "GINA" in reason


def test_inhaled_dose_reason_names_the_drug(back_criterion):
    facts = {"systemic_corticosteroid": False, "ics_drug": "budesonide", "ics_mcg_per_day": 1000}
    reason = back_criterion("ASTHMA", "II.B.4.b", facts)["reason"]
    assert reason.startswith("Dosis budesonide 1.000 mcg/hari > 800 mcg/hari")


def test_copd_exacerbation_reason_names_the_gold_reading(back_criterion):
    facts = {"exacerbations_hospitalized_12m": 0, "exacerbations_not_hospitalized_12m": 5}
    criterion = back_criterion("COPD", "II.B.5.a.2", facts)
    assert criterion["outcome"] == "not_met"
    assert criterion["reason"].startswith("Eksaserbasi tanpa rawat inap 12 bulan 5 > 1")
    assert "Tafsiran:" in criterion["reason"] and "GOLD" in criterion["reason"]


ICS_BUDESONIDE = {"systemic_corticosteroid": False, "ics_drug": "budesonide"}


@pytest.mark.parametrize(
    ("birth_date", "facts", "outcome", "missing"),
    [
        # 17 on AS_OF (2026-11-01), 18 the next day: adult limits do not apply, whatever the dose.
        ("2008-11-02", {**ICS_BUDESONIDE, "ics_mcg_per_day": 800}, "unknown", ["facts.ics_drug"]),
        ("2008-11-02", {**ICS_BUDESONIDE, "ics_mcg_per_day": 1600}, "unknown", ["facts.ics_drug"]),
        ("2008-11-02", {**ICS_BUDESONIDE}, "unknown", ["facts.ics_drug"]),
        (
            "2012-01-01",
            {"systemic_corticosteroid": False, "ics_drug": "fluticasone_propionate", "ics_mcg_per_day": 100},
            "unknown",
            ["facts.ics_drug"],
        ),
        # 18 completed years on AS_OF: the adult limits decide.
        ("2008-11-01", {**ICS_BUDESONIDE, "ics_mcg_per_day": 800}, "met", []),
        ("2008-11-01", {**ICS_BUDESONIDE, "ics_mcg_per_day": 801}, "not_met", []),
        # "none" stays allowed at any age; systemic steroid still decides for a child.
        ("2015-05-05", {"systemic_corticosteroid": False, "ics_drug": "none"}, "met", []),
        ("2015-05-05", {"systemic_corticosteroid": True, "ics_drug": "budesonide", "ics_mcg_per_day": 200}, "not_met", []),
        # No birth date: the adult limits apply.
        (None, {**ICS_BUDESONIDE, "ics_mcg_per_day": 800}, "met", []),
        (None, {**ICS_BUDESONIDE, "ics_mcg_per_day": 900}, "not_met", []),
    ],
)  # fmt: skip
def test_inhaled_steroid_limits_are_for_adults(back_criterion, birth_date, facts, outcome, missing):
    criterion = back_criterion("ASTHMA", "II.B.4.b", facts, birth_date=birth_date)
    assert (criterion["outcome"], criterion["missing"]) == (outcome, missing)


def test_child_inhaled_dose_reason_says_the_limits_are_for_adults(back_criterion):
    facts = {**ICS_BUDESONIDE, "ics_mcg_per_day": 800}
    reason = back_criterion("ASTHMA", "II.B.4.b", facts, birth_date="2008-11-02")["reason"]
    assert (
        "KMK memberi ambang dosis budesonide hanya untuk dewasa; pasien berusia 17 tahun" in reason
    )


def test_without_birth_date_the_reason_says_adult_limits_were_applied(back_criterion):
    facts = {**ICS_BUDESONIDE, "ics_mcg_per_day": 800}
    reason = back_criterion("ASTHMA", "II.B.4.b", facts, birth_date=None)["reason"]
    assert "ambang dewasa; tanggal lahir belum diisi" in reason
