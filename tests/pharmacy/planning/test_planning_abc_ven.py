"""ABC, VEN and the ABC-VEN (PUT) combination, KMK 1645/2024 III.C.1."""

from decimal import Decimal

import pytest

from pharmacy.planning import (
    AbcBasis,
    AbcClass,
    AbcCutoffs,
    InvestmentItem,
    PutGroup,
    UsageItem,
    VenClass,
    abc_analysis,
    abc_by_investment,
    abc_by_usage,
    abc_ven_table,
    put_group,
)


def formulary() -> list[InvestmentItem]:
    # Values (quantity × price, rupiah), total 10,000,000:
    return [
        InvestmentItem("Glimepirid 2 mg", 200, Decimal("1000")),  # 200,000 = 2%
        InvestmentItem("Amlodipin 10 mg", 10000, Decimal("200")),  # 2,000,000 = 20%
        InvestmentItem("Insulin glargine", 100, Decimal("50000")),  # 5,000,000 = 50%
        InvestmentItem("Simvastatin 20 mg", 2000, Decimal("500")),  # 1,000,000 = 10%
        InvestmentItem("Metformin 500 mg", 5000, Decimal("300")),  # 1,500,000 = 15%
        InvestmentItem("Captopril 25 mg", 1000, Decimal("300")),  # 300,000 = 3%
    ]


def classes(result) -> list[tuple[str, str]]:
    return [(row.name, row.abc_class.value) for row in result.rows]


def test_abc_by_investment_value_with_both_boundaries():
    result = abc_by_investment(formulary())

    # Ranked: insulin 50 (cum 50), amlodipin 20 (cum 70), metformin 15 (cum 85),
    # simvastatin 10 (cum 95), captopril 3 (cum 98), glimepirid 2 (cum 100).
    # Insulin: 0 above < 70 → A. Amlodipin: 50 above < 70 → A (lands exactly on 70).
    # Metformin: 70 above, not < 70, < 90 → B. Simvastatin: 85 above < 90 → B although it
    # crosses 90 (the crossing item keeps the class it starts in). Captopril: 95 → C.
    assert classes(result) == [
        ("Insulin glargine", "A"),
        ("Amlodipin 10 mg", "A"),
        ("Metformin 500 mg", "B"),
        ("Simvastatin 20 mg", "B"),
        ("Captopril 25 mg", "C"),
        ("Glimepirid 2 mg", "C"),
    ]
    assert result.total_value == Decimal("10000000")
    assert [row.share_percent for row in result.rows] == [50, 20, 15, 10, 3, 2]
    assert [row.cumulative_percent for row in result.rows] == [50, 70, 85, 95, 98, 100]
    assert result.counts() == {AbcClass.A: 2, AbcClass.B: 2, AbcClass.C: 2}
    assert result.class_values()[AbcClass.A] == Decimal("7000000")
    assert result.class_of("Metformin 500 mg") is AbcClass.B
    assert result.basis is AbcBasis.INVESTMENT


def test_the_item_crossing_70_percent_is_a():
    result = abc_analysis([("w", 60), ("x", 25), ("y", 10), ("z", 5)], basis=AbcBasis.USAGE)

    # cum 60, 85, 95, 100. x starts at 60 (< 70) and crosses 70 → A;
    # y starts at 85 (< 90) and crosses 90 → B; z starts at 95 → C.
    assert classes(result) == [("w", "A"), ("x", "A"), ("y", "B"), ("z", "C")]


def test_a_dominant_item_is_always_a():
    result = abc_analysis([("insulin", 85), ("a", 10), ("b", 5)], basis=AbcBasis.INVESTMENT)

    # insulin alone is 85% (> 70) but starts at 0 → A; a starts at 85 → B; b at 95 → C.
    assert classes(result) == [("insulin", "A"), ("a", "B"), ("b", "C")]


def test_abc_by_usage_ranks_by_mutation_count():
    result = abc_by_usage(
        [
            UsageItem("Amlodipin", 700),
            UsageItem("Metformin", 150),
            UsageItem("Captopril", 50),
            UsageItem("Bisoprolol", 100),
        ]
    )

    # Total 1000: 70 (cum 70) → A; 15 (cum 85, 70 above) → B; 10 (cum 95, 85 above) → B;
    # 5 (95 above) → C.
    assert classes(result) == [
        ("Amlodipin", "A"),
        ("Metformin", "B"),
        ("Bisoprolol", "B"),
        ("Captopril", "C"),
    ]
    assert result.basis is AbcBasis.USAGE
    assert "berdasarkan mutasi" in result.explanation
    assert "A 1 obat, B 2 obat, C 1 obat" in result.explanation


