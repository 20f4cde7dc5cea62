"""Asma — KMK BAB II.B.4 (rujuk balik) and BAB III.B.4.d (rujuk ulang)."""

from __future__ import annotations

from .. import instruments
from ..checks import NOT_ENTERED, Subject, act_score, compare, fact, is_false, is_true, none_of
from ..clauses import BackReferralCriteria, ReReferralCriteria
from ..formatting import format_date
from ..logic import TRUE, UNKNOWN, Finding, all_of, any_of, unknown
from ..rereferral import (
    DETERIORATION_OR_UNAVAILABLE_RULE,
    MEDICAL_NEED_RULE,
    MEDICINES_UNAVAILABLE_NOTE,
    any_visit,
    deterioration_or_medicines_unavailable,
    medical_need,
)

BACK_REFERRAL = BackReferralCriteria("ASTHMA")
RE_REFERRAL = ReReferralCriteria("ASTHMA")

# KMK II.B.4.a.1–4, the Asthma Symptoms Control questions over the last 4 weeks.
SYMPTOM_FACTS = (
    "daytime_symptoms_gt_2_per_week",
    "night_waking",
    "reliever_gt_2_per_week",
    "activity_limitation",
)


@BACK_REFERRAL.clause(
    "II.B.4.a",
    text=(
        "Asma stabil dan terkontrol menurut Asthma Control Test ≥ 25 atau secara klinis apabila "
        "pasien dalam 4 (empat) minggu memenuhi seluruh parameter gejala dalam Asthma Symptoms "
        "Control sebagai berikut: 1) tidak ada gejala harian asma lebih dari 2x seminggu; "
        "2) tidak terbangun pada malam hari akibat sesaknya; 3) tidak memerlukan obat pelega "
        "lebih dari 2x seminggu; 4) tidak ada keterbatasan aktivitas fisik karena asmanya,"
    ),
    rule=(
        "`act_score` ≥ 25 (atau jumlah `act_items`, lima butir 1–5) atau tidak ada satu pun "
        "dari `daytime_symptoms_gt_2_per_week`, `night_waking`, `reliever_gt_2_per_week`, "
        "`activity_limitation` (4 minggu terakhir)."
    ),
    reads=("act_score", "act_items", *SYMPTOM_FACTS),
)
def asthma_controlled(subject: Subject) -> Finding:
    return any_of(
        compare(act_score(subject), ">=", instruments.ACT_CONTROLLED_SCORE),
        none_of(subject, *SYMPTOM_FACTS),
    )


def inhaled_corticosteroid_below_medium_dose(subject: Subject) -> Finding:
    """II.B.4.b.1: adults, budesonide > 800 mcg/day or fluticasone > 500 mcg/day excluded.

    Contract v2: under 18 completed years at ``as_of`` a budesonide or fluticasone
    dose is unknown whatever its value; without a birth date the adult limits apply.
    """
    drug = subject.get("ics_drug")
    if drug is None:
        missing = [subject.path("ics_drug")]
        if subject.get("ics_mcg_per_day") is None:
            missing.append(subject.path("ics_mcg_per_day"))
        return unknown(f"Kortikosteroid inhalasi {NOT_ENTERED}", tuple(missing))
    if drug == instruments.NO_ICS:
        return Finding(TRUE, "Tanpa kortikosteroid inhalasi")
    ceiling = instruments.ICS_MEDIUM_DOSE_ABOVE_MCG.get(drug)
    if ceiling is None:
        return unknown(
            f"KMK tidak memberi ambang dosis untuk kortikosteroid inhalasi '{drug}' (hanya "
            "budesonide > 800 mcg/hari dan flutikason propionat > 500 mcg/hari); dokter menilai "
            "dosis sedang–tinggi dengan tabel dosis ekuivalen GINA",
            (subject.path("ics_drug"),),
        )
    years = subject.age()
    if years is not None and years < instruments.ICS_ADULT_AGE_YEARS:
        # Contract v2: the limits are printed "untuk dewasa"; none is given for children.
        return unknown(
            f"KMK memberi ambang dosis {instruments.ICS_LABELS[drug]} hanya untuk dewasa; "
            f"pasien berusia {years} tahun per {format_date(subject.on)} (< "
            f"{instruments.ICS_ADULT_AGE_YEARS} tahun), dosis dinilai dokter",
            (subject.path("ics_drug"),),
        )
    dose = fact(subject, "ics_mcg_per_day")
    dose.label = f"Dosis {instruments.ICS_LABELS[drug]}"
    finding = compare(dose, "<=", ceiling)
    if years is None and finding.truth is not UNKNOWN:
        finding.reason += " (ambang dewasa; tanggal lahir belum diisi)"
    return finding


