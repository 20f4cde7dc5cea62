"""Diabetes melitus — KMK BAB II.B.1 (rujuk balik) and BAB III.B.1.d (rujuk ulang)."""

from __future__ import annotations

from ..checks import (
    NOT_ENTERED,
    Subject,
    between,
    bp_below,
    compare,
    egfr,
    fact,
    is_false,
    is_true,
)
from ..clauses import BackReferralCriteria, ReReferralCriteria
from ..facts import FACT_SPECS
from ..formatting import format_pair, join_labels
from ..logic import (
    FALSE,
    REASON_SEPARATOR,
    TRUE,
    Finding,
    all_of,
    any_of,
    choose,
    implies,
    unknown,
)
from ..rereferral import MEDICAL_NEED_RULE, any_visit, medical_need

BACK_REFERRAL = BackReferralCriteria("DM")
RE_REFERRAL = ReReferralCriteria("DM")

EGFR_FACTS = ("egfr", "creatinine_mg_dl", "patient.sex", "patient.birth_date")


def glycaemic_target(subject: Subject) -> Finding:
    """II.B.1.a targets (re-referral III.B.1.d.2 uses their bounds, ``GLUCOSE_BEYOND_TARGET``)."""
    return any_of(
        compare(fact(subject, "hba1c_percent"), "<", 7),
        between(fact(subject, "fpg_mg_dl"), 80, 130),
        compare(fact(subject, "ppg2h_mg_dl"), "<", 180),
    )


@BACK_REFERRAL.clause(
    "II.B.1.a",
    text=(
        "Tercapai target HbA1c < 7%, atau gula darah puasa (GDP) 80-130 mg/dl, atau gula darah "
        "2 jam pp < 180 mg/dl dengan: 1) monoterapi ataupun kombinasi terapi; 2) terapi insulin "
        "basal dengan dosis < 20 unit; atau 3) monoterapi ataupun kombinasi terapi dengan terapi "
        "insulin basal dengan dosis < 20 unit,"
    ),
    rule=(
        "(`hba1c_percent` < 7 atau 80 ≤ `fpg_mg_dl` ≤ 130 atau `ppg2h_mg_dl` < 180) dan terapi "
        "yang diizinkan: `non_basal_insulin` = tidak, `basal_insulin_units_per_day` < 20 "
        "(0 = tanpa insulin basal), dan `oral_antidiabetic_count` ≥ 1 atau insulin basal > 0."
    ),
    reads=(
        "hba1c_percent",
        "fpg_mg_dl",
        "ppg2h_mg_dl",
        "non_basal_insulin",
        "basal_insulin_units_per_day",
        "oral_antidiabetic_count",
    ),
    note=(
        "Terapi 1)–3) dibaca sebagai: tanpa insulin selain insulin basal, insulin basal "
        "< 20 unit/hari, dan minimal satu obat antidiabetes oral atau insulin basal."
    ),
)
def glycaemic_target_on_allowed_therapy(subject: Subject) -> Finding:
    basal_insulin = fact(subject, "basal_insulin_units_per_day")
    allowed_therapy = all_of(
        is_false(subject, "non_basal_insulin"),
        compare(basal_insulin, "<", 20),
        any_of(
            compare(fact(subject, "oral_antidiabetic_count"), ">=", 1),
            compare(basal_insulin, ">", 0),
        ),
    )
    return all_of(glycaemic_target(subject), allowed_therapy)


@BACK_REFERRAL.clause(
    "II.B.1.b",
    text="Komplikasi neuropati telah dilakukan pengobatan dengan neurotropik;",
    rule="Bila `neuropathy` = ya maka `neuropathy_treated_neurotropic` harus ya.",
    reads=("neuropathy", "neuropathy_treated_neurotropic"),
)
def neuropathy_treated(subject: Subject) -> Finding:
    return implies(
        is_true(subject, "neuropathy"), is_true(subject, "neuropathy_treated_neurotropic")
    )


@BACK_REFERRAL.clause(
    "II.B.1.c",
    text="Protein urin positif satu dengan monoterapi ataupun kombinasi;",
    rule="`urine_protein_plus` (0 = negatif … 4 = +4) ≤ 1.",
    reads=("urine_protein_plus",),
    note='"Positif satu" dibaca sebagai paling tinggi +1 (negatif juga terpenuhi).',
)
def urine_protein_at_most_plus_one(subject: Subject) -> Finding:
    return compare(fact(subject, "urine_protein_plus"), "<=", 1)


