"""Instruments and calendar arithmetic against published vectors and KMK boundaries."""

from datetime import date

import pytest

from eligibility.rules import instruments
from eligibility.rules.formatting import format_date, format_number, format_pair


@pytest.mark.parametrize(
    ("creatinine", "sex", "age", "expected"),
    [
        (1.2, "M", 55, 71.4),  # contract vector
        (3.5, "F", 65, 13.9),  # contract vector
        (0.7, "F", 40, 142 * 0.9938**40 * 1.012),  # at κ: only age and sex terms remain
        (0.9, "M", 40, 142 * 0.9938**40),
        (0.5, "M", 30, 142 * (0.5 / 0.9) ** -0.302 * 0.9938**30),
    ],
)
def test_ckd_epi_2021_matches_published_vectors(creatinine, sex, age, expected):
    assert instruments.ckd_epi_2021(creatinine, sex, age) == pytest.approx(expected, abs=0.05)


def test_ckd_epi_2021_is_not_rounded():
    value = instruments.ckd_epi_2021(1.2, "M", 55)
    assert value != round(value, 1)


@pytest.mark.parametrize(
    ("birth", "on", "years"),
    [
        (date(1970, 6, 15), date(2026, 6, 14), 55),
        (date(1970, 6, 15), date(2026, 6, 15), 56),
        (date(2008, 2, 29), date(2026, 2, 28), 17),  # a leap-day birthday counts on 1 March
        (date(2008, 2, 29), date(2026, 3, 1), 18),
        (date(2026, 11, 1), date(2026, 11, 1), 0),
    ],
)
def test_age_is_counted_in_completed_years(birth, on, years):
    assert instruments.age_in_years(birth, on) == years


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 5, 31), 3, date(2026, 2, 28)),
        (date(2024, 5, 31), 3, date(2024, 2, 29)),
        (date(2026, 11, 1), 3, date(2026, 8, 1)),
        (date(2026, 1, 15), 3, date(2025, 10, 15)),  # across a year
        (date(2026, 7, 31), 3, date(2026, 4, 30)),
        (date(2026, 3, 31), 1, date(2026, 2, 28)),
    ],
)
def test_months_before_clamps_to_the_end_of_the_month(day, months, expected):
    assert instruments.months_before(day, months) == expected


@pytest.mark.parametrize(
    ("drug", "mg", "prednisone_mg"),
    [
        ("prednisone", 5, 5),
        ("prednisone", 5.01, 5.01),
        ("prednisolone", 5, 5),
        ("methylprednisolone", 4, 5),
        ("triamcinolone", 4, 5),
        ("hydrocortisone", 20, 5),
        ("cortisone", 25, 5),
        ("deflazacort", 6, 5),
        ("dexamethasone", 0.75, 5),
        ("betamethasone", 0.75, 5),
        ("methylprednisolone", 8, 10),
        ("none", 0, 0),
        ("none", 10, 0),  # "none" means no corticosteroid whatever the dose field says
    ],
)
def test_prednisone_equivalent_dose(drug, mg, prednisone_mg):
    assert instruments.prednisone_equivalent_mg(drug, mg) == pytest.approx(prednisone_mg)


def test_prednisone_equivalent_of_an_unlisted_drug_is_unknown():
    assert instruments.prednisone_equivalent_mg("budesonide", 9) is None


def test_sledai_2k_has_24_descriptors_weighted_as_published():
    weights = instruments.SLEDAI_2K_WEIGHTS
    assert len(weights) == 24
    assert sorted(weights.values()).count(8) == 8
    assert sorted(weights.values()).count(4) == 6
    assert sorted(weights.values()).count(2) == 7
    assert sorted(weights.values()).count(1) == 3
    assert instruments.SLEDAI_2K_MAX == 105
    assert instruments.sledai_2k_score(["seizure", "arthritis", "rash", "fever"]) == 15
    assert instruments.sledai_2k_score([]) == 0


def test_instrument_shapes():
    assert instruments.ACT_ITEM_COUNT == 5 and instruments.CAT_ITEM_COUNT == 8
    assert list(instruments.PANSS_REMISSION_ITEMS) == [
        "P1", "P2", "P3", "N1", "N4", "N6", "G5", "G9",
    ]  # fmt: skip
    assert list(instruments.MMRC_GRADES) == [0, 1, 2, 3, 4]
    assert list(instruments.NYHA_CLASSES) == [1, 2, 3, 4]
    assert list(instruments.CCS_CLASSES) == [0, 1, 2, 3, 4]


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (7.4, "7,4"),
        (7.0, "7"),
        (7, "7"),
        (0.75, "0,75"),
        (1000, "1.000"),
        (1234.5, "1.234,5"),
        (5.006, "5,01"),
        (-0.001, "0"),
    ],
)
def test_numbers_use_indonesian_separators(value, text):
    assert format_number(value) == text


def test_a_value_next_to_its_threshold_never_prints_equal():
    assert format_pair(60.004, 60) == ("60,004", "60")
    assert format_pair(5.0001, 5) == ("5,0001", "5")


def test_dates_use_indonesian_month_names():
    assert format_date(date(2026, 5, 31)) == "31 Mei 2026"


@pytest.mark.parametrize(("plus", "text"), [(0, "negatif"), (1, "+1"), (4, "+4")])
def test_urine_protein_reads_as_dipstick(plus, text):
    assert instruments.format_urine_protein(plus) == text
