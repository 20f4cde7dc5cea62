"""General stability — KMK Diktum KEEMPAT a–f, evaluated for every program."""

import pytest

from eligibility.rules import PROGRAMS


@pytest.mark.parametrize("letter", ["a", "b", "c", "e", "f"])
@pytest.mark.parametrize(
    ("statement", "outcome", "missing"),
    [(True, "met", []), (False, "not_met", []), (None, "unknown", ["general.{letter}"])],
)
def test_attestations(back_criterion, letter, statement, outcome, missing):
    criterion = back_criterion("DM", f"KEEMPAT.{letter}", {}, general={letter: statement})
    expected_missing = [path.format(letter=letter) for path in missing]
    assert (criterion["outcome"], criterion["missing"]) == (outcome, expected_missing)


@pytest.mark.parametrize(
    ("general", "outcome", "missing"),
    [
        ({"comorbidities": []}, "met", []),
        ({"comorbidities": [{"icd10": "E78.5", "controlled_months": 3}]}, "met", []),
        (
            {
                "comorbidities": [
                    {"icd10": "E78.5", "controlled_months": 4},
                    {"icd10": "I10", "controlled_months": 2.9},
                ]
            },
            "not_met",
            [],
        ),
        (
            {"comorbidities": [{"icd10": "E78.5", "controlled_months": None}]},
            "unknown",
            ["general.comorbidities[0].controlled_months"],
        ),
        (
            {
                "comorbidities": [
                    {"icd10": "E78.5"},
                    {"icd10": "I10", "controlled_months": 1},
                ]
            },
            "not_met",  # one uncontrolled decides, whatever the other
            [],
        ),
        ({"d": True}, "met", []),  # list absent: the attestation decides
        ({"d": False}, "not_met", []),
        ({}, "unknown", ["general.comorbidities", "general.d"]),
        # Contract v2: an explicit "not controlled" wins whatever the list holds.
        ({"comorbidities": [], "d": False}, "not_met", []),
        (
            {"comorbidities": [{"icd10": "E78.5", "controlled_months": 12}], "d": False},
            "not_met",
            [],
        ),
        ({"comorbidities": [{"icd10": "E78.5"}], "d": False}, "not_met", []),
        # Otherwise the list decides, even against an attestation of "controlled".
        ({"comorbidities": [], "d": True}, "met", []),
        ({"comorbidities": [{"icd10": "I10", "controlled_months": 2}], "d": True}, "not_met", []),
        (
            {"comorbidities": [{"icd10": "I10"}], "d": True},
            "unknown",
            ["general.comorbidities[0].controlled_months"],
        ),
    ],
)
def test_comorbidities_controlled_for_three_months(back_criterion, general, outcome, missing):
    criterion = back_criterion("DM", "KEEMPAT.d", {}, general=general)
    assert (criterion["outcome"], criterion["missing"]) == (outcome, missing)


def test_comorbidity_reason_names_code_and_months(back_criterion):
    general = {"comorbidities": [{"icd10": "I10", "controlled_months": 2}]}
    reason = back_criterion("DM", "KEEMPAT.d", {}, general=general)["reason"]
    assert reason.startswith("I10 terkontrol 2 bulan < 3 bulan")


def test_explicit_not_controlled_reason_says_the_statement_decides(back_criterion):
    general = {"comorbidities": [], "d": False}
    reason = back_criterion("DM", "KEEMPAT.d", {}, general=general)["reason"]
    assert reason.startswith("Dokter menyatakan KEEMPAT.d tidak terpenuhi")
    assert "apa pun isi daftar komorbid" in reason


@pytest.mark.parametrize("program", PROGRAMS)
def test_every_program_lists_keempat_first(back_referral, program):
    ids = [c["id"] for c in back_referral(program)["criteria"]]
    assert ids[:6] == [f"KEEMPAT.{letter}" for letter in "abcdef"]
    assert all(not clause_id.startswith("KEEMPAT") for clause_id in ids[6:])
