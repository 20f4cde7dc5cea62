"""Stroke — KMK BAB II.B.8 (rujuk balik) and BAB III.B.7.d (rujuk ulang)."""

from __future__ import annotations

from collections.abc import Callable

from ..checks import (
    NOT_ENTERED,
    Subject,
    between,
    bp_below,
    compare,
    fact,
    is_false,
    is_true,
    none_of,
)
from ..clauses import BackReferralCriteria, ReReferralCriteria
from ..formatting import format_date
from ..logic import FALSE, TRUE, UNKNOWN, Finding, any_of, choose, implies, negate, unknown
from ..rereferral import (
    DETERIORATION_OR_UNAVAILABLE_RULE,
    MEDICAL_NEED_RULE,
    MEDICINES_UNAVAILABLE_NOTE,
    Window,
    WindowFinding,
    any_visit,
    deterioration_or_medicines_unavailable,
    medical_need,
    whole_window,
)

BACK_REFERRAL = BackReferralCriteria("STROKE")
RE_REFERRAL = ReReferralCriteria("STROKE")


# --- Risk-factor targets, II.B.8.a.1–a.4 (also judged by III.B.7.d.3) ------------


def bp_target(subject: Subject, diabetes: Finding) -> Finding:
    """a.1: < 130/80 mmHg with a history of DM, < 140/90 mmHg without."""
    return choose(
        diabetes,
        bp_below(subject, 130, 80),
        bp_below(subject, 140, 90),
        labels=("bila DM", "bila tanpa DM"),
    )


def fpg_target(subject: Subject) -> Finding:
    """a.2: fasting glucose 80–130 mg/dL."""
    return between(fact(subject, "fpg_mg_dl"), 80, 130)


def ldl_target(subject: Subject, coronary_heart_disease: Finding) -> Finding:
    """a.3: LDL < 100 mg/dL with coronary heart disease, < 130 mg/dL without."""
    ldl = fact(subject, "ldl_mg_dl")
    return choose(
        coronary_heart_disease,
        compare(ldl, "<", 100),
        compare(ldl, "<", 130),
        labels=("bila PJK", "bila tanpa PJK"),
    )


def is_female(subject: Subject) -> Finding:
    if subject.sex is None:
        return unknown(f"Jenis kelamin {NOT_ENTERED}", ("patient.sex",))
    if subject.sex == "F":
        return Finding(TRUE, "Perempuan")
    return Finding(FALSE, "Laki-laki")


def uric_acid_target(subject: Subject) -> Finding:
    """a.4: uric acid < 6 mg/dL for women, < 7 mg/dL for men."""
    uric_acid = fact(subject, "uric_acid_mg_dl")
    return choose(
        is_female(subject),
        compare(uric_acid, "<", 6),
        compare(uric_acid, "<", 7),
        labels=("bila perempuan", "bila laki-laki"),
    )


@BACK_REFERRAL.clause(
    "II.B.8.a",
    text=(
        "Telah dilakukan eksplorasi faktor risiko stroke dan semua faktor risiko telah terkontrol:"
    ),
    rule="`risk_factors_explored` = ya; kontrol tiap faktor risiko dinilai pada a.1–a.7.",
    reads=("risk_factors_explored",),
    note='Butir a hanya menilai eksplorasi; "semua faktor risiko terkontrol" dinilai a.1–a.7.',
)
def risk_factors_explored(subject: Subject) -> Finding:
    return is_true(subject, "risk_factors_explored")


@BACK_REFERRAL.clause(
    "II.B.8.a.1",
    text=(
        "Tekanan darah <130/80 mmHg (bagi yang memiliki riwayat DM), dan <140/90 mmHg (bagi "
        "yang tidak memiliki DM);"
    ),
    rule=(
        "Bila `diabetes` = ya: `sbp` < 130 dan `dbp` < 80; selain itu `sbp` < 140 dan `dbp` < 90."
    ),
    reads=("diabetes", "sbp", "dbp"),
    note=(
        "Bila riwayat DM belum diisi: terpenuhi bila kedua ambang terpenuhi, tidak terpenuhi "
        "bila keduanya tidak terpenuhi, selain itu tidak dapat dinilai."
    ),
)
def bp_on_target(subject: Subject) -> Finding:
    return bp_target(subject, is_true(subject, "diabetes"))


BACK_REFERRAL.clause(
    "II.B.8.a.2",
    text="Gula darah puasa antara 80 – 130 mg/dL;",
    rule="80 ≤ `fpg_mg_dl` ≤ 130.",
    reads=("fpg_mg_dl",),
)(fpg_target)


