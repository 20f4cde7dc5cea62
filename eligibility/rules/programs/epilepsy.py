"""Epilepsi — KMK BAB II.B.6 (rujuk balik) and BAB III.B.6.d (rujuk ulang)."""

from __future__ import annotations

from ..checks import Subject, compare, fact, is_false, is_true, none_of
from ..clauses import BackReferralCriteria, ReReferralCriteria
from ..logic import Finding, any_of
from ..rereferral import (
    DETERIORATION_OR_UNAVAILABLE_RULE,
    MEDICAL_NEED_RULE,
    MEDICINES_UNAVAILABLE_NOTE,
    any_visit,
    deterioration_or_medicines_unavailable,
    medical_need,
)

BACK_REFERRAL = BackReferralCriteria("EPILEPSY")
RE_REFERRAL = ReReferralCriteria("EPILEPSY")


@BACK_REFERRAL.clause(
    "II.B.6.a",
    text="bebas bangkitan epileptik selama 6 bulan;",
    rule="`seizure_free_months` ≥ 6.",
    reads=("seizure_free_months",),
)
def seizure_free_6_months(subject: Subject) -> Finding:
    return compare(fact(subject, "seizure_free_months"), ">=", 6)


@BACK_REFERRAL.clause(
    "II.B.6.b",
    text=(
        "telah tercapai dosis rumatan obat anti bangkitan (OAB)/obat anti epilepsi (OAE) yang "
        "efektif;"
    ),
    rule="`asm_maintenance_dose_reached` = ya.",
    reads=("asm_maintenance_dose_reached",),
)
def maintenance_dose_reached(subject: Subject) -> Finding:
    return is_true(subject, "asm_maintenance_dose_reached")


@BACK_REFERRAL.clause(
    "II.B.6.c",
    text="tidak ada efek samping OAB; dan",
    rule="`asm_side_effects` = tidak.",
    reads=("asm_side_effects",),
)
def no_side_effects(subject: Subject) -> Finding:
    return is_false(subject, "asm_side_effects")


@BACK_REFERRAL.clause(
    "II.B.6.d",
    text="tidak sedang hamil dan menyusui.",
    rule="`pregnant` = tidak dan `breastfeeding` = tidak (laki-laki: terpenuhi).",
    reads=("pregnant", "breastfeeding"),
    note='"Tidak sedang hamil dan menyusui" dibaca: tidak hamil dan juga tidak menyusui.',
)
def not_pregnant_or_breastfeeding(subject: Subject) -> Finding:
    return none_of(subject, "pregnant", "breastfeeding")


# --- Kriteria Rujuk Ulang (BAB III.B.6.d) --------------------------------------

RE_REFERRAL.clause(
    "III.B.6.d.1",
    text=(
        "Dilakukan rujukan kembali sesuai kebutuhan medis pasien dengan tujuan agar dapat "
        "dilakukan evaluasi kondisi, keluhan dan kemungkinan perubahan jenis dan dosis bila "
        "diperlukan;"
    ),
    rule=MEDICAL_NEED_RULE,
    reads=("medical_need",),
    window=any_visit,
)(medical_need)


@RE_REFERRAL.clause(
    "III.B.6.d.2",
    text=(
        "Jika terdapat gejala yang mengarah pada efek samping, kondisi khusus (kehamilan, "
        "persalinan), komorbid (penyakit vaskuler, sindrom metabolik, penyakit liver, gangguan "
        "ginjal dan lain-lain);"
    ),
    rule=(
        "Terpicu bila `asm_side_effects`, `pregnant`, `delivery` atau `new_comorbidity` = ya "
        "pada kunjungan mana pun (laki-laki: kehamilan dan persalinan tidak)."
    ),
    reads=("asm_side_effects", "pregnant", "delivery", "new_comorbidity"),
    window=any_visit,
)
def side_effects_special_condition_or_comorbidity(visit: Subject) -> Finding:
    return any_of(
        is_true(visit, "asm_side_effects"),
        is_true(visit, "pregnant"),
        is_true(visit, "delivery"),
        is_true(visit, "new_comorbidity"),
    )


@RE_REFERRAL.clause(
    "III.B.6.d.3",
    text=(
        "Jika terdapat rencana penurunan dosis obat, penghentian, penambahan dan penggantian "
        "obat anti bangkitan (OAB);"
    ),
    rule="Terpicu bila `asm_change_planned` = ya pada kunjungan mana pun.",
    reads=("asm_change_planned",),
    window=any_visit,
)
def medication_change_planned(visit: Subject) -> Finding:
    return is_true(visit, "asm_change_planned")


@RE_REFERRAL.clause(
    "III.B.6.d.4",
    text="Jika bangkitan epileptik muncul kembali atau didapatkan bangkitan epileptik baru; dan/atau",
    rule="Terpicu bila `seizure_occurred` = ya pada kunjungan mana pun.",
    reads=("seizure_occurred",),
    window=any_visit,
)
def seizure_recurred(visit: Subject) -> Finding:
    return is_true(visit, "seizure_occurred")


RE_REFERRAL.clause(
    "III.B.6.d.5",
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
