"""PPOK — KMK BAB II.B.5 (rujuk balik) and BAB III.B.5.d (rujuk ulang)."""

from __future__ import annotations

from ..checks import Subject, cat_score, compare, fact, is_true
from ..clauses import BackReferralCriteria, ReReferralCriteria
from ..logic import Finding, all_of, any_of
from ..rereferral import (
    DETERIORATION_OR_UNAVAILABLE_RULE,
    MEDICAL_NEED_RULE,
    MEDICINES_UNAVAILABLE_NOTE,
    any_visit,
    deterioration_or_medicines_unavailable,
    medical_need,
)

BACK_REFERRAL = BackReferralCriteria("COPD")
RE_REFERRAL = ReReferralCriteria("COPD")


@BACK_REFERRAL.clause(
    "II.B.5.a.1",
    text=(
        "skor Modified British Medical Research Council (mMRC) 0-1 atau skor COPD Assessment "
        "Test (CAT) kurang dari 10; dan"
    ),
    rule="`mmrc` ≤ 1 atau `cat_score` < 10 (atau jumlah `cat_items`, delapan butir 0–5).",
    reads=("mmrc", "cat_score", "cat_items"),
)
def few_symptoms(subject: Subject) -> Finding:
    return any_of(
        compare(fact(subject, "mmrc"), "<=", 1),
        compare(cat_score(subject), "<", 10),
    )


@BACK_REFERRAL.clause(
    "II.B.5.a.2",
    text=(
        "dalam kurun waktu 1 (satu) tahun terakhir tidak ada riwayat eksaserbasi atau 1 kali "
        "eksaserbasi (memerlukan rawat inap rumah sakit) atau >1 kali eksaserbasi dalam "
        "kunjungan rumah sakit tanpa perawatan rumah sakit,"
    ),
    rule=(
        "Terpenuhi bila `exacerbations_hospitalized_12m` = 0 dan "
        "`exacerbations_not_hospitalized_12m` ≤ 1; tidak terpenuhi bila salah satu batas "
        "dilampaui (meskipun jumlah yang lain belum diisi)."
    ),
    reads=("exacerbations_hospitalized_12m", "exacerbations_not_hospitalized_12m"),
    note=(
        'Kalimat setelah "tidak ada riwayat" adalah definisi risiko eksaserbasi tinggi GOLD '
        "(1 kali rawat inap, atau > 1 kali eksaserbasi tanpa rawat inap) dan dibaca sebagai "
        "tidak ada riwayat tersebut: tanpa eksaserbasi rawat inap dan paling banyak 1 "
        "eksaserbasi tanpa rawat inap."
    ),
)
def exacerbation_history_allowed(subject: Subject) -> Finding:
    """Contract v2: no high-risk exacerbation history (GOLD) in the last 12 months."""
    return all_of(
        compare(fact(subject, "exacerbations_hospitalized_12m"), "==", 0),
        compare(fact(subject, "exacerbations_not_hospitalized_12m"), "<=", 1),
    )


@BACK_REFERRAL.clause(
    "II.B.5.b.1",
    text=(
        "Pasien tersebut sudah di follow up dalam 1 bulan dengan: mengerti rejimen pengobatan "
        "dan teknik inhaler yang digunakan; dan"
    ),
    rule="`followed_up_1_month` = ya dan `understands_regimen_and_inhaler` = ya.",
    reads=("followed_up_1_month", "understands_regimen_and_inhaler"),
)
def understands_regimen(subject: Subject) -> Finding:
    return all_of(
        is_true(subject, "followed_up_1_month"),
        is_true(subject, "understands_regimen_and_inhaler"),
    )


@BACK_REFERRAL.clause(
    "II.B.5.b.2",
    text=(
        "Pasien tersebut sudah di follow up dalam 1 bulan dengan: mampu melakukan aktivitas "
        "fisik untuk kebutuhan hidup sehari-hari."
    ),
    rule="`followed_up_1_month` = ya dan `adl_capable` = ya.",
    reads=("followed_up_1_month", "adl_capable"),
)
def capable_of_daily_activities(subject: Subject) -> Finding:
    return all_of(is_true(subject, "followed_up_1_month"), is_true(subject, "adl_capable"))


# --- Kriteria Rujuk Ulang (BAB III.B.5.d) --------------------------------------

RE_REFERRAL.clause(
    "III.B.5.d.1",
    text=(
        "Dilakukan rujukan kembali sesuai kebutuhan medis pasien dengan tujuan agar dapat "
        "dilakukan evaluasi kondisi, keluhan dan kemungkinan perubahan jenis obat dan dosis bila "
        "diperlukan mengingat PPOK bersifat persisten, progresif, dan disertai komorbid sebagai "
        "akibat dari efek sistemik; dan/atau"
    ),
    rule=MEDICAL_NEED_RULE,
    reads=("medical_need",),
    window=any_visit,
)(medical_need)

RE_REFERRAL.clause(
    "III.B.5.d.2",
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