@BACK_REFERRAL.clause(
    "II.B.8.a.3",
    text=(
        "Kadar kolesterol LDL kurang dari 100 mg/dL (bagi yang memiliki riwayat penyakit Jantung "
        "koroner), dan kurang dari 130 mg/dL (bagi yang tidak memiliki riwayat penyakit jantung "
        "koroner);"
    ),
    rule="`ldl_mg_dl` < 100 bila `coronary_heart_disease` = ya, selain itu < 130.",
    reads=("ldl_mg_dl", "coronary_heart_disease"),
)
def ldl_on_target(subject: Subject) -> Finding:
    return ldl_target(subject, is_true(subject, "coronary_heart_disease"))


BACK_REFERRAL.clause(
    "II.B.8.a.4",
    text="Kadar asam urat <6 mg/dL (perempuan) dan <7 mg/dL (laki-laki);",
    rule="`uric_acid_mg_dl` < 6 untuk perempuan, < 7 untuk laki-laki (`patient.sex`).",
    reads=("uric_acid_mg_dl", "patient.sex"),
)(uric_acid_target)


@BACK_REFERRAL.clause(
    "II.B.8.a.5",
    text=(
        "Elektrokardiogram (EKG): hasil abnormal yang ditemukan telah ditata laksana sesuai "
        "kondisi medis;"
    ),
    rule="`ecg_abnormal` = tidak, atau `ecg_abnormal_managed` = ya.",
    reads=("ecg_abnormal", "ecg_abnormal_managed"),
)
def ecg_abnormality_managed(subject: Subject) -> Finding:
    return any_of(is_false(subject, "ecg_abnormal"), is_true(subject, "ecg_abnormal_managed"))


@BACK_REFERRAL.clause(
    "II.B.8.a.6",
    text=(
        "Vascular imaging: dilakukan sesuai indikasi medis, hasil abnormal yang ditemukan telah "
        "ditata laksana sesuai kondisi medis; dan"
    ),
    rule="`vascular_imaging_abnormal` = tidak, atau `vascular_imaging_abnormal_managed` = ya.",
    reads=("vascular_imaging_abnormal", "vascular_imaging_abnormal_managed"),
)
def vascular_abnormality_managed(subject: Subject) -> Finding:
    return any_of(
        is_false(subject, "vascular_imaging_abnormal"),
        is_true(subject, "vascular_imaging_abnormal_managed"),
    )


@BACK_REFERRAL.clause(
    "II.B.8.a.7",
    text=(
        "Tidak ada faktor risiko lain selain yang disebut di atas seperti kelainan sel darah, "
        "arteriovenous malformation (AVM), atrial fibrilasi."
    ),
    rule="Tidak ada: `blood_cell_disorder`, `avm`, `atrial_fibrillation`.",
    reads=("blood_cell_disorder", "avm", "atrial_fibrillation"),
)
def no_other_risk_factor(subject: Subject) -> Finding:
    return none_of(subject, "blood_cell_disorder", "avm", "atrial_fibrillation")


@BACK_REFERRAL.clause(
    "II.B.8.b",
    text=(
        "Telah melewati fase akut 6 bulan pada pasien dengan defisit neurologis yang "
        "membutuhkan pelayanan rehabilitasi medis; dan"
    ),
    rule="Bila `neuro_deficit_needs_rehab` = ya maka `months_since_stroke` ≥ 6.",
    reads=("neuro_deficit_needs_rehab", "months_since_stroke"),
)
def past_acute_phase_if_rehab(subject: Subject) -> Finding:
    return implies(
        is_true(subject, "neuro_deficit_needs_rehab"),
        compare(fact(subject, "months_since_stroke"), ">=", 6),
    )


@BACK_REFERRAL.clause(
    "II.B.8.c",
    text="Bukan stroke serangan kedua dan seterusnya (serangan ulang).",
    rule="`recurrent_stroke` = tidak.",
    reads=("recurrent_stroke",),
)
def not_recurrent(subject: Subject) -> Finding:
    return is_false(subject, "recurrent_stroke")


# --- Kriteria Rujuk Ulang (BAB III.B.7.d) --------------------------------------

RE_REFERRAL.clause(
    "III.B.7.d.1",
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
    "III.B.7.d.2",
    text=(
        "Jika terdapat gejala yang mengarah pada serangan stroke berulang (pemberatan defisit "
        "neurologis atau ada defisit neurologis baru);"
    ),
    rule="Terpicu bila `new_neuro_deficit` = ya pada kunjungan mana pun.",
    reads=("new_neuro_deficit",),
    window=any_visit,
)
def new_neurological_deficit(visit: Subject) -> Finding:
    return is_true(visit, "new_neuro_deficit")