@BACK_REFERRAL.clause(
    "II.B.4.b",
    text=(
        "Asma ringan dan sedang yang stabil, yaitu tidak membutuhkan obat-obat berikut: "
        "1) kortikosteroid inhalasi dosis sedang hingga tinggi (untuk dewasa budesonide "
        ">800 mcg/hari, flutikason >500 mcg/hari); 2) kortikosteroid sistemik,"
    ),
    rule=(
        '`systemic_corticosteroid` = tidak dan dosis inhalasi diizinkan: `ics_drug` "none" → '
        'ya (usia berapa pun); "budesonide" → `ics_mcg_per_day` ≤ 800; '
        '"fluticasone_propionate" → ≤ 500; obat lain → tidak dapat dinilai. Pasien < 18 tahun '
        "genap per `as_of`: dosis budesonide/flutikason tidak dapat dinilai, berapa pun "
        "dosisnya; tanpa tanggal lahir berlaku ambang dewasa."
    ),
    reads=("systemic_corticosteroid", "ics_drug", "ics_mcg_per_day", "patient.birth_date"),
    note=(
        "KMK hanya memberi ambang untuk budesonide dan flutikason propionat, dan hanya "
        '"untuk dewasa" (≥ 18 tahun genap): untuk anak dan untuk obat inhalasi lain hasilnya '
        "tidak dapat dinilai (GINA memberi tabel dosis ekuivalen)."
    ),
)
def no_medium_high_ics_or_systemic_steroid(subject: Subject) -> Finding:
    return all_of(
        is_false(subject, "systemic_corticosteroid"),
        inhaled_corticosteroid_below_medium_dose(subject),
    )


@BACK_REFERRAL.clause(
    "II.B.4.c",
    text=(
        "Tidak memiliki penurunan fungsi paru berat (Forced Expiratory Volume 1 (FEV1) > 60% "
        "prediksi);"
    ),
    rule="`fev1_percent_predicted` > 60.",
    reads=("fev1_percent_predicted",),
)
def fev1_above_60(subject: Subject) -> Finding:
    return compare(fact(subject, "fev1_percent_predicted"), ">", 60)


@BACK_REFERRAL.clause(
    "II.B.4.d",
    text=(
        "Tidak ada riwayat intubasi dan/atau perawatan ICU karena asma dalam 12 bulan terakhir; dan"
    ),
    rule="`icu_or_intubation_12m` = tidak.",
    reads=("icu_or_intubation_12m",),
)
def no_icu_or_intubation(subject: Subject) -> Finding:
    return is_false(subject, "icu_or_intubation_12m")


@BACK_REFERRAL.clause(
    "II.B.4.e",
    text="Tidak ada eksaserbasi berat dalam 12 bulan terakhir.",
    rule="`severe_exacerbation_12m` = tidak.",
    reads=("severe_exacerbation_12m",),
)
def no_severe_exacerbation(subject: Subject) -> Finding:
    return is_false(subject, "severe_exacerbation_12m")


# --- Kriteria Rujuk Ulang (BAB III.B.4.d) --------------------------------------

RE_REFERRAL.clause(
    "III.B.4.d.1",
    text=(
        "Dilakukan rujukan kembali sesuai kebutuhan medis pasien dengan tujuan agar dapat "
        "dilakukan evaluasi kondisi, keluhan, serta kemungkinan perubahan jenis obat dan dosis "
        "bila diperlukan;"
    ),
    rule=MEDICAL_NEED_RULE,
    reads=("medical_need",),
    window=any_visit,
)(medical_need)


@RE_REFERRAL.clause(
    "III.B.4.d.2",
    text=(
        "Jika dalam 3 bulan klinis menjadi tidak terkontrol dan terdapat komorbid yang membuat "
        "terapi tidak optimal; dan/atau"
    ),
    rule=(
        "Terpicu bila pada kunjungan yang sama asma tidak terkontrol (`act_score` < 20 atau "
        "jumlah `act_items` < 20, salah satu dari empat gejala, atau `pef_percent_predicted` "
        "< 80) dan `comorbidity_limits_therapy` = ya."
    ),
    reads=(
        "act_score",
        "act_items",
        *SYMPTOM_FACTS,
        "pef_percent_predicted",
        "comorbidity_limits_therapy",
    ),
    window=any_visit,
    note=(
        '"Tidak terkontrol" dibaca sebagai ACT < 20, salah satu dari empat gejala Asthma '
        "Symptoms Control, atau APE < 80% prediksi (BAB III.B.4.a.1.b)."
    ),
)
def uncontrolled_with_limiting_comorbidity(visit: Subject) -> Finding:
    uncontrolled = any_of(
        compare(act_score(visit), "<", instruments.ACT_UNCONTROLLED_BELOW),
        *(is_true(visit, name) for name in SYMPTOM_FACTS),
        compare(fact(visit, "pef_percent_predicted"), "<", 80),
    )
    return all_of(uncontrolled, is_true(visit, "comorbidity_limits_therapy"))


RE_REFERRAL.clause(
    "III.B.4.d.3",
    text=(
        "Pasien segera dirujuk ulang ke fasilitas pelayanan kesehatan tingkat lanjut jika ada "
        "perburukan atau obat-obatan tidak bisa disediakan di fasilitas pelayanan kesehatan "
        "tingkat pertama secara lengkap."
    ),
    rule=DETERIORATION_OR_UNAVAILABLE_RULE,
    reads=("deterioration", "medicines_unavailable"),
    window=any_visit,
    note=MEDICINES_UNAVAILABLE_NOTE,
)(deterioration_or_medicines_unavailable)
