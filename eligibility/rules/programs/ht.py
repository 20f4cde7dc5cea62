"""Hipertensi — KMK BAB II.B.2 (rujuk balik) and BAB III.B.2.d (rujuk ulang)."""

from __future__ import annotations

from ..checks import NOT_ENTERED, Subject, bp_below, compare, egfr, fact, is_true, none_of
from ..clauses import BackReferralCriteria, ReReferralCriteria
from ..facts import FACT_SPECS
from ..logic import FALSE, TRUE, UNKNOWN, Finding, all_of, negate
from ..rereferral import (
    MEDICAL_NEED_RULE,
    MEDICINES_UNAVAILABLE_NOTE,
    UNCONTROLLED_BP_NOTE,
    UNCONTROLLED_BP_RULE,
    any_visit,
    bp_uncontrolled,
    deterioration_and_medicines_unavailable,
    latest_with,
    medical_need,
)

BACK_REFERRAL = BackReferralCriteria("HT")
RE_REFERRAL = ReReferralCriteria("HT")


@BACK_REFERRAL.clause(
    "II.B.2.a",
    text="Tekanan darah < 140/90 mmHg, dalam waktu 3 bulan;",
    rule="`sbp` < 140 dan `dbp` < 90 dan `bp_controlled_months` ≥ 3.",
    reads=("sbp", "dbp", "bp_controlled_months"),
    note='"Dalam waktu 3 bulan" dibaca sebagai tekanan darah terkontrol selama ≥ 3 bulan.',
)
def bp_controlled_3_months(subject: Subject) -> Finding:
    return all_of(
        bp_below(subject, 140, 90),
        compare(fact(subject, "bp_controlled_months"), ">=", 3),
    )


def chronic_kidney_disease_3_to_5(subject: Subject) -> Finding:
    """II.B.2.b.2 "Penyakit ginjal kronik stadium III-V (eGFR < 60 ml/min)".

    Contract: present if ``ckd_stage_3_5`` is true or eGFR < 60; otherwise
    absent if ``ckd_stage_3_5`` is false or eGFR ≥ 60; else unknown. Truth
    here is "CKD III–V present".
    """
    label = FACT_SPECS["ckd_stage_3_5"].label
    flag = subject.get("ckd_stage_3_5")
    kidney = compare(egfr(subject), "<", 60)
    if flag is True:
        return Finding(TRUE, f"{label}: ya")
    if kidney.truth is TRUE:
        return Finding(TRUE, f"{label}: ya ({kidney.reason})")
    if flag is False:
        return Finding(FALSE, f"{label}: tidak")
    if kidney.truth is FALSE:
        return Finding(FALSE, f"{label}: tidak ({kidney.reason})")
    return Finding(
        UNKNOWN,
        f"{label}: {NOT_ENTERED} ({kidney.reason})",
        (subject.path("ckd_stage_3_5"), *kidney.missing),
    )


@BACK_REFERRAL.clause(
    "II.B.2.b",
    text=(
        "Sudah dilakukan pemeriksaan kerusakan target organ dan tidak terdapat Hypertension "
        "Mediated Organ Damage (HMOD), yaitu: 1) Payah jantung; 2) Penyakit ginjal kronik "
        "stadium III-V (eGFR < 60 ml/min); 3) Penyakit jantung koroner; 4) Stroke; 5) Penyakit "
        "vaskular perifer; 6) Aritmia; dan/atau 7) Atrial fibrilasi,"
    ),
    rule=(
        "`hmod_examined` = ya dan tidak ada: `heart_failure`, PGK stadium III–V (ada bila "
        "`ckd_stage_3_5` = ya atau eGFR < 60; tidak ada bila `ckd_stage_3_5` = tidak atau "
        "eGFR ≥ 60), `coronary_heart_disease`, `stroke`, `peripheral_vascular_disease`, "
        "`arrhythmia`, `atrial_fibrillation`."
    ),
    reads=(
        "hmod_examined",
        "heart_failure",
        "ckd_stage_3_5",
        "egfr",
        "creatinine_mg_dl",
        "patient.sex",
        "patient.birth_date",
        "coronary_heart_disease",
        "stroke",
        "peripheral_vascular_disease",
        "arrhythmia",
        "atrial_fibrillation",
    ),
    note=(
        "PGK stadium III–V ada bila dinyatakan ya atau eGFR < 60; tidak ada bila dinyatakan "
        "tidak atau eGFR ≥ 60 (eGFR hasil hitung dari kreatinin juga dipakai)."
    ),
)
def no_hypertension_mediated_organ_damage(subject: Subject) -> Finding:
    return all_of(
        is_true(subject, "hmod_examined"),
        none_of(subject, "heart_failure"),
        negate(chronic_kidney_disease_3_to_5(subject)),
        none_of(
            subject,
            "coronary_heart_disease",
            "stroke",
            "peripheral_vascular_disease",
            "arrhythmia",
            "atrial_fibrillation",
        ),
    )