def _from_visit_or_baseline(visit: Subject, name: str) -> Finding:
    """A history flag from the visit, else from the baseline (contract, stroke d.3)."""
    if visit.get(name) is not None or visit.baseline is None:
        return is_true(visit, name)
    if visit.baseline.get(name) is not None:
        finding = is_true(visit.baseline, name)
        return Finding(finding.truth, f"{finding.reason} (baseline)")
    return unknown(is_true(visit, name).reason, (visit.path(name), visit.baseline.path(name)))


def _bp_target_with_history(visit: Subject) -> Finding:
    return bp_target(visit, _from_visit_or_baseline(visit, "diabetes"))


def _ldl_target_with_history(visit: Subject) -> Finding:
    return ldl_target(visit, _from_visit_or_baseline(visit, "coronary_heart_disease"))


# (label, facts that make a reading, target) for II.B.8.a.1–a.4.
_TARGETS: tuple[tuple[str, tuple[str, ...], Callable[[Subject], Finding]], ...] = (
    ("Target TD", ("sbp", "dbp"), _bp_target_with_history),
    ("Target GDP", ("fpg_mg_dl",), fpg_target),
    ("Target LDL", ("ldl_mg_dl",), _ldl_target_with_history),
    ("Target asam urat", ("uric_acid_mg_dl",), uric_acid_target),
)


def _target_missed_on_latest_reading(
    window: Window, label: str, names: tuple[str, ...], target: Callable[[Subject], Finding]
) -> WindowFinding:
    visit = window.latest_carrying(*names)
    if visit is None:
        latest = window.visits[-1]
        return WindowFinding(
            UNKNOWN,
            f"{label}: tidak ada pembacaan dalam jendela",
            tuple(latest.path(name) for name in names),
        )
    finding = target(visit)
    missed = negate(finding)
    return WindowFinding(
        missed.truth,
        f"{label} ({format_date(visit.on)}): {finding.reason}",
        missed.missing,
        visit.on if missed.truth is TRUE else None,
    )


def _new_risk_factor(visit: Subject) -> Finding:
    return is_true(visit, "new_risk_factor")


def _complication(visit: Subject) -> Finding:
    return is_true(visit, "complication")


@RE_REFERRAL.clause(
    "III.B.7.d.3",
    text=(
        "Jika terdapat faktor risiko baru atau faktor risiko menjadi tidak terkontrol atau "
        "komplikasi; dan/atau"
    ),
    rule=(
        "Terpicu bila pembacaan terakhir dalam jendela gagal salah satu target II.B.8.a.1–a.4 "
        "(TD: `sbp` dan `dbp` dalam satu kunjungan; `fpg_mg_dl`; `ldl_mg_dl`; "
        "`uric_acid_mg_dl`), dengan `diabetes` dan `coronary_heart_disease` dari kunjungan itu "
        "atau dari baseline; atau `new_risk_factor` atau `complication` = ya pada kunjungan mana "
        "pun."
    ),
    reads=(
        "sbp",
        "dbp",
        "diabetes",
        "baseline.diabetes",
        "fpg_mg_dl",
        "ldl_mg_dl",
        "coronary_heart_disease",
        "baseline.coronary_heart_disease",
        "uric_acid_mg_dl",
        "patient.sex",
        "new_risk_factor",
        "complication",
    ),
    window=whole_window,
    note=(
        "Tiap target a.1–a.4 dinilai pada kunjungan terakhir dalam jendela yang mencatatnya; "
        "riwayat DM dan PJK diambil dari kunjungan itu, bila kosong dari baseline."
    ),
)
def risk_factor_uncontrolled_new_or_complication(window: Window) -> WindowFinding:
    if not window.visits:
        return window.no_visits()
    parts = [
        *(
            _target_missed_on_latest_reading(window, label, names, target)
            for label, names, target in _TARGETS
        ),
        any_visit(_new_risk_factor)(window),
        any_visit(_complication)(window),
    ]
    triggered = [part for part in parts if part.truth is TRUE]
    if triggered:
        return WindowFinding(
            TRUE,
            "; ".join(part.reason for part in triggered),
            (),
            max(part.visit_date for part in triggered if part.visit_date is not None),
        )
    reason = "; ".join(part.reason for part in parts)
    if any(part.truth is UNKNOWN for part in parts):
        missing = dict.fromkeys(
            path for part in parts if part.truth is UNKNOWN for path in part.missing
        )
        return WindowFinding(UNKNOWN, reason, tuple(missing))
    return WindowFinding(FALSE, reason)


RE_REFERRAL.clause(
    "III.B.7.d.4",
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
