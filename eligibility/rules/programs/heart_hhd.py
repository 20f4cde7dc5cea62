"""Penyakit jantung hipertensi — KMK BAB II.B.3.a and BAB III.B.3.a.4."""

from __future__ import annotations

from ..checks import Subject, is_false
from ..clauses import BackReferralCriteria, ReReferralCriteria
from ..logic import Finding
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
from .ht import bp_controlled_3_months, target_organ_damage

BACK_REFERRAL = BackReferralCriteria("HEART_HHD")
RE_REFERRAL = ReReferralCriteria("HEART_HHD")


@BACK_REFERRAL.clause(
    "II.B.3.a.1",
    text=(
        "Tidak ada tanda gagal jantung (kongestif) berupa sesak napas atau nyeri dada dalam "
        "observasi selama 3 bulan;"
    ),
    rule="`heart_failure_signs_3m` = tidak.",
    reads=("heart_failure_signs_3m",),
)
def no_heart_failure_signs(subject: Subject) -> Finding:
    return is_false(subject, "heart_failure_signs_3m")


@BACK_REFERRAL.clause(
    "II.B.3.a.2",
    text="Tidak ada aritmia;",
    rule="`arrhythmia` = tidak.",
    reads=("arrhythmia",),
)
def no_arrhythmia(subject: Subject) -> Finding:
    return is_false(subject, "arrhythmia")


BACK_REFERRAL.clause(
    "II.B.3.a.3",
    text=(
        "Tekanan darah terkontrol baik pada waktu istirahat maupun aktivitas (TD <140/90 mmHg) "
        "dalam waktu 3 bulan; dan"
    ),
    rule="`sbp` < 140 dan `dbp` < 90 dan `bp_controlled_months` ≥ 3.",
    reads=("sbp", "dbp", "bp_controlled_months"),
    note='"Dalam waktu 3 bulan" dibaca sebagai tekanan darah terkontrol selama ≥ 3 bulan.',
)(bp_controlled_3_months)


@BACK_REFERRAL.clause(
    "II.B.3.a.4",
    text=(
        "Tidak terdapat keterbatasan aktivitas berupa sesak napas dan/atau nyeri dada selama "
        "observasi 3 bulan."
    ),
    rule="`activity_limitation_3m` = tidak.",
    reads=("activity_limitation_3m",),
)
def no_activity_limitation(subject: Subject) -> Finding:
    return is_false(subject, "activity_limitation_3m")


# --- Kriteria Rujuk Ulang (BAB III.B.3.a.4) -------------------------------------

RE_REFERRAL.clause(
    "III.B.3.a.4.a",
    text=(
        "Dilakukan rujukan kembali sesuai kebutuhan medis pasien dengan tujuan agar dapat "
        "dilakukan evaluasi kondisi, keluhan, dan kemungkinan perubahan jenis obat dan dosis "
        "bila diperlukan;"
    ),
    rule=MEDICAL_NEED_RULE,
    reads=("medical_need",),
    window=any_visit,
)(medical_need)

RE_REFERRAL.clause(
    "III.B.3.a.4.b",
    text=(
        "Jika dalam 3 bulan tekanan darah menjadi tidak terkontrol (sistolik >140 mmHg, "
        "diastolik >90 mmHg);"
    ),
    rule=UNCONTROLLED_BP_RULE,
    reads=("sbp", "dbp"),
    window=latest_with("sbp", "dbp"),
    note=UNCONTROLLED_BP_NOTE,
)(bp_uncontrolled)


RE_REFERRAL.clause(
    "III.B.3.a.4.c",
    text="Jika dalam 3 bulan ditemukan tanda kerusakan target organ; dan/atau",
    rule="Terpicu bila `target_organ_damage_signs` = ya pada kunjungan mana pun.",
    reads=("target_organ_damage_signs",),
    window=any_visit,
)(target_organ_damage)


RE_REFERRAL.clause(
    "III.B.3.a.4.d",
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
