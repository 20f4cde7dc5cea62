"""The public API: response shape, outcomes, defaults, fact specs and the catalogue."""

import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import time_machine

from eligibility.rules import (
    PROGRAM_DETAILS,
    PROGRAMS,
    RULESET_ID,
    criteria_catalogue,
    engine,
    evaluate,
    program_fact_specs,
)
from eligibility.rules.checks import Subject
from eligibility.rules.facts import FACT_SPECS, FactSpec
from eligibility.rules.general import GENERAL_CLAUSES
from eligibility.rules.programs import (
    BACK_REFERRAL_CLAUSES,
    RE_REFERRAL_CLAUSES,
    RE_REFERRAL_FACTS,
)
from eligibility.rules.rereferral import Window

REGULATION = (
    Path(__file__).resolve().parents[3] / "docs/regulation/kmk-hk.01.07-menkes-1645-2024.txt"
)


def test_response_has_exactly_the_contract_shape(back_referral):
    response = back_referral("DM", {"hba1c_percent": 6.5})
    assert list(response) == ["ruleset", "program", "mode", "outcome", "criteria", "missing"]
    assert (response["ruleset"], response["program"], response["mode"]) == (
        RULESET_ID,
        "DM",
        "back_referral",
    )
    for criterion in response["criteria"]:
        assert list(criterion) == ["id", "outcome", "text", "reason", "missing"]


def test_re_referral_criteria_carry_the_visit_date(re_referral):
    response = re_referral("COPD", [("2026-10-01", {"medical_need": True})])
    assert list(response) == ["ruleset", "program", "mode", "outcome", "criteria", "missing"]
    for criterion in response["criteria"]:
        assert list(criterion) == ["id", "outcome", "text", "reason", "missing", "visit_date"]


GENERAL_OK = {letter: True for letter in "abcdef"}
HHD_OK = {
    "heart_failure_signs_3m": False,
    "arrhythmia": False,
    "sbp": 120,
    "dbp": 80,
    "bp_controlled_months": 6,
    "activity_limitation_3m": False,
}


@pytest.mark.parametrize(
    ("facts", "general", "outcome"),
    [
        (HHD_OK, GENERAL_OK, "eligible"),
        ({**HHD_OK, "arrhythmia": None}, GENERAL_OK, "incomplete"),
        ({**HHD_OK, "arrhythmia": None, "sbp": 150}, GENERAL_OK, "not_eligible"),
        (HHD_OK, {**GENERAL_OK, "c": False}, "not_eligible"),
        (HHD_OK, {**GENERAL_OK, "c": None}, "incomplete"),
    ],
)
def test_outcome_is_not_eligible_before_incomplete_before_eligible(
    back_referral, facts, general, outcome
):
    assert back_referral("HEART_HHD", facts, general=general)["outcome"] == outcome


def test_missing_is_the_union_of_the_unknown_criteria_in_order(back_referral):
    response = back_referral("HEART_HHD", {"sbp": 120}, general={**GENERAL_OK, "b": None})
    assert response["missing"] == [
        "general.b",
        "facts.heart_failure_signs_3m",
        "facts.arrhythmia",
        "facts.dbp",
        "facts.bp_controlled_months",
        "facts.activity_limitation_3m",
    ]


def test_mode_defaults_to_back_referral():
    assert evaluate({"program": "COPD"})["mode"] == "back_referral"


@time_machine.travel(datetime(2026, 10, 31, 17, 30, tzinfo=UTC), tick=False)
def test_as_of_defaults_to_today_in_jakarta():
    # 17:30 UTC on 31 October is 00:30 WIB on 1 November.
    assert engine.today_in_jakarta().isoformat() == "2026-11-01"
    response = evaluate({"program": "SCHIZOPHRENIA", "patient": {"birth_date": "2007-11-01"}})
    assert response["criteria"][9]["id"] == "II.B.7.d"
    assert response["criteria"][9]["outcome"] == "met"  # 19 today in Jakarta, 18 in UTC


def test_the_request_is_not_modified():
    request = {"program": "DM", "facts": {"urine_protein_plus": 1.0}, "patient": {"sex": "M"}}
    snapshot = repr(request)
    evaluate(request)
    assert repr(request) == snapshot


class TestFactSpecs:
    def test_specs_follow_clause_order_with_units_and_ranges(self):
        specs = program_fact_specs("DM")
        assert [spec.name for spec in specs][:3] == ["hba1c_percent", "fpg_mg_dl", "ppg2h_mg_dl"]
        hba1c = specs[0].as_dict()
        assert hba1c == {
            "name": "hba1c_percent",
            "type": "float",
            "unit": "%",
            "min": 3,
            "max": 20,
            "label": "HbA1c",
            "choices": [],
            "item_min": None,
            "item_max": None,
            "length": None,
        }

    def test_every_program_has_typed_labelled_specs(self):
        for program in PROGRAMS:
            for mode in ("back_referral", "re_referral"):
                for spec in program_fact_specs(program, mode):
                    assert spec.type in {"bool", "int", "float", "str", "list", "object"}
                    assert spec.label
                    if spec.type in {"int", "float"}:
                        assert spec.min is not None and spec.max is not None

    def test_re_referral_specs_add_the_visit_facts(self):
        names = [spec.name for spec in program_fact_specs("HT", "re_referral")]
        assert {"medical_need", "deterioration", "medicines_unavailable"} <= set(names)
        assert "target_organ_damage_signs" in names
        assert "target_organ_damage_signs" not in [s.name for s in program_fact_specs("HT")]

    def test_list_and_object_specs_describe_their_items(self):
        act = {spec.name: spec for spec in program_fact_specs("ASTHMA")}["act_items"]
        assert (act.type, act.length, act.item_min, act.item_max) == ("list", 5, 1, 5)
        panss = program_fact_specs("SCHIZOPHRENIA")[0]
        assert panss.type == "object"
        assert panss.choices == ("P1", "P2", "P3", "N1", "N4", "N6", "G5", "G9")

    def test_an_unknown_program_is_refused(self):
        with pytest.raises(ValueError):
            program_fact_specs("GOUT")