def test_ties_are_ordered_by_name_whatever_the_input_order():
    forward = abc_analysis([("b", 50), ("A", 50)], basis=AbcBasis.USAGE)
    backward = abc_analysis([("A", 50), ("b", 50)], basis=AbcBasis.USAGE)

    # Equal values → by name, case-insensitive: A then b. A: 0 above → A;
    # b: 50 above < 70 → A.
    assert classes(forward) == classes(backward) == [("A", "A"), ("b", "A")]
    assert [row.rank for row in forward.rows] == [1, 2]


def test_custom_cutoffs():
    result = abc_analysis(
        [("w", 60), ("x", 25), ("y", 10), ("z", 5)],
        basis=AbcBasis.USAGE,
        cutoffs=AbcCutoffs(a=50, b=30, c=20),
    )

    # A below 50, B below 80: w starts at 0 → A; x at 60 → B; y at 85 → C; z at 95 → C.
    assert classes(result) == [("w", "A"), ("x", "B"), ("y", "C"), ("z", "C")]


def test_zero_valued_items_are_c():
    result = abc_analysis([("x", 100), ("unused", 0)], basis=AbcBasis.USAGE)

    assert classes(result) == [("x", "A"), ("unused", "C")]


def test_as_rows():
    rows = abc_by_investment(formulary()).as_rows()

    assert rows[0] == {
        "rank": 1,
        "item": "Insulin glargine",
        "value": Decimal("5000000"),
        "share_percent": Decimal("50.00"),
        "cumulative_percent": Decimal("50.00"),
        "abc": "A",
    }


def test_shares_are_rounded_for_display_only():
    result = abc_analysis([("x", 1), ("y", 1), ("z", 1)], basis=AbcBasis.USAGE)

    # Each 33.333…%; cumulative 33.33, 66.67, 100. Exactly: z starts at 66.666… < 70 → A.
    assert [row.share_percent for row in result.rows] == [Decimal("33.33")] * 3
    assert [row.cumulative_percent for row in result.rows] == [
        Decimal("33.33"),
        Decimal("66.67"),
        Decimal("100.00"),
    ]
    assert classes(result) == [("x", "A"), ("y", "A"), ("z", "A")]


@pytest.mark.parametrize(
    ("cutoffs", "message"),
    [
        (
            {"a": 70, "b": 20, "c": 20},
            "harus berjumlah 100% \\(A 70% \\+ B 20% \\+ C 20% = 110%\\)",
        ),
        ({"a": 60, "b": 20, "c": 10}, "harus berjumlah 100%"),
        ({"a": 0, "b": 90, "c": 10}, "Batas kelas A \\(%\\) harus lebih dari nol"),
        ({"a": 80, "b": -10, "c": 30}, "Batas kelas B \\(%\\) tidak boleh negatif"),
    ],
)
def test_it_rejects_invalid_cutoffs(cutoffs, message):
    with pytest.raises(ValueError, match=message):
        AbcCutoffs(**cutoffs)


def test_decimal_cutoffs_adding_to_100_are_accepted():
    cutoffs = AbcCutoffs(a=Decimal("75.5"), b=Decimal("14.5"), c=10)
    assert (cutoffs.a, cutoffs.b, cutoffs.c) == (Decimal("75.5"), Decimal("14.5"), 10)


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ([], "Daftar obat untuk analisis ABC tidak boleh kosong"),
        ([("x", 10), ("y", -1)], "Nilai mutasi y tidak boleh negatif"),
        ([("x", 10), ("x", 5)], "Obat x tercantum lebih dari sekali"),
        ([("", 10)], "Nama obat dalam analisis ABC tidak boleh kosong"),
        ([("x", 0), ("y", 0)], "Total nilai mutasi adalah nol"),
    ],
)
def test_it_rejects_invalid_items(values, message):
    with pytest.raises(ValueError, match=message):
        abc_analysis(values, basis=AbcBasis.USAGE)


def test_it_rejects_a_negative_price():
    with pytest.raises(ValueError, match="Harga satuan Captopril tidak boleh negatif"):
        InvestmentItem("Captopril", 10, Decimal("-300"))


def test_it_refuses_a_float_price():
    with pytest.raises(TypeError, match="bilangan bulat atau Decimal"):
        InvestmentItem("Captopril", 10, 300.5)


