"""Gagal jantung kronik — KMK BAB II.B.3.d and BAB III.B.3.d.4."""

from __future__ import annotations

from ..checks import Subject, compare, fact, is_false, is_true
from ..clauses import BackReferralCriteria, ReReferralCriteria
from ..logic import Finding, all_of
from ..rereferral import (
    DETERIORATION_OR_UNAVAILABLE_RULE,
    MEDICAL_NEED_RULE,
    MEDICINES_UNAVAILABLE_NOTE,
    any_visit,
    deterioration_or_medicines_unavailable,
    medical_need,
)

BACK_REFERRAL = BackReferralCriteria("HEART_CHF")
RE_REFERRAL = ReReferralCriteria("HEART_CHF")


@BACK_REFERRAL.clause(
    "II.B.3.d.1",
    text=(
        "Pasien bebas keluhan sesak nafas (New York Heart Association Functional Classification "
        "I-II (NYHA Fc I-II)) selama observasi 3 bulan;"
    ),
    rule="`nyha_class_max_3m` ≤ 2.",
    reads=("nyha_class_max_3m",),
)
def nyha_at_most_2_for_3_months(subject: Subject) -> Finding:
    return compare(fact(subject, "nyha_class_max_3m"), "<=", 2)


@BACK_REFERRAL.clause(
    "II.B.3.d.2",
    text="Volume cairan tubuh tidak bertambah selama 3 bulan berturut-turut;",
    rule="`fluid_volume_stable_months` ≥ 3.",
    reads=("fluid_volume_stable_months",),
)
def fluid_volume_stable(subject: Subject) -> Finding:
    return compare(fact(subject, "fluid_volume_stable_months"), ">=", 3)


@BACK_REFERRAL.clause(
    "II.B.3.d.3",
    text=(
        "Secara hemodinamik stabil dengan kriteria: tekanan darah >90/60 mmHg dengan produksi "
        "urin tercapai sesuai klinis;"
    ),
    rule="`sbp` > 90 dan `dbp` > 60 dan `urine_output_adequate` = ya.",
    reads=("sbp", "dbp", "urine_output_adequate"),
)
def haemodynamically_stable(subject: Subject) -> Finding:
    return all_of(
        compare(fact(subject, "sbp"), ">", 90),
        compare(fact(subject, "dbp"), ">", 60),
        is_true(subject, "urine_output_adequate"),
    )


@BACK_REFERRAL.clause(
    "II.B.3.d.4",
    text="Penyebab gagal jantung akut sudah teridentifikasi dan teratasi;",
    rule="`acute_cause_resolved` = ya.",
    reads=("acute_cause_resolved",),
)
def acute_cause_resolved(subject: Subject) -> Finding:
    return is_true(subject, "acute_cause_resolved")


@BACK_REFERRAL.clause(
    "II.B.3.d.5",
    text=(
        "Telah mendapatkan terapi gagal jantung sesuai dengan pedoman tata laksana gagal jantung "
        "dan memantau klinis pasien agar tetap dalam keadaan euvolemia;"
    ),
    rule="`gdmt_euvolemic` = ya.",
    reads=("gdmt_euvolemic",),
)
def guideline_therapy_euvolemic(subject: Subject) -> Finding:
    return is_true(subject, "gdmt_euvolemic")


@BACK_REFERRAL.clause(
    "II.B.3.d.6",
    text=(
        "Pasien tidak dalam terapi warfarin (kasus dengan komorbid atrial fibrilasi atau paska "
        "operasi katup jantung); dan"
    ),
    rule="`on_warfarin` = tidak.",
    reads=("on_warfarin",),
)
def not_on_warfarin(subject: Subject) -> Finding:
    return is_false(subject, "on_warfarin")


@BACK_REFERRAL.clause(
    "II.B.3.d.7",
    text=(
        "Pasien tidak menggunakan Implantable Cardioverter Defibrillator (ICD), Cardiac "
        "Resynchronization Therapy Device (CRTD), Left Ventricular Assist Device (LVAD) atau "
        "alat pendukung sirkulasi mekanik lain."
    ),
    rule="`cardiac_device` = tidak.",
    reads=("cardiac_device",),
)
def no_cardiac_device(subject: Subject) -> Finding:
    return is_false(subject, "cardiac_device")


# --- Kriteria Rujuk Ulang (BAB III.B.3.d.4) -------------------------------------

RE_REFERRAL.clause(
    "III.B.3.d.4.a",
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
    "III.B.3.d.4.b",
    text="Jika terjadi perburukan sesak nafas yang progresif;",
    rule="Terpicu bila `progressive_dyspnea` = ya pada kunjungan mana pun.",
    reads=("progressive_dyspnea",),
    window=any_visit,
)
def progressive_dyspnea(visit: Subject) -> Finding:
    return is_true(visit, "progressive_dyspnea")


@RE_REFERRAL.clause(
    "III.B.3.d.4.c",
    text=(
        "Jika terlihat tanda penumpukan cairan tubuh (jugular venous pressure (JVP) meningkat, "
        "terdapat ronki basah di paru, asites bertambah, edema kaki) yang tidak membaik dengan "
        "furosemid oral atau restriksi cairan; dan/atau"
    ),
    rule="Terpicu bila `fluid_overload_refractory` = ya pada kunjungan mana pun.",
    reads=("fluid_overload_refractory",),
    window=any_visit,
)
def fluid_overload_refractory(visit: Subject) -> Finding:
    return is_true(visit, "fluid_overload_refractory")


RE_REFERRAL.clause(
    "III.B.3.d.4.d",
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