@BACK_REFERRAL.clause(
    "II.B.1.d",
    text="Tercapai target dengan gambaran Elektrokardiogram (EKG) normal;",
    rule="`ecg_normal` = ya.",
    reads=("ecg_normal",),
)
def ecg_normal(subject: Subject) -> Finding:
    return is_true(subject, "ecg_normal")


@BACK_REFERRAL.clause(
    "II.B.1.e",
    text="Tercapai target dengan estimated Glomerular Filtration Rate (eGFR) > 60 ml/min;",
    rule=(
        "`egfr` > 60; bila `egfr` kosong, dihitung CKD-EPI 2021 dari `creatinine_mg_dl`, jenis "
        "kelamin dan usia genap (tidak dibulatkan)."
    ),
    reads=EGFR_FACTS,
)
def egfr_above_60(subject: Subject) -> Finding:
    return compare(egfr(subject), ">", 60)


@BACK_REFERRAL.clause(
    "II.B.1.f",
    text=(
        "Tekanan darah terkontrol dengan 1 atau 2 obat anti hipertensi (sistolik <140 mmHg, "
        "diastolik <90 mmHg); dan"
    ),
    rule="`sbp` < 140 dan `dbp` < 90 dan `antihypertensive_count` ≤ 2.",
    reads=("sbp", "dbp", "antihypertensive_count"),
    note='"Dengan 1 atau 2 obat" dibaca sebagai paling banyak 2 obat antihipertensi.',
)
def bp_controlled_with_two_drugs_at_most(subject: Subject) -> Finding:
    return all_of(
        bp_below(subject, 140, 90),
        compare(fact(subject, "antihypertensive_count"), "<=", 2),
    )


@BACK_REFERRAL.clause(
    "II.B.1.g",
    text=(
        "Kolesterol Low-density Lipoprotein (LDL) < 100 mg/dL (<70 mg/dL bila risiko "
        "kardiovaskular sangat tinggi)."
    ),
    rule="`ldl_mg_dl` < 70 bila `very_high_cv_risk` = ya, selain itu < 100.",
    reads=("ldl_mg_dl", "very_high_cv_risk"),
)
def ldl_on_target(subject: Subject) -> Finding:
    ldl = fact(subject, "ldl_mg_dl")
    return choose(
        is_true(subject, "very_high_cv_risk"), compare(ldl, "<", 70), compare(ldl, "<", 100)
    )


# --- Kriteria Rujuk Ulang (BAB III.B.1.d) --------------------------------------


RE_REFERRAL.clause(
    "III.B.1.d.1",
    text=(
        "Dilakukan rujukan kembali sesuai kebutuhan medis pasien dengan tujuan agar dapat "
        "dilakukan evaluasi kondisi, keluhan dan kemungkinan perubahan jenis obat dan dosis bila "
        "diperlukan;"
    ),
    rule=MEDICAL_NEED_RULE,
    reads=("medical_need",),
    window=any_visit,
)(medical_need)


# III.B.1.d.2: each glucose measure with the bound beyond the back-referral
# target (II.B.1.a) at which it counts as loss of control.
GLUCOSE_BEYOND_TARGET: tuple[tuple[str, str, float], ...] = (
    ("hba1c_percent", ">=", 7),
    ("fpg_mg_dl", ">", 130),
    ("ppg2h_mg_dl", ">=", 180),
)
GLUCOSE_FACTS = tuple(name for name, _op, _limit in GLUCOSE_BEYOND_TARGET)


def _glucose_rise(visit: Subject, name: str, op: str, target: float) -> Finding:
    """One measure present in the visit: beyond its target and above the baseline."""
    beyond = compare(fact(visit, name), op, target)
    if beyond.truth is not TRUE:
        return beyond
    reference = None if visit.baseline is None else visit.baseline.values.get(name)
    if reference is None:
        return Finding(
            TRUE,
            f"{beyond.reason}; nilai saat dirujuk balik tidak tercatat, dinilai terhadap "
            "target saja",
        )
    spec = FACT_SPECS[name]
    value = visit.values[name]
    shown_value, shown_reference = format_pair(value, reference)
    if value > reference:
        return Finding(
            TRUE,
            f"{beyond.reason} dan naik dari {shown_reference}{spec.unit_suffix} saat dirujuk balik",
        )
    return Finding(
        FALSE,
        f"{beyond.reason}, tetapi tidak melampaui nilai saat dirujuk balik "
        f"({shown_value}{spec.unit_suffix} ≤ {shown_reference}{spec.unit_suffix})",
    )


