"""The prescription rules (pure module, no database): KMK limits and the Fornas maximum."""

import pytest

from eligibility.rules import instruments
from pharmacy.formulary import PRB_FORMULARY
from pharmacy.rules import prescriptions as rx
from pharmacy.rules.docs import render_markdown
from pharmacy.rules.prescriptions import CaseContext, Drug, Line, RegimenEntry

METHYLPRED_8 = Drug(1, "Methylprednisolone", "Methylprednisolone 8 mg tablet", "8 mg")
METHYLPRED_4 = Drug(2, "Methylprednisolone", "Methylprednisolone 4 mg tablet", "4 mg")
PREDNISONE_5 = Drug(3, "Prednison", "Prednison 5 mg tablet", "5 mg")
AZATHIOPRINE = Drug(4, "Azathioprine", "Azathioprine 50 mg tablet", "50 mg")
HCQ = Drug(5, "Hydroxychloroquine", "Hydroxychloroquine 200 mg tablet", "200 mg")
WARFARIN = Drug(6, "Warfarin", "Warfarin 2 mg tablet", "2 mg")
NPH = Drug(7, "Insulin human isophane (NPH)", "NPH pen", "100 IU/mL 3 mL", rx.BASAL_INSULIN, 3)
VALPROATE = Drug(8, "Valproic acid", "Valproic acid 250 mg tablet", "250 mg", rx.ANTI_SEIZURE)
METFORMIN = Drug(9, "Metformin", "Metformin 500 mg tablet", "500 mg", max_quantity_per_month=90)


def rules_of(check: rx.Check) -> tuple[list[str], list[str]]:
    return [p.rule for p in check.errors], [p.rule for p in check.warnings]


def text(problem: rx.Problem) -> str:
    return problem.message % problem.params


class TestSle:
    def test_methylprednisolone_8_mg_a_day_is_refused_with_the_equivalence(self) -> None:
        check = rx.visit_problems(CaseContext("SLE"), [Line(METHYLPRED_8, 30, "1x1")])
        (error,) = check.errors
        assert error.rule == "sle_corticosteroid" and error.line == 0
        message = text(error)
        assert "8 mg/day equals 10 mg of prednisone a day" in message
        assert "(methylprednisolone 4 mg = prednisone 5 mg)" in message
        assert "II.B.9.b" in message

    @pytest.mark.parametrize(
        ("line", "refused"),
        [
            (Line(METHYLPRED_4, 30, "1x1"), False),  # 4 mg = 5 mg prednisone: the limit
            (Line(PREDNISONE_5, 30, "1x1"), False),
            (Line(PREDNISONE_5, 45, "1x1,5"), True),  # 7,5 mg
            (Line(METHYLPRED_4, 30, "1x1", daily_dose=4.8), True),  # the entered dose wins
            (Line(METHYLPRED_4, 30, "1x8 mg"), True),  # mg written in the signa
            (Line(HCQ, 30, "1x1"), False),
        ],
    )
    def test_the_limit_is_5_mg_prednisone_equivalent(self, line, refused) -> None:
        assert bool(rx.visit_problems(CaseContext("SLE"), [line]).errors) is refused

    def test_two_corticosteroids_are_added_up(self) -> None:
        lines = [Line(METHYLPRED_4, 15, "1x1/2", daily_dose=2), Line(PREDNISONE_5, 30, "1x1")]
        check = rx.visit_problems(CaseContext("SLE"), lines)
        assert [p.line for p in check.errors] == [0, 1]
        assert "7,5 mg prednisone-equivalent" in text(check.errors[0])

    def test_without_a_readable_dose_the_doctor_is_asked_for_it(self) -> None:
        check = rx.visit_problems(CaseContext("SLE"), [Line(METHYLPRED_4, 30, "bila perlu")])
        assert "enter the daily dose in mg" in text(check.errors[0])

    @pytest.mark.parametrize(
        "name", ["Azathioprine", "Mycophenolate mofetil", "Siklosporin", "Methotrexate"]
    )
    def test_any_other_immunosuppressant_is_refused(self, name) -> None:
        drug = Drug(10, name, f"{name} tablet", "50 mg")
        (error,) = rx.visit_problems(CaseContext("SLE"), [Line(drug, 30, "1x1")]).errors
        assert error.rule == "sle_immunosuppressant" and "hydroxychloroquine" in text(error)

    def test_other_programmes_are_not_held_to_the_sle_limit(self) -> None:
        assert not rx.visit_problems(CaseContext("ASTHMA"), [Line(METHYLPRED_8, 30, "1x1")]).errors


class TestWarfarin:
    def test_a_heart_failure_case_is_refused_and_told_to_re_refer(self) -> None:
        (error,) = rx.visit_problems(CaseContext("HEART_CHF"), [Line(WARFARIN, 30, "1x1")]).errors
        assert error.rule == "warfarin_chf"
        assert "II.B.3.d.6" in text(error) and "re-refer" in text(error)

    @pytest.mark.parametrize(("letter", "refused"), [((), True), (("Warfarin",), False)])
    def test_a_stroke_case_only_when_the_letter_carried_it(self, letter, refused) -> None:
        case = CaseContext("STROKE", letter_medicines=letter)
        check = rx.visit_problems(case, [Line(WARFARIN, 30, "1x1")])
        assert rules_of(check)[0] == (["warfarin_stroke"] if refused else [])

    def test_other_programmes_keep_warfarin(self) -> None:
        assert not rx.visit_problems(CaseContext("HEART_MI"), [Line(WARFARIN, 30, "1x1")]).errors


