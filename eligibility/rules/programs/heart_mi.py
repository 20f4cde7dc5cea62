"""Pasca infark miokardium — KMK BAB II.B.3.c and BAB III.B.3.c.4."""

from __future__ import annotations

from ..checks import Subject, compare, fact, is_true
from ..clauses import BackReferralCriteria, ReReferralCriteria
from ..logic import Finding, all_of, any_of, implies, unknown
from ..rereferral import (
    DETERIORATION_OR_UNAVAILABLE_RULE,
    MEDICAL_NEED_RULE,
    MEDICINES_UNAVAILABLE_NOTE,
    UNCONTROLLED_BP_NOTE,
    UNCONTROLLED_BP_RULE,
    any_visit,
    bp_uncontrolled,
    deterioration_or_medicines_unavailable,
    latest_with,
    medical_need,
)
from .heart_angina import (
    REVASCULARIZATION_NOTE,
    REVASCULARIZATION_RULE,
    bp_below_140_90,
    revascularized_if_indicated,
)

BACK_REFERRAL = BackReferralCriteria("HEART_MI")
RE_REFERRAL = ReReferralCriteria("HEART_MI")

BACK_REFERRAL.clause(
    "II.B.3.c.1",
    text=(
        "Telah dilakukan revaskularisasi (Percutaneous Coronary Intervention (PCI)/Coronary "
        "Artery Bypass Grafting (CABG)) sesuai indikasi;"
    ),
    rule=REVASCULARIZATION_RULE,
    reads=("revascularization_indicated", "revascularization_done"),
    note=REVASCULARIZATION_NOTE,
)(revascularized_if_indicated)


@BACK_REFERRAL.clause(
    "II.B.3.c.2",
    text=(
        "Klinis pasien stabil dengan gejala nyeri dada/angina maksimal Chronic Coronary "
        "Syndrome (CCS) kelas 1 selama evaluasi 3 bulan;"
    ),
    rule="`ccs_class_max_3m` ≤ 1 (0 = tanpa angina).",
    reads=("ccs_class_max_3m",),
)
def angina_at_most_ccs_1(subject: Subject) -> Finding:
    return compare(fact(subject, "ccs_class_max_3m"), "<=", 1)


@BACK_REFERRAL.clause(
    "II.B.3.c.3",
    text="Kapasitas fungsional sesuai dengan NYHA I-II;",
    rule="`nyha_class` ≤ 2.",
    reads=("nyha_class",),
)
def nyha_1_or_2(subject: Subject) -> Finding:
    return compare(fact(subject, "nyha_class"), "<=", 2)


@BACK_REFERRAL.clause(
    "II.B.3.c.4",
    text="Sudah mendapatkan terapi dual antiplatelet;",
    rule="`antiplatelet_count` ≥ 2.",
    reads=("antiplatelet_count",),
)
def dual_antiplatelet(subject: Subject) -> Finding:
    return compare(fact(subject, "antiplatelet_count"), ">=", 2)


@BACK_REFERRAL.clause(
    "II.B.3.c.5",
    text=(
        "Sudah mendapatkan beta blocker dengan dosis optimal dengan target nadi istirahat < 70 "
        "kali permenit;"
    ),
    rule="`beta_blocker_optimal` = ya dan `resting_hr` < 70.",
    reads=("beta_blocker_optimal", "resting_hr"),
)
def beta_blocker_at_target_rate(subject: Subject) -> Finding:
    return all_of(
        is_true(subject, "beta_blocker_optimal"),
        compare(fact(subject, "resting_hr"), "<", 70),
    )


@BACK_REFERRAL.clause(
    "II.B.3.c.6",
    text=(
        "Telah mendapatkan obat golongan statin intensitas tinggi yang akan dilanjutkan di "
        "fasilitas pelayanan kesehatan tingkat pertama;"
    ),
    rule="`high_intensity_statin` = ya.",
    reads=("high_intensity_statin",),
)
def high_intensity_statin(subject: Subject) -> Finding:
    return is_true(subject, "high_intensity_statin")


