"""The fact vocabulary of the contract: name, type, unit, range, label.

One spec per fact name. Which facts a program accepts is derived from the
facts its clause declarations read (see ``programs/``), so the form, the
validator and the rules cannot disagree.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from . import instruments
from .formatting import unit_suffix

FactType = Literal["bool", "int", "float", "str", "list", "object"]


@dataclass(frozen=True, slots=True)
class FactSpec:
    """How one fact is entered and checked.

    ``label`` is the Indonesian form label; ``short`` names the value in
    reasons ("HbA1c 7,4% ≥ 7%") and defaults to the label. For lists and objects ``item_min`` /
    ``item_max`` bound each element, ``length`` fixes a list's size and
    ``choices`` lists the accepted strings (drugs, SLEDAI descriptors,
    PANSS keys).
    """

    name: str
    type: FactType
    label: str
    short: str = ""
    unit: str = ""
    min: float | None = None
    max: float | None = None
    choices: tuple[str, ...] = ()
    item_min: int | None = None
    item_max: int | None = None
    length: int | None = None
    formatter: Callable[[float], str] | None = field(default=None, compare=False)
    unit_suffix: str = field(init=False, repr=False, compare=False)  # " mg/dL", "%"

    def __post_init__(self) -> None:
        # Precomputed: reasons are built thousands of times per second.
        object.__setattr__(self, "unit_suffix", unit_suffix(self.unit))
        if not self.short:
            object.__setattr__(self, "short", self.label)

    def as_dict(self) -> dict[str, Any]:
        """JSON-friendly view for forms and API schemas."""
        return {
            "name": self.name,
            "type": self.type,
            "unit": self.unit,
            "min": self.min,
            "max": self.max,
            "label": self.label,
            "choices": list(self.choices),
            "item_min": self.item_min,
            "item_max": self.item_max,
            "length": self.length,
        }


def _number(name: str, label: str, unit: str, low: float, high: float, short: str = "") -> FactSpec:
    return FactSpec(name, "float", label, short, unit, low, high)


def _integer(
    name: str,
    label: str,
    low: int,
    high: int,
    short: str = "",
    unit: str = "",
    formatter: Callable[[float], str] | None = None,
) -> FactSpec:
    return FactSpec(name, "int", label, short, unit, low, high, formatter=formatter)


def _count(name: str, label: str, short: str = "") -> FactSpec:
    # Contract: counts (*_count, exacerbations_*) 0–50.
    return FactSpec(name, "int", label, short, "", 0, 50)


def _months(name: str, label: str, short: str = "") -> FactSpec:
    # Contract: months (*_months*, months_since_stroke) 0–600, may be fractional.
    return FactSpec(name, "float", label, short, "bulan", 0, 600)


def _flag(name: str, label: str) -> FactSpec:
    return FactSpec(name, "bool", label)


_SPECS: tuple[FactSpec, ...] = (
    # Laboratory and vital signs (ranges from the contract's table).
    _number("hba1c_percent", "HbA1c", "%", 3, 20),
    _number("fpg_mg_dl", "Gula darah puasa (GDP)", "mg/dL", 20, 1000, "GDP"),
    _number("ppg2h_mg_dl", "Gula darah 2 jam postprandial", "mg/dL", 20, 1000, "GD 2 jam PP"),
    _number("ldl_mg_dl", "Kolesterol LDL", "mg/dL", 10, 500, "LDL"),
    _number("uric_acid_mg_dl", "Asam urat", "mg/dL", 0.5, 20),
    _number("creatinine_mg_dl", "Kreatinin serum", "mg/dL", 0.1, 20, "Kreatinin"),
    _number("egfr", "eGFR", "mL/menit/1,73 m²", 0, 200),
    _number("sbp", "Tekanan darah sistolik", "mmHg", 50, 300, "TD sistolik"),
    _number("dbp", "Tekanan darah diastolik", "mmHg", 20, 200, "TD diastolik"),
    _number("resting_hr", "Nadi istirahat", "x/menit", 20, 250),
    _number("lvef_percent", "Fraksi ejeksi ventrikel kiri (EF)", "%", 5, 90, "EF"),
    _number("fev1_percent_predicted", "FEV1", "% prediksi", 5, 150),
    _number("pef_percent_predicted", "Arus puncak ekspirasi (APE)", "% prediksi", 5, 150, "APE"),
    _number("ics_mcg_per_day", "Dosis kortikosteroid inhalasi", "mcg/hari", 0, 5000, "Dosis KSI"),
    _number(
        "basal_insulin_units_per_day",
        "Dosis insulin basal (0 = tidak memakai)",
        "unit/hari",
        0,
        300,
        "Insulin basal",
    ),
    _number(
        "corticosteroid_mg_per_day",
        "Dosis kortikosteroid oral",
        "mg/hari",
        0,
        1000,
        "Dosis kortikosteroid",
    ),
    # Scales (JSON integers).
    _integer(
        "act_score",
        "Skor Asthma Control Test (ACT)",
        instruments.ACT_SCORE_MIN,
        instruments.ACT_SCORE_MAX,
        "Skor ACT",
    ),
    _integer(
        "cat_score",
        "Skor COPD Assessment Test (CAT)",
        instruments.CAT_SCORE_MIN,
        instruments.CAT_SCORE_MAX,
        "Skor CAT",
    ),
    _integer("mmrc", "Skala sesak mMRC", 0, 4, "mMRC"),
    _integer("nyha_class", "Kelas fungsional NYHA", 1, 4, "Kelas NYHA"),
    _integer(
        "nyha_class_max_3m", "Kelas NYHA terberat selama 3 bulan", 1, 4, "NYHA terberat 3 bulan"
    ),
    _integer(
        "ccs_class_max_3m",
        "Kelas angina CCS terberat selama 3 bulan (0 = tanpa angina)",
        0,
        4,
        "CCS terberat 3 bulan",
    ),
    _integer("sledai_2k", "Skor SLEDAI-2K", 0, instruments.SLEDAI_2K_MAX, "SLEDAI-2K"),
    _integer(
        "urine_protein_plus",
        "Protein urin (0 = negatif, 1–4 = +1 s.d. +4)",
        0,
        4,
        "Protein urin",
        formatter=instruments.format_urine_protein,
    ),
    # Counts.
    _count("oral_antidiabetic_count", "Jumlah obat antidiabetes oral", "Obat antidiabetes oral"),
    _count("antihypertensive_count", "Jumlah obat antihipertensi", "Obat antihipertensi"),
    _count("antiplatelet_count", "Jumlah antiplatelet", "Antiplatelet"),
    _count(
        "exacerbations_hospitalized_12m",
        "Eksaserbasi dengan rawat inap dalam 12 bulan",
        "Eksaserbasi rawat inap 12 bulan",
    ),
    _count(
        "exacerbations_not_hospitalized_12m",
        "Eksaserbasi tanpa rawat inap dalam 12 bulan",
        "Eksaserbasi tanpa rawat inap 12 bulan",
    ),
    # Durations in months.
    _months("bp_controlled_months", "Lama tekanan darah terkontrol", "TD terkontrol"),
    _months(
        "fluid_volume_stable_months",
        "Lama volume cairan tubuh tidak bertambah",
        "Volume cairan stabil",
    ),
    _months("seizure_free_months", "Lama bebas bangkitan", "Bebas bangkitan"),
    _months(
        "maintenance_months_without_relapse",
        "Lama fase rumatan antipsikotik tanpa kekambuhan",
        "Rumatan tanpa kekambuhan",
    ),
    _months("months_since_stroke", "Waktu sejak serangan stroke", "Sejak stroke"),
    _months("remission_months", "Lama remisi", "Remisi"),
    # Drugs (exact lowercase names; any other string evaluates as unknown).
    FactSpec(
        "ics_drug",
        "str",
        "Kortikosteroid inhalasi",
        choices=(instruments.NO_ICS, *instruments.ICS_MEDIUM_DOSE_ABOVE_MCG),
    ),
    FactSpec(
        "corticosteroid_drug",
        "str",
        "Kortikosteroid oral",
        choices=(instruments.NO_CORTICOSTEROID, *instruments.PREDNISONE_5MG_EQUIVALENT),
    ),
    # Instrument items that may stand in for their score.
    FactSpec(
        "act_items",
        "list",
        "Butir ACT (5 butir, masing-masing 1–5)",
        item_min=instruments.ACT_ITEM_MIN,
        item_max=instruments.ACT_ITEM_MAX,
        length=instruments.ACT_ITEM_COUNT,
    ),
    FactSpec(
        "cat_items",
        "list",
        "Butir CAT (8 butir, masing-masing 0–5)",
        item_min=instruments.CAT_ITEM_MIN,
        item_max=instruments.CAT_ITEM_MAX,
        length=instruments.CAT_ITEM_COUNT,
    ),
    FactSpec(
        "sledai_items",
        "list",
        "Deskriptor SLEDAI-2K yang ada",
        choices=tuple(instruments.SLEDAI_2K_WEIGHTS),
    ),
    FactSpec(
        "panss",
        "object",
        "PANSS-remisi (P1, P2, P3, N1, N4, N6, G5, G9; masing-masing 1–7)",
        "PANSS",
        choices=tuple(instruments.PANSS_REMISSION_ITEMS),
        item_min=instruments.PANSS_ITEM_MIN,
        item_max=instruments.PANSS_ITEM_MAX,
    ),
    # Yes/no facts, in the order the KMK mentions them.
    _flag("non_basal_insulin", "Memakai insulin selain insulin basal"),
    _flag("neuropathy", "Komplikasi neuropati"),
    _flag("neuropathy_treated_neurotropic", "Neuropati sudah diobati dengan neurotropik"),
    _flag("ecg_normal", "Gambaran EKG normal"),
    _flag("very_high_cv_risk", "Risiko kardiovaskular sangat tinggi"),
    _flag("hmod_examined", "Pemeriksaan kerusakan target organ sudah dilakukan"),
    _flag("heart_failure", "Payah jantung"),
    _flag("ckd_stage_3_5", "Penyakit ginjal kronik stadium III–V"),
    _flag("coronary_heart_disease", "Penyakit jantung koroner"),
    _flag("stroke", "Stroke"),
    _flag("peripheral_vascular_disease", "Penyakit vaskular perifer"),
    _flag("arrhythmia", "Aritmia"),
    _flag("atrial_fibrillation", "Atrial fibrilasi"),
    _flag("secondary_hypertension", "Hipertensi sekunder"),
    _flag("pulmonary_hypertension", "Hipertensi pulmonal"),
    _flag("pregnancy_hypertension", "Hipertensi pada kehamilan"),
    _flag("heart_failure_signs_3m", "Tanda gagal jantung (sesak napas/nyeri dada) dalam 3 bulan"),
    _flag(
        "activity_limitation_3m",
        "Keterbatasan aktivitas (sesak napas/nyeri dada) dalam 3 bulan",
    ),
    _flag("revascularization_indicated", "Revaskularisasi (PCI/CABG) terindikasi"),
    _flag("revascularization_done", "Revaskularisasi sudah dilakukan"),
    _flag("exertional_symptoms", "Sesak napas atau nyeri dada saat beraktivitas"),
    _flag("post_pci", "Pasca PCI"),
    _flag("beta_blocker_optimal", "Beta bloker dosis optimal"),
    _flag("high_intensity_statin", "Statin intensitas tinggi"),
    _flag("hypertension", "Hipertensi"),
    _flag("acei_or_arb", "Mendapat ACE-inhibitor atau ARB"),
    _flag("urine_output_adequate", "Produksi urin tercapai sesuai klinis"),
    _flag("acute_cause_resolved", "Penyebab gagal jantung akut teridentifikasi dan teratasi"),
    _flag("gdmt_euvolemic", "Terapi gagal jantung sesuai pedoman dan euvolemia"),
    _flag("on_warfarin", "Dalam terapi warfarin"),
    _flag("cardiac_device", "Memakai ICD, CRT-D, LVAD atau alat pendukung sirkulasi mekanik"),
    _flag("daytime_symptoms_gt_2_per_week", "Gejala harian asma lebih dari 2x seminggu"),
    _flag("night_waking", "Terbangun malam hari akibat sesak"),
    _flag("reliever_gt_2_per_week", "Memerlukan obat pelega lebih dari 2x seminggu"),
    _flag("activity_limitation", "Keterbatasan aktivitas fisik karena asma"),
    _flag("systemic_corticosteroid", "Memakai kortikosteroid sistemik"),
    _flag("icu_or_intubation_12m", "Intubasi/perawatan ICU karena asma dalam 12 bulan"),
    _flag("severe_exacerbation_12m", "Eksaserbasi berat dalam 12 bulan"),
    _flag("followed_up_1_month", "Sudah di-follow up dalam 1 bulan"),
    _flag("understands_regimen_and_inhaler", "Mengerti rejimen pengobatan dan teknik inhaler"),
    _flag("adl_capable", "Mampu beraktivitas fisik untuk kebutuhan sehari-hari"),
    _flag("asm_maintenance_dose_reached", "Dosis rumatan OAB yang efektif tercapai"),
    _flag("asm_side_effects", "Efek samping OAB"),
    _flag("pregnant", "Hamil"),
    _flag("breastfeeding", "Menyusui"),
    _flag("first_episode", "Episode pertama"),
    _flag("substance_dependence", "Ketergantungan zat"),
    _flag("personality_disorder", "Gangguan kepribadian"),
    _flag("uncontrolled_medical_condition", "Kondisi medis umum tidak terkontrol"),
    _flag("forensic_case", "Kasus forensik"),
    _flag("severe_side_effects", "Efek samping obat berat"),
    _flag("cognitive_deficit", "Defisit kognitif"),
    _flag("risk_factors_explored", "Eksplorasi faktor risiko stroke sudah dilakukan"),
    _flag("diabetes", "Riwayat diabetes melitus"),
    _flag("ecg_abnormal", "EKG abnormal"),
    _flag("ecg_abnormal_managed", "Kelainan EKG sudah ditata laksana"),
    _flag("vascular_imaging_abnormal", "Vascular imaging abnormal"),
    _flag("vascular_imaging_abnormal_managed", "Kelainan vascular imaging sudah ditata laksana"),
    _flag("blood_cell_disorder", "Kelainan sel darah"),
    _flag("avm", "Arteriovenous malformation (AVM)"),
    _flag("neuro_deficit_needs_rehab", "Defisit neurologis yang membutuhkan rehabilitasi medis"),
    _flag("recurrent_stroke", "Stroke serangan kedua atau seterusnya"),
    _flag(
        "other_immunosuppressants",
        "Memakai obat selain kortikosteroid dosis rendah dan/atau hidroksiklorokuin",
    ),
    # Re-referral facts (BAB III.B.x.d), recorded per visit.
    _flag("medical_need", "Dirujuk ulang sesuai kebutuhan medis"),
    _flag("deterioration", "Perburukan"),
    _flag("medicines_unavailable", "Obat tidak dapat disediakan lengkap di FKTP"),
    _flag("neuropathy_worsening", "Keluhan komplikasi neuropati memberat"),
    _flag("ecg_changed", "Perubahan EKG"),
    _flag("target_organ_damage_signs", "Tanda kerusakan target organ"),
    _flag("chest_pain_worsening", "Perburukan keluhan nyeri dada"),
    _flag("progressive_dyspnea", "Sesak napas progresif"),
    _flag(
        "fluid_overload_refractory",
        "Tanda penumpukan cairan yang tidak membaik dengan furosemid oral atau restriksi cairan",
    ),
    _flag("comorbidity_limits_therapy", "Komorbid membuat terapi tidak optimal"),
    _flag("delivery", "Persalinan"),
    _flag("new_comorbidity", "Komorbid baru"),
    _flag("asm_change_planned", "Rencana penurunan, penghentian, penambahan atau penggantian OAB"),
    _flag("seizure_occurred", "Bangkitan muncul kembali atau bangkitan baru"),
    _flag("new_neuro_deficit", "Pemberatan defisit neurologis atau defisit neurologis baru"),
    _flag("new_risk_factor", "Faktor risiko baru"),
    _flag("complication", "Komplikasi"),
    _flag("flare_suspected", "Dicurigai perburukan aktivitas penyakit"),
)

FACT_SPECS: dict[str, FactSpec] = {spec.name: spec for spec in _SPECS}

# Contract: "For sex M every pregnancy fact counts as false, and one given as
# true is an error."
PREGNANCY_FACTS: frozenset[str] = frozenset(
    {"pregnant", "breastfeeding", "delivery", "pregnancy_hypertension"}
)

# Contract: a score and its items are two ways to give the same fact.
SCORE_ITEMS: dict[str, str] = {
    "act_score": "act_items",
    "cat_score": "cat_items",
    "sledai_2k": "sledai_items",
}

# Contract: re-referral visits and baseline also accept these for every program.
COMMON_RE_REFERRAL_FACTS: tuple[str, ...] = (
    "medical_need",
    "deterioration",
    "medicines_unavailable",
)
