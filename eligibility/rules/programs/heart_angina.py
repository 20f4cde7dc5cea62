"""Angina pektoris — KMK BAB II.B.3.b and BAB III.B.3.b.4."""

from __future__ import annotations

from ..checks import Subject, between, bp_below, fact, is_false, is_true
from ..clauses import BackReferralCriteria, ReReferralCriteria
from ..logic import Finding, all_of, implies
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

BACK_REFERRAL = BackReferralCriteria("HEART_ANGINA")
RE_REFERRAL = ReReferralCriteria("HEART_ANGINA")

REVASCULARIZATION_RULE = (
    "Bila `revascularization_indicated` = ya maka `revascularization_done` harus ya."
)
REVASCULARIZATION_NOTE = (
    '"Sesuai indikasi" dibaca: bila revaskularisasi terindikasi, harus sudah dilakukan; '
    "bila tidak terindikasi, terpenuhi."
)


def revascularized_if_indicated(subject: Subject) -> Finding:
    """II.B.3.b.1 and II.B.3.c.1: PCI/CABG "sesuai indikasi"."""
    return implies(
        is_true(subject, "revascularization_indicated"),
        is_true(subject, "revascularization_done"),
    )


def bp_below_140_90(subject: Subject) -> Finding:
    return bp_below(subject, 140, 90)


BACK_REFERRAL.clause(
    "II.B.3.b.1",
    text=(
        "Dilakukan revaskularisasi (Percutaneous Coronary Intervention (PCI)/Coronary Artery "
        "Bypass Grafting (CABG)) sesuai indikasi;"
    ),
    rule=REVASCULARIZATION_RULE,
    reads=("revascularization_indicated", "revascularization_done"),
    note=REVASCULARIZATION_NOTE,
)(revascularized_if_indicated)


@BACK_REFERRAL.clause(
    "II.B.3.b.2",
    text="Tidak ada sesak nafas atau keluhan nyeri dada saat beraktivitas;",
    rule="`exertional_symptoms` = tidak.",
    reads=("exertional_symptoms",),
)
def no_exertional_symptoms(subject: Subject) -> Finding:
    return is_false(subject, "exertional_symptoms")


@BACK_REFERRAL.clause(
    "II.B.3.b.3",
    text=(
        "Sudah mendapat single atau dual antiplatelet pada pasien pasca PCI, beta bloker dosis "
        "optimal dan obat golongan statin intensitas tinggi; dan"
    ),
    rule=(
        "(bila `post_pci` = ya maka `antiplatelet_count` 1–2) dan `beta_blocker_optimal` = ya "
        "dan `high_intensity_statin` = ya."
    ),
    reads=("post_pci", "antiplatelet_count", "beta_blocker_optimal", "high_intensity_statin"),
    note="Syarat antiplatelet tunggal/ganda hanya berlaku untuk pasien pasca PCI.",
)
def secondary_prevention_drugs(subject: Subject) -> Finding:
    return all_of(
        implies(is_true(subject, "post_pci"), between(fact(subject, "antiplatelet_count"), 1, 2)),
        is_true(subject, "beta_blocker_optimal"),
        is_true(subject, "high_intensity_statin"),
    )


BACK_REFERRAL.clause(
    "II.B.3.b.4",
    text="Tekanan darah terkontrol (sistolik <140 mmHg, diastolik <90 mmHg).",
    rule="`sbp` < 140 dan `dbp` < 90.",
    reads=("sbp", "dbp"),
)(bp_below_140_90)


# --- Kriteria Rujuk Ulang (BAB III.B.3.b.4) -------------------------------------

RE_REFERRAL.clause(
    "III.B.3.b.4.a",
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
    "III.B.3.b.4.b",
    text="Jika terdapat keluhan sesak nafas atau keluhan nyeri dada saat beraktivitas;",
    rule="Terpicu bila `exertional_symptoms` = ya pada kunjungan mana pun.",
    reads=("exertional_symptoms",),
    window=any_visit,
)
def exertional_symptoms(visit: Subject) -> Finding:
    return is_true(visit, "exertional_symptoms")


RE_REFERRAL.clause(
    "III.B.3.b.4.c",
    text=(
        "Jika dalam 3 bulan tekanan darah menjadi tidak terkontrol (sistolik >140 mmHg, "
        "diastolik >90 mmHg); dan/atau"
    ),
    rule=UNCONTROLLED_BP_RULE,
    reads=("sbp", "dbp"),
    window=latest_with("sbp", "dbp"),
    note=UNCONTROLLED_BP_NOTE,
)(bp_uncontrolled)

RE_REFERRAL.clause(
    "III.B.3.b.4.d",
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
