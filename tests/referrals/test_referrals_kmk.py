"""Care-plan content from BAB III.B (pure data): the monitoring items the decree lists."""

import datetime as dt

import pytest

from lib.months import add_months_same_day
from referrals import kmk

START = dt.date(2026, 10, 5)


def codes(items) -> set[str]:
    return {item.code for item in items}


def due(items, code: str) -> list[dt.date]:
    return [item.due_on for item in items if item.code == code]


class TestSchizophrenia:
    def test_clozapine_adds_a_monthly_blood_count_with_neutrophils_and_an_ecg(self) -> None:
        items = kmk.monitoring_schedule(
            "SCHIZOPHRENIA", START, regimen=["Clozapine 25 mg tablet"], age=30
        )
        blood = [item for item in items if item.code == "blood_count_anc"]
        assert len(blood) == 12 and blood[0].clause == "III.B.8.b.3.b.5"
        assert "neutrofil" in blood[0].label
        assert due(items, "ecg_qt")[0] == dt.date(2026, 11, 5)

    def test_without_clozapine_there_is_no_blood_count(self) -> None:
        items = kmk.monitoring_schedule(
            "SCHIZOPHRENIA", START, regimen=["Risperidone 2 mg tablet"], age=30
        )
        assert "blood_count_anc" not in codes(items) and "ecg_qt" not in codes(items)

    @pytest.mark.parametrize(
        "regimen", [["Haloperidol 5 mg tablet"], ["Chlorpromazine 100 mg tablet"]]
    )
    def test_qt_prolonging_antipsychotics_get_an_ecg(self, regimen) -> None:
        items = kmk.monitoring_schedule("SCHIZOPHRENIA", START, regimen=regimen, age=30)
        ecg = [item for item in items if item.code == "ecg_qt"]
        assert [item.clause for item in ecg] == ["III.B.8.b.3.c"] * 3
        assert regimen[0] in ecg[0].label

    @pytest.mark.parametrize(
        ("regimen", "age", "months"),
        [
            (["Haloperidol 5 mg tablet"], 30, [6, 12]),  # first generation: high risk
            (["Risperidone 2 mg tablet"], 56, [6, 12]),  # older age: high risk
            (["Risperidone 2 mg tablet"], 30, [12]),
            ([], None, [12]),
        ],
    )
    def test_structured_eps_rating_every_6_or_12_months(self, regimen, age, months) -> None:
        items = kmk.monitoring_schedule("SCHIZOPHRENIA", START, regimen=regimen, age=age)
        assert due(items, "eps_rating") == [add_months_same_day(START, m) for m in months]

    def test_the_regimen_does_not_change_other_programmes(self) -> None:
        plain = kmk.monitoring_schedule("DM", START)
        assert kmk.monitoring_schedule("DM", START, regimen=["Clozapine 25 mg"], age=60) == plain


def test_asthma_checks_the_inhaler_and_its_dose_counter_every_month() -> None:
    items = kmk.monitoring_schedule("ASTHMA", START)
    inhaler = [item for item in items if item.code == "inhaler_check"]
    assert len(inhaler) == 12 and inhaler[0].clause == "III.B.4.a.3.b"
    assert "angka dosis" in inhaler[0].label and "teknik" in inhaler[0].label


def test_copd_plans_smoking_cessation_rehabilitation_and_home_care() -> None:
    items = kmk.monitoring_schedule("COPD", START)
    clauses = {item.code: item.clause for item in items}
    assert clauses["smoking_cessation"] == "III.B.5.a.3.c"
    assert clauses["rehabilitation"] == "III.B.5.a.3.e"
    assert clauses["home_care"] == "III.B.5.a.3.f"
    assert "UBM" in next(i.label for i in items if i.code == "smoking_cessation")


def test_asthma_self_management_item_6_is_complete() -> None:
    texts = dict(kmk.SELF_MANAGEMENT["ASTHMA"])
    assert texts["avoid_additives"] == (
        "Menghindari makanan yang mengandung zat aditif (pengawet, penyedap, pewarna makanan) "
        "dan obat-obatan pencetus asma"
    )
    # The position gives the clause (III.B.4.c.1–7): item 6, then the monthly control.
    order = [code for code, _text in kmk.SELF_MANAGEMENT["ASTHMA"]]
    assert order.index("avoid_additives") + 1 == 6
    assert order.index("avoid_heavy_activity") + 1 == 4 and len(order) == 7