class TestBasalInsulin:
    @pytest.mark.parametrize(
        ("dose", "quantity", "errors", "warnings"),
        [
            (24, 3, ["basal_insulin_dose"], []),
            (20, 3, [], ["basal_insulin_dose"]),  # (20 + 2) × 30 = 660 IU: 3 pens
            (20, 2, [], ["basal_insulin_dose", "basal_insulin_pens"]),  # runs out
            (10, 2, [], []),  # (10 + 2) × 30 = 360 IU: 2 pens
            (10, 3, ["basal_insulin_pens"], []),  # more than the dose needs
            (8, 1, [], []),  # 300 IU exactly
        ],
    )
    def test_dose_and_pens(self, dose, quantity, errors, warnings) -> None:
        check = rx.visit_problems(CaseContext("DM"), [Line(NPH, quantity, "1x", daily_dose=dose)])
        assert rules_of(check) == (errors, warnings)

    def test_the_pen_message_shows_the_arithmetic(self) -> None:
        check = rx.visit_problems(CaseContext("DM"), [Line(NPH, 3, "1x", daily_dose=10)])
        assert text(check.errors[0]).startswith(
            "NPH pen: 3 pens are more than the dose needs: 30 days × (10 IU + 2 IU priming) a "
            "day ÷ 300 IU per pen = 2 pens"
        )

    def test_two_injections_prime_twice(self) -> None:
        # (16 + 4) × 30 = 600 IU: exactly 2 pens; once a day it would be 540 IU, also 2.
        assert rx.pens_needed(dose=16, injections=2, days=30, per_pen=300) == 2
        assert rx.pens_needed(dose=18, injections=2, days=30, per_pen=300) == 3

    def test_the_days_to_the_next_control_count(self) -> None:
        # 14 days × (10 + 2) IU = 168 IU: one pen; in 30 days 360 IU: two.
        case = CaseContext("DM", supply_days=14)
        assert not rx.visit_problems(case, [Line(NPH, 1, "1x", daily_dose=10)]).errors
        assert rx.visit_problems(case, [Line(NPH, 2, "1x", daily_dose=10)]).errors
        assert not rx.visit_problems(CaseContext("DM"), [Line(NPH, 2, "1x", daily_dose=10)]).errors

    def test_the_dose_may_come_from_the_visit_facts(self) -> None:
        case = CaseContext("DM", basal_insulin_units_per_day=22)
        assert rules_of(rx.visit_problems(case, [Line(NPH, 2)]))[0] == ["basal_insulin_dose"]
        assert "enter the daily dose" in text(
            rx.visit_problems(CaseContext("DM"), [Line(NPH, 2)]).errors[0]
        )

    def test_the_formulary_maximum_and_the_20_iu_rule_agree(self) -> None:
        basal = [e for e in PRB_FORMULARY if e["rule_group"] == rx.BASAL_INSULIN]
        assert basal
        for entry in basal:
            maximum = entry["max_quantity_per_month"]
            assert maximum == rx.formulary_pen_maximum(entry["strength"])
            # The highest dose the rule allows fits the maximum on the longest interval...
            top = Line(NPH, maximum, "1x", daily_dose=rx.BASAL_INSULIN_MAX_IU_PER_DAY)
            case = CaseContext("DM", supply_days=rx.LONGEST_SUPPLY_DAYS)
            assert not rx.visit_problems(case, [top]).errors
            assert not rx.formulary_problems(Line(NPH, maximum))
            # ...and one pen more is refused by both.
            assert rx.visit_problems(case, [Line(NPH, maximum + 1, "1x", daily_dose=20)]).errors
            assert rx.formulary_problems(Line(NPH, maximum + 1))


class TestAntiSeizure:
    REGIMEN = (RegimenEntry(8, "Valproic acid 250 mg tablet", "2x1", rx.ANTI_SEIZURE),)

    def test_the_same_regimen_passes_whatever_the_spacing(self) -> None:
        case = CaseContext("EPILEPSY", regimen=self.REGIMEN)
        assert not rx.visit_problems(case, [Line(VALPROATE, 60, "2 X 1")]).errors

    def test_a_change_needs_the_dpjp(self) -> None:
        case = CaseContext("EPILEPSY", regimen=self.REGIMEN)
        (error,) = rx.visit_problems(case, [Line(VALPROATE, 90, "3x1")]).errors
        assert "III.B.6.a.3.a" in text(error)
        approved = CaseContext("EPILEPSY", regimen=self.REGIMEN, dpjp_approval="dr. Sp.N")
        check = rx.visit_problems(approved, [Line(VALPROATE, 90, "3x1")])
        assert rules_of(check) == ([], ["anti_seizure_unchanged"])


class TestFormulary:
    @pytest.mark.parametrize(("quantity", "count"), [(90, 0), (91, 1), (0, 1)])
    def test_the_monthly_maximum(self, quantity, count) -> None:
        assert len(rx.formulary_problems(Line(METFORMIN, quantity))) == count

    def test_months_multiply_the_maximum_and_inactive_rows_are_refused(self) -> None:
        assert not rx.formulary_problems(Line(METFORMIN, 180), months=2)
        inactive = Drug(11, "Metformin", "Metformin 850 mg", is_active=False)
        assert "no longer in the PRB formulary" in text(rx.formulary_problems(Line(inactive, 1))[0])


def test_the_equivalence_table_is_the_criteria_contracts() -> None:
    ours = {generic: mg for generic, mg, _names in rx.PREDNISONE_5MG_EQUIVALENTS}
    assert ours == instruments.PREDNISONE_5MG_EQUIVALENT


def test_docs_prescription_rules_md_is_the_generated_document(settings) -> None:
    path = settings.BASE_DIR / "docs" / "prescription-rules.md"
    assert path.read_text(encoding="utf-8") == render_markdown(), (
        "docs/prescription-rules.md is stale: run python -m pharmacy.rules.docs > "
        "docs/prescription-rules.md"
    )