@pytest.mark.parametrize(
    ("abc_class", "ven_class", "group"),
    # The VEN class alone decides the group, whatever the ABC class.
    [
        (abc_class, ven_class, group)
        for ven_class, group in [
            ("V", PutGroup.PRIORITAS),
            ("E", PutGroup.UTAMA),
            ("N", PutGroup.TAMBAHAN),
        ]
        for abc_class in "ABC"
    ],
)
def test_put_group_for_every_combination(abc_class, ven_class, group):
    assert put_group(abc_class, ven_class) is group
    assert put_group(AbcClass(abc_class), VenClass(ven_class)) is group


def test_put_group_accepts_lower_case():
    assert put_group("b", "v") is PutGroup.PRIORITAS


@pytest.mark.parametrize(
    ("abc_class", "ven_class", "message"),
    [
        ("D", "V", "Kelas ABC tidak dikenal: 'D'"),
        ("A", "X", "Kelas VEN tidak dikenal: 'X'"),
    ],
)
def test_put_group_rejects_unknown_classes(abc_class, ven_class, message):
    with pytest.raises(ValueError, match=message):
        put_group(abc_class, ven_class)


def formulary_ven() -> dict[str, str]:
    return {
        "Insulin glargine": "V",
        "Amlodipin 10 mg": "E",
        "Metformin 500 mg": "E",
        "Simvastatin 20 mg": "N",
        "Captopril 25 mg": "E",
        "Glimepirid 2 mg": "V",
    }


def test_abc_ven_table_rows_and_matrix():
    table = abc_ven_table(abc_by_investment(formulary()), formulary_ven())

    # ABC from test_abc_by_investment_value_with_both_boundaries, joined with VEN:
    # insulin AV → Prioritas, amlodipin AE → Utama, metformin BE → Utama,
    # simvastatin BN → Tambahan, captopril CE → Utama, glimepirid CV → Prioritas.
    assert [(row.name, row.combination, row.put_group) for row in table.rows] == [
        ("Insulin glargine", "AV", PutGroup.PRIORITAS),
        ("Amlodipin 10 mg", "AE", PutGroup.UTAMA),
        ("Metformin 500 mg", "BE", PutGroup.UTAMA),
        ("Simvastatin 20 mg", "BN", PutGroup.TAMBAHAN),
        ("Captopril 25 mg", "CE", PutGroup.UTAMA),
        ("Glimepirid 2 mg", "CV", PutGroup.PRIORITAS),
    ]
    assert table.as_rows()[3] == {
        "rank": 4,
        "item": "Simvastatin 20 mg",
        "value": Decimal("1000000"),
        "share_percent": Decimal("10.00"),
        "cumulative_percent": Decimal("95.00"),
        "abc": "B",
        "ven": "N",
        "combination": "BN",
        "put": "tambahan",
    }
    assert table.matrix_rows() == [
        {"abc": "A", "V": 1, "E": 1, "N": 0, "total": 2},
        {"abc": "B", "V": 0, "E": 1, "N": 1, "total": 2},
        {"abc": "C", "V": 1, "E": 1, "N": 0, "total": 2},
    ]
    counts = table.matrix_counts()
    assert len(counts) == 9
    assert counts[(AbcClass.C, VenClass.NON_ESSENTIAL)] == 0
    assert table.matrix_values()[(AbcClass.A, VenClass.VITAL)] == Decimal("5000000")
    assert table.put_counts() == {PutGroup.PRIORITAS: 2, PutGroup.UTAMA: 3, PutGroup.TAMBAHAN: 1}
    assert table.total_value == Decimal("10000000")


def test_abc_ven_table_needs_a_ven_class_for_every_medicine():
    ven = formulary_ven()
    del ven["Captopril 25 mg"]

    with pytest.raises(ValueError, match="Kelas VEN belum diisi untuk: Captopril 25 mg"):
        abc_ven_table(abc_by_investment(formulary()), ven)


def test_abc_ven_table_rejects_medicines_outside_the_abc_analysis():
    ven = formulary_ven() | {"Parasetamol": "N"}

    with pytest.raises(ValueError, match="tidak ada dalam analisis ABC: Parasetamol"):
        abc_ven_table(abc_by_investment(formulary()), ven)


def test_abc_ven_table_rejects_an_unknown_ven_class():
    ven = formulary_ven() | {"Insulin glargine": "Z"}

    with pytest.raises(ValueError, match="Kelas VEN tidak dikenal: 'Z'"):
        abc_ven_table(abc_by_investment(formulary()), ven)
