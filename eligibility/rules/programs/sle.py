"""Sindroma lupus eritematosus — KMK BAB II.B.9 (rujuk balik) and BAB III.B.9.d (rujuk ulang)."""

from __future__ import annotations

from .. import instruments
from ..checks import Subject, compare, fact, is_false, is_true, prednisone_equivalent, sledai_2k
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

BACK_REFERRAL = BackReferralCriteria("SLE")
RE_REFERRAL = ReReferralCriteria("SLE")


@BACK_REFERRAL.clause(
    "II.B.9.a",
    text=(
        # Printed as in the KMK, including its spacing "2000( SLEDAI 2K)".
        "Telah remisi (kriteria Systemic Lupus Erythematosus Disease Activity Index 2000( "
        "SLEDAI 2K) = 0) selama minimal 6 bulan;"
    ),
    rule=(
        "`sledai_2k` = 0 (atau dihitung dari `sledai_items`, daftar deskriptor SLEDAI-2K yang "
        "ada, dengan bobotnya) dan `remission_months` ≥ 6."
    ),
    reads=("sledai_2k", "sledai_items", "remission_months"),
)
def in_remission_6_months(subject: Subject) -> Finding:
    return all_of(
        compare(sledai_2k(subject), "==", 0),
        compare(fact(subject, "remission_months"), ">=", 6),
    )


@BACK_REFERRAL.clause(
    "II.B.9.b",
    text=(
        "Hanya menggunakan obat kortikosteroid dosis rendah (setara prednison dosis ≤ 5mg per "
        "hari) dan/atau hidroksiklorokuin; dan"
    ),
    rule=(
        "`other_immunosuppressants` = tidak dan dosis setara prednison dari "
        '`corticosteroid_drug` pada `corticosteroid_mg_per_day` ≤ 5 ("none" = 0; obat di luar '
        "tabel → tidak dapat dinilai). Setara 5 mg prednison: prednisolon 5, metilprednisolon 4, "
        "triamsinolon 4, hidrokortison 20, kortison 25, deflazakort 6, deksametason 0,75, "
        "betametason 0,75 mg."
    ),
    reads=("other_immunosuppressants", "corticosteroid_drug", "corticosteroid_mg_per_day"),
    note=(
        '"Hanya" dibaca: tidak ada obat lain selain kortikosteroid dosis rendah dan/atau '
        "hidroksiklorokuin; dosis dikonversi ke setara prednison dengan tabel kesetaraan standar."
    ),
)
def low_dose_steroid_only(subject: Subject) -> Finding:
    return all_of(
        is_false(subject, "other_immunosuppressants"),
        compare(prednisone_equivalent(subject), "<=", instruments.LOW_DOSE_PREDNISONE_MG),
    )


@BACK_REFERRAL.clause(
    "II.B.9.c",
    text="Tidak dalam kondisi kehamilan.",
    rule="`pregnant` = tidak (laki-laki: terpenuhi).",
    reads=("pregnant",),
)
def not_pregnant(subject: Subject) -> Finding:
    return is_false(subject, "pregnant")


# --- Kriteria Rujuk Ulang (BAB III.B.9.d) --------------------------------------

RE_REFERRAL.clause(
    "III.B.9.d.1",
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
    "III.B.9.d.2",
    text=(
        "Jika dalam 3 bulan pasien dicurigai mengalami perburukan aktivitas penyakit atau pada "
        "kasus dengan kehamilan; dan/atau"
    ),
    rule=(
        "Terpicu bila pada kunjungan mana pun `flare_suspected` = ya, `sledai_2k` > 0 (atau "
        "dari `sledai_items`), atau `pregnant` = ya."
    ),
    reads=("flare_suspected", "sledai_2k", "sledai_items", "pregnant"),
    window=any_visit,
    note=(
        '"Dicurigai perburukan aktivitas penyakit" dibaca sebagai kecurigaan flare oleh dokter '
        "atau SLEDAI-2K > 0."
    ),
)
def flare_or_pregnancy(visit: Subject) -> Finding:
    return any_of(
        is_true(visit, "flare_suspected"),
        compare(sledai_2k(visit), ">", 0),
        is_true(visit, "pregnant"),
    )


RE_REFERRAL.clause(
    "III.B.9.d.3",
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