class TestCatalogue:
    def test_it_lists_every_clause_once_with_text_and_rule(self):
        catalogue = criteria_catalogue()
        ids = [(entry["mode"], entry["id"]) for entry in catalogue]
        assert len(ids) == len(set(ids))
        expected = {("back_referral", clause.id) for clause in GENERAL_CLAUSES}
        for program in PROGRAMS:
            expected |= {("back_referral", c.id) for c in BACK_REFERRAL_CLAUSES[program]}
            expected |= {("re_referral", c.id) for c in RE_REFERRAL_CLAUSES[program]}
        assert set(ids) == expected
        for entry in catalogue:
            assert entry["text"] and entry["rule"] and entry["reads"]
            assert set(entry) == {"mode", "program", "id", "text", "rule", "reads", "note"}

    def test_contract_readings_are_in_the_catalogue_and_the_reason(self, back_referral):
        notes = {entry["id"]: entry["note"] for entry in criteria_catalogue()}
        assert "paling banyak 2 obat" in notes["II.B.1.f"]
        reason = [c for c in back_referral("DM")["criteria"] if c["id"] == "II.B.1.f"][0]["reason"]
        assert reason.endswith("Tafsiran: " + notes["II.B.1.f"])

    def test_program_details_follow_the_contract_table(self):
        assert PROGRAMS == [
            "DM", "HT", "HEART_HHD", "HEART_ANGINA", "HEART_MI", "HEART_CHF", "ASTHMA",
            "COPD", "EPILEPSY", "SCHIZOPHRENIA", "STROKE", "SLE",
        ]  # fmt: skip
        assert {p: d.bpjs_program_prb for p, d in PROGRAM_DETAILS.items()} == {
            "DM": "01", "HT": "02", "HEART_HHD": "04", "HEART_ANGINA": "04", "HEART_MI": "04",
            "HEART_CHF": "04", "ASTHMA": "03", "COPD": "05", "EPILEPSY": "08",
            "SCHIZOPHRENIA": "06", "STROKE": "07", "SLE": "09",
        }  # fmt: skip
        assert PROGRAM_DETAILS["SCHIZOPHRENIA"].re_referral_section == "III.B.8.d"
        assert PROGRAM_DETAILS["STROKE"].re_referral_section == "III.B.7.d"


class _Recording(dict[str, Any]):
    """Facts that remember which names a clause asked for."""

    def __init__(self) -> None:
        super().__init__()
        self.asked: set[str] = set()

    def get(self, key: str, default: Any = None) -> Any:
        self.asked.add(key)
        return super().get(key, default)


def _recorded_reads_back(clause) -> set[str]:
    facts = _Recording()
    prefix = "general." if clause.program == "ALL" else ""
    subject = Subject(facts, "facts.", sex=None, birth_date=None, on=datetime(2026, 11, 1).date())
    clause.evaluate(subject)
    return {prefix + name for name in facts.asked}


@pytest.mark.parametrize(
    "clause",
    [*GENERAL_CLAUSES, *(c for p in PROGRAMS for c in BACK_REFERRAL_CLAUSES[p])],
    ids=lambda clause: f"{clause.program}-{clause.id}",
)
def test_back_referral_clauses_declare_the_facts_they_read(clause):
    declared = {name for name in clause.reads if not name.startswith("patient.")}
    assert _recorded_reads_back(clause) == declared


def _plausible(spec: FactSpec) -> Any:
    if spec.type == "bool":
        return False
    if spec.type in ("int", "float"):
        return spec.min
    if spec.type == "str":
        return spec.choices[0]
    if spec.type == "list":
        return [spec.item_min] * spec.length if spec.length else []
    return {}


@pytest.mark.parametrize(
    "clause",
    [c for p in PROGRAMS for c in RE_REFERRAL_CLAUSES[p]],
    ids=lambda clause: f"{clause.program}-{clause.id}",
)
def test_re_referral_clauses_read_only_declared_facts(clause):
    on = datetime(2026, 11, 1).date()
    declared = {name for name in clause.reads if not name.startswith("patient.")}
    accepted = RE_REFERRAL_FACTS[clause.program]
    for filled in (False, True):
        baseline_facts, visit_facts = _Recording(), _Recording()
        if filled:
            visit_facts.update({name: _plausible(FACT_SPECS[name]) for name in accepted})
        baseline = Subject(baseline_facts, "baseline.", sex=None, birth_date=None, on=on)
        visit = Subject(
            visit_facts, "visits[0].facts.", sex=None, birth_date=None, on=on, baseline=baseline
        )
        clause.evaluate(Window(datetime(2026, 8, 1).date(), on, (visit,), baseline))
        asked = visit_facts.asked | {f"baseline.{name}" for name in baseline_facts.asked}
        assert asked <= declared
    assert {name for name in declared if "." not in name} <= set(accepted)


def test_clause_texts_are_quoted_from_the_regulation():
    def normalize(text: str) -> str:
        text = re.sub(r"\s+", " ", text).replace("- ", "-")
        return re.sub(r"KEMENTERIAN KESEHATAN jdih\.kemkes\.go\.id -\d+- ", "", text)

    regulation = normalize(REGULATION.read_text(encoding="utf-8"))
    for entry in criteria_catalogue():
        # COPD II.B.5.b.x joins the lead-in "…dengan:" to its numbered item.
        for part in normalize(entry["text"]).split("dengan: "):
            assert part in regulation, entry["id"]
