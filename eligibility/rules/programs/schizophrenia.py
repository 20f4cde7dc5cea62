"""Skizofrenia — KMK BAB II.B.7 (rujuk balik) and BAB III.B.8.d (rujuk ulang)."""

from __future__ import annotations

from .. import instruments
from ..checks import Measure, Subject, age, between, compare, fact, is_false, none_of
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

BACK_REFERRAL = BackReferralCriteria("SCHIZOPHRENIA")
RE_REFERRAL = ReReferralCriteria("SCHIZOPHRENIA")


@BACK_REFERRAL.clause(
    "II.B.7.a",
    text=(
        "Positive and Negative Syndrome Scale (PANSS)-remisi (P1,P2,P3,N1,N4,N6,G5,G9) semua "
        "skor komponen lebih kecil atau sama dengan 3;"
    ),
    rule="`panss` berisi P1, P2, P3, N1, N4, N6, G5, G9, semuanya ≤ 3.",
    reads=("panss",),
)
def panss_remission(subject: Subject) -> Finding:
    panss = subject.get("panss") or {}
    return all_of(
        *(
            compare(
                Measure(f"PANSS {item}", panss.get(item), missing=(subject.path(f"panss.{item}"),)),
                "<=",
                instruments.PANSS_REMISSION_MAX,
            )
            for item in instruments.PANSS_REMISSION_ITEMS
        )
    )


@BACK_REFERRAL.clause(
    "II.B.7.b",
    text="Tercapai dosis fase rumatan antipsikotik 6 bulan tanpa kekambuhan;",
    rule="`maintenance_months_without_relapse` ≥ 6.",
    reads=("maintenance_months_without_relapse",),
)
def maintenance_6_months_without_relapse(subject: Subject) -> Finding:
    return compare(fact(subject, "maintenance_months_without_relapse"), ">=", 6)


@BACK_REFERRAL.clause(
    "II.B.7.c",
    text="Bukan episode pertama;",
    rule="`first_episode` = tidak.",
    reads=("first_episode",),
)
def not_first_episode(subject: Subject) -> Finding:
    return is_false(subject, "first_episode")


@BACK_REFERRAL.clause(
    "II.B.7.d",
    text="Usia 19-59 tahun (bukan anak remaja dan usia lanjut);",
    rule="Usia genap pada `as_of` (dari `patient.birth_date`) 19–59 tahun.",
    reads=("patient.birth_date",),
    note="Usia dihitung dalam tahun genap pada tanggal evaluasi; 19 dan 59 termasuk.",
)
def adult_age(subject: Subject) -> Finding:
    return between(age(subject), 19, 59)


@BACK_REFERRAL.clause(
    "II.B.7.e",
    text=(
        "Tidak ada ketergantungan zat, gangguan kepribadian, kondisi medis umum yang tidak "
        "terkontrol, kasus forensik; dan"
    ),
    rule=(
        "Tidak ada: `substance_dependence`, `personality_disorder`, "
        "`uncontrolled_medical_condition`, `forensic_case`."
    ),
    reads=(
        "substance_dependence",
        "personality_disorder",
        "uncontrolled_medical_condition",
        "forensic_case",
    ),
)
def no_exclusion_condition(subject: Subject) -> Finding:
    return none_of(
        subject,
        "substance_dependence",
        "personality_disorder",
        "uncontrolled_medical_condition",
        "forensic_case",
    )


@BACK_REFERRAL.clause(
    "II.B.7.f",
    text="Tidak ada efek samping obat berat, defisit kognitif, gangguan kepribadian.",
    rule="Tidak ada: `severe_side_effects`, `cognitive_deficit`, `personality_disorder`.",
    reads=("severe_side_effects", "cognitive_deficit", "personality_disorder"),
)
def no_severe_side_effects_or_deficit(subject: Subject) -> Finding:
    return none_of(subject, "severe_side_effects", "cognitive_deficit", "personality_disorder")


# --- Kriteria Rujuk Ulang (BAB III.B.8.d) --------------------------------------

RE_REFERRAL.clause(
    "III.B.8.d.1",
    text=(
        "Dilakukan rujukan kembali sesuai kebutuhan medis pasien dengan tujuan agar dapat "
        "dilakukan evaluasi kondisi, keluhan dan kemungkinan perubahan jenis obat dan dosis bila "
        "diperlukan; dan/atau"
    ),
    rule=MEDICAL_NEED_RULE,
    reads=("medical_need",),
    window=any_visit,
)(medical_need)

RE_REFERRAL.clause(
    "III.B.8.d.2",
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