@RE_REFERRAL.clause(
    "III.B.1.d.2",
    text=(
        "Jika dalam 3 bulan terjadi peningkatan GDP/gula darah postprandial (GDPP)/HbA1c "
        "melampaui kondisi saat dirujuk balik;"
    ),
    rule=(
        "Per ukuran yang dicatat pada kunjungan: terpicu bila melampaui target rujuk balik "
        "(`hba1c_percent` ≥ 7, `fpg_mg_dl` > 130, `ppg2h_mg_dl` ≥ 180) dan lebih tinggi dari "
        "nilai ukuran yang sama pada baseline (baseline tanpa ukuran itu: target saja). "
        "Kunjungan terpicu bila salah satu ukurannya terpicu, tidak terpicu bila mencatat "
        "minimal satu ukuran dan tidak ada yang terpicu; ukuran yang tidak dicatat diabaikan."
    ),
    reads=(*GLUCOSE_FACTS, *(f"baseline.{name}" for name in GLUCOSE_FACTS)),
    window=any_visit,
    note=(
        '"Peningkatan … melampaui kondisi saat dirujuk balik" dibaca sebagai kenaikan sekaligus '
        "hilangnya kendali: ukuran di atas target rujuk balik (II.B.1.a) dan di atas nilainya "
        "saat dirujuk balik (baseline), sehingga HbA1c yang turun dari 7,5% ke 7,4% tidak "
        "memicu rujuk ulang."
    ),
)
def glucose_rose_beyond_back_referral(visit: Subject) -> Finding:
    values = visit.values
    triggered: list[str] = []
    clear: list[str] = []
    for name, op, target in GLUCOSE_BEYOND_TARGET:
        if values.get(name) is None:
            continue  # contract v2: measures absent from a visit are ignored
        finding = _glucose_rise(visit, name, op, target)
        (triggered if finding.truth is TRUE else clear).append(finding.reason)
    if triggered:
        return Finding(TRUE, REASON_SEPARATOR.join(triggered))
    if clear:
        return Finding(FALSE, REASON_SEPARATOR.join(clear))
    return unknown(
        f"{join_labels([FACT_SPECS[name].short for name in GLUCOSE_FACTS])} {NOT_ENTERED}",
        tuple(visit.path(name) for name in GLUCOSE_FACTS),
    )


@RE_REFERRAL.clause(
    "III.B.1.d.3",
    text=(
        "Jika dalam 3 bulan dosis insulin basal dinaikkan melebihi 20 unit per hari, pada "
        "pasien dengan insulin;"
    ),
    rule="Terpicu bila pada kunjungan mana pun `basal_insulin_units_per_day` > 20.",
    reads=("basal_insulin_units_per_day",),
    window=any_visit,
)
def basal_insulin_above_20(visit: Subject) -> Finding:
    return compare(fact(visit, "basal_insulin_units_per_day"), ">", 20)


@RE_REFERRAL.clause(
    "III.B.1.d.4",
    text="Jika dalam 3 bulan terjadi keluhan komplikasi neuropati memberat;",
    rule="Terpicu bila `neuropathy_worsening` = ya pada kunjungan mana pun.",
    reads=("neuropathy_worsening",),
    window=any_visit,
)
def neuropathy_worsening(visit: Subject) -> Finding:
    return is_true(visit, "neuropathy_worsening")


@RE_REFERRAL.clause(
    "III.B.1.d.5",
    text="Jika dalam 3 bulan ditemukan proteinuria > positif satu;",
    rule="Terpicu bila pada kunjungan mana pun `urine_protein_plus` > 1.",
    reads=("urine_protein_plus",),
    window=any_visit,
)
def proteinuria_above_plus_one(visit: Subject) -> Finding:
    return compare(fact(visit, "urine_protein_plus"), ">", 1)


@RE_REFERRAL.clause(
    "III.B.1.d.6",
    text="Jika dalam 3 bulan ditemukan aritmia jantung atau adanya perubahan EKG; dan/atau",
    rule="Terpicu bila `arrhythmia` atau `ecg_changed` = ya pada kunjungan mana pun.",
    reads=("arrhythmia", "ecg_changed"),
    window=any_visit,
)
def arrhythmia_or_ecg_change(visit: Subject) -> Finding:
    return any_of(is_true(visit, "arrhythmia"), is_true(visit, "ecg_changed"))


@RE_REFERRAL.clause(
    "III.B.1.d.7",
    text="Jika dalam 3 bulan ditemukan penurunan eGFR menjadi < 60 ml/min.",
    rule=(
        "Terpicu bila pada kunjungan mana pun `egfr` < 60 (atau CKD-EPI 2021 dari "
        "`creatinine_mg_dl` dengan usia pada tanggal kunjungan)."
    ),
    reads=EGFR_FACTS,
    window=any_visit,
)
def egfr_below_60(visit: Subject) -> Finding:
    return compare(egfr(visit), "<", 60)