@BACK_REFERRAL.clause(
    "II.B.3.c.7",
    text=(
        "Telah mendapatkan obat golongan ACE-Inhibitor atau ARB jika kontraktilitas ventrikel "
        "kiri menurun (EF < 40 %) atau hipertensi; dan"
    ),
    rule="Bila `lvef_percent` < 40 atau `hypertension` = ya maka `acei_or_arb` harus ya.",
    reads=("lvef_percent", "hypertension", "acei_or_arb"),
)
def acei_or_arb_if_indicated(subject: Subject) -> Finding:
    return implies(
        any_of(compare(fact(subject, "lvef_percent"), "<", 40), is_true(subject, "hypertension")),
        is_true(subject, "acei_or_arb"),
    )


BACK_REFERRAL.clause(
    "II.B.3.c.8",
    text="Tekanan darah terkontrol (sistolik <140 mmHg, diastolik <90 mmHg).",
    rule="`sbp` < 140 dan `dbp` < 90.",
    reads=("sbp", "dbp"),
)(bp_below_140_90)


# --- Kriteria Rujuk Ulang (BAB III.B.3.c.4) -------------------------------------

RE_REFERRAL.clause(
    "III.B.3.c.4.a",
    text=(
        "Dilakukan rujukan kembali sesuai kebutuhan medis pasien dengan tujuan agar dapat "
        "dilakukan evaluasi kondisi, keluhan dan kemungkinan perubahan jenis obat dan dosis bila "
        "diperlukan;"
    ),
    rule=MEDICAL_NEED_RULE,
    reads=("medical_need",),
    window=any_visit,
)(medical_need)


@RE_REFERRAL.clause(
    "III.B.3.c.4.b",
    text="Jika terjadi perburukan keluhan nyeri dada;",
    rule="Terpicu bila `chest_pain_worsening` = ya pada kunjungan mana pun.",
    reads=("chest_pain_worsening",),
    window=any_visit,
)
def chest_pain_worsening(visit: Subject) -> Finding:
    return is_true(visit, "chest_pain_worsening")


@RE_REFERRAL.clause(
    "III.B.3.c.4.c",
    text="Jika dalam 3 bulan terjadi penurunan kapasitas fungsional;",
    rule=(
        "Terpicu bila pada kunjungan mana pun `nyha_class` > `baseline.nyha_class`; tanpa "
        "`baseline.nyha_class` tidak dapat dinilai."
    ),
    reads=("nyha_class", "baseline.nyha_class"),
    window=any_visit,
    note=(
        '"Penurunan kapasitas fungsional" dibaca sebagai kelas NYHA lebih tinggi daripada '
        "kelas NYHA saat dirujuk balik (baseline)."
    ),
)
def nyha_class_above_baseline(visit: Subject) -> Finding:
    current = fact(visit, "nyha_class")
    reference = None if visit.baseline is None else visit.baseline.get("nyha_class")
    if reference is None:
        missing = (*current.missing, "baseline.nyha_class")  # the visit's too, if absent
        return unknown("Kelas NYHA saat rujuk balik (baseline) belum diisi", missing)
    finding = compare(current, ">", reference)
    return Finding(finding.truth, f"{finding.reason} (kelas saat rujuk balik)", finding.missing)


RE_REFERRAL.clause(
    "III.B.3.c.4.d",
    text=(
        "Jika dalam 3 bulan bulan tekanan darah menjadi tidak terkontrol (sistolik >140 mmHg, "
        "diastolik >90 mmHg); dan/atau"
    ),
    rule=UNCONTROLLED_BP_RULE,
    reads=("sbp", "dbp"),
    window=latest_with("sbp", "dbp"),
    note=UNCONTROLLED_BP_NOTE,
)(bp_uncontrolled)

RE_REFERRAL.clause(
    "III.B.3.c.4.e",
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