@BACK_REFERRAL.clause(
    "II.B.2.c",
    text="Bukan hipertensi sekunder, hipertensi pulmonal, dan/atau hipertensi pada kehamilan.",
    rule=(
        "Tidak ada: `secondary_hypertension`, `pulmonary_hypertension`, "
        "`pregnancy_hypertension` (laki-laki: tidak)."
    ),
    reads=("secondary_hypertension", "pulmonary_hypertension", "pregnancy_hypertension"),
)
def not_secondary_pulmonary_or_pregnancy(subject: Subject) -> Finding:
    return none_of(
        subject, "secondary_hypertension", "pulmonary_hypertension", "pregnancy_hypertension"
    )


# --- Kriteria Rujuk Ulang (BAB III.B.2.d) --------------------------------------

RE_REFERRAL.clause(
    "III.B.2.d.1",
    text=(
        "Dilakukan rujukan kembali sesuai kebutuhan medis pasien dengan tujuan agar dapat "
        "dilakukan evaluasi kondisi, keluhan, serta kemungkinan perubahan jenis obat dan dosis "
        "bila diperlukan;"
    ),
    rule=MEDICAL_NEED_RULE,
    reads=("medical_need",),
    window=any_visit,
)(medical_need)

RE_REFERRAL.clause(
    "III.B.2.d.2",
    text=(
        "Jika dalam 3 bulan tekanan darah menjadi tidak terkontrol (sistolik >140 mmHg, "
        "diastolik >90 mmHg);"
    ),
    rule=UNCONTROLLED_BP_RULE,
    reads=("sbp", "dbp"),
    window=latest_with("sbp", "dbp"),
    note=UNCONTROLLED_BP_NOTE,
)(bp_uncontrolled)


@RE_REFERRAL.clause(
    "III.B.2.d.3",
    text="Jika dalam 3 bulan ditemukan tanda kerusakan target organ; dan/atau",
    rule="Terpicu bila `target_organ_damage_signs` = ya pada kunjungan mana pun.",
    reads=("target_organ_damage_signs",),
    window=any_visit,
)
def target_organ_damage(visit: Subject) -> Finding:
    return is_true(visit, "target_organ_damage_signs")


RE_REFERRAL.clause(
    "III.B.2.d.4",
    text=(
        "Pasien segera dirujuk ulang ke fasilitas pelayanan kesehatan tingkat lanjut jika ada "
        "perburukan dan obat-obatan tidak bisa disediakan di fasilitas pelayanan kesehatan "
        "tingkat pertama secara lengkap."
    ),
    rule=(
        "Terpicu bila pada kunjungan yang sama `deterioration` dan `medicines_unavailable` "
        "keduanya ya."
    ),
    reads=("deterioration", "medicines_unavailable"),
    window=any_visit,
    note=(
        'Teks HT memakai "dan" (program lain "atau"): perburukan dan obat tidak tersedia '
        "harus sama-sama ya pada kunjungan yang sama. " + MEDICINES_UNAVAILABLE_NOTE
    ),
)(deterioration_and_medicines_unavailable)
