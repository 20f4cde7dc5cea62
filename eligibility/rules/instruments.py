"""Clinical instruments and calendar arithmetic the criteria read.

Each function is pure and small enough to check against a published vector:
the tests pin the CKD-EPI 2021 examples and the boundaries the KMK names.
"""

from __future__ import annotations

import calendar
from datetime import date

from .formatting import format_number

# --- Asthma Control Test (KMK II.B.4.a: "Asthma Control Test ≥ 25") --------
ACT_ITEM_COUNT = 5
ACT_ITEM_MIN, ACT_ITEM_MAX = 1, 5
ACT_SCORE_MIN, ACT_SCORE_MAX = 5, 25
ACT_CONTROLLED_SCORE = 25  # II.B.4.a: only the maximum score counts as controlled
ACT_UNCONTROLLED_BELOW = 20  # re-referral III.B.4.d.2: ACT < 20 = not well controlled

# --- COPD Assessment Test (KMK II.B.5.a.1: "CAT kurang dari 10") -----------
CAT_ITEM_COUNT = 8
CAT_ITEM_MIN, CAT_ITEM_MAX = 0, 5
CAT_SCORE_MIN, CAT_SCORE_MAX = 0, 40

# --- modified Medical Research Council dyspnoea scale (II.B.5.a.1: 0-1) ----
MMRC_GRADES: dict[int, str] = {
    0: "Sesak hanya saat aktivitas berat",
    1: "Sesak saat berjalan cepat di jalan datar atau mendaki sedikit",
    2: "Berjalan lebih lambat dari orang seusia atau berhenti untuk bernapas",
    3: "Berhenti untuk bernapas setelah berjalan sekitar 100 m atau beberapa menit",
    4: "Terlalu sesak untuk keluar rumah atau sesak saat berpakaian",
}

# --- NYHA functional class (II.B.3.c.3, II.B.3.d.1: NYHA I-II) -------------
NYHA_CLASSES: dict[int, str] = {
    1: "I — tanpa keterbatasan aktivitas fisik",
    2: "II — keterbatasan ringan; sesak pada aktivitas biasa",
    3: "III — keterbatasan nyata; sesak pada aktivitas ringan",
    4: "IV — sesak saat istirahat",
}

# --- Canadian Cardiovascular Society angina class (II.B.3.c.2: max CCS 1) --
CCS_CLASSES: dict[int, str] = {
    0: "Tanpa angina",
    1: "I — angina hanya pada aktivitas berat atau lama",
    2: "II — keterbatasan ringan aktivitas biasa",
    3: "III — keterbatasan nyata aktivitas biasa",
    4: "IV — angina pada aktivitas apa pun atau saat istirahat",
}

# --- PANSS remission items (KMK II.B.7.a: P1,P2,P3,N1,N4,N6,G5,G9 ≤ 3) ------
PANSS_REMISSION_ITEMS: dict[str, str] = {
    "P1": "Waham",
    "P2": "Kekacauan proses pikir",
    "P3": "Halusinasi",
    "N1": "Afek tumpul",
    "N4": "Penarikan diri dari hubungan sosial secara pasif/apatis",
    "N6": "Kurangnya spontanitas dan arus percakapan",
    "G5": "Manerisme dan sikap tubuh",
    "G9": "Isi pikiran yang tidak biasa",
}
PANSS_ITEM_MIN, PANSS_ITEM_MAX = 1, 7
PANSS_REMISSION_MAX = 3

# --- SLEDAI-2K descriptors and weights (KMK II.B.9.a: SLEDAI-2K = 0) -------
SLEDAI_2K_WEIGHTS: dict[str, int] = {
    "seizure": 8,
    "psychosis": 8,
    "organic_brain_syndrome": 8,
    "visual_disturbance": 8,
    "cranial_nerve_disorder": 8,
    "lupus_headache": 8,
    "cva": 8,
    "vasculitis": 8,
    "arthritis": 4,
    "myositis": 4,
    "urinary_casts": 4,
    "hematuria": 4,
    "proteinuria": 4,
    "pyuria": 4,
    "rash": 2,
    "alopecia": 2,
    "mucosal_ulcers": 2,
    "pleurisy": 2,
    "pericarditis": 2,
    "low_complement": 2,
    "increased_dna_binding": 2,
    "fever": 1,
    "thrombocytopenia": 1,
    "leukopenia": 1,
}
SLEDAI_2K_LABELS: dict[str, str] = {
    "seizure": "kejang",
    "psychosis": "psikosis",
    "organic_brain_syndrome": "sindrom otak organik",
    "visual_disturbance": "gangguan penglihatan",
    "cranial_nerve_disorder": "gangguan saraf kranial",
    "lupus_headache": "nyeri kepala lupus",
    "cva": "gangguan serebrovaskular",
    "vasculitis": "vaskulitis",
    "arthritis": "artritis",
    "myositis": "miositis",
    "urinary_casts": "silinder urin",
    "hematuria": "hematuria",
    "proteinuria": "proteinuria",
    "pyuria": "piuria",
    "rash": "ruam",
    "alopecia": "alopesia",
    "mucosal_ulcers": "ulkus mukosa",
    "pleurisy": "pleuritis",
    "pericarditis": "perikarditis",
    "low_complement": "komplemen rendah",
    "increased_dna_binding": "peningkatan anti-dsDNA",
    "fever": "demam",
    "thrombocytopenia": "trombositopenia",
    "leukopenia": "leukopenia",
}
SLEDAI_2K_MAX = sum(SLEDAI_2K_WEIGHTS.values())  # 105


def sledai_2k_score(descriptors: list[str] | tuple[str, ...]) -> int:
    """SLEDAI-2K total from the descriptors present (each counted once)."""
    return sum(SLEDAI_2K_WEIGHTS[name] for name in descriptors)


# --- Corticosteroid equivalence (KMK II.B.9.b: "setara prednison ≤ 5 mg") --
# Dose of each drug equivalent to 5 mg prednisone (standard glucocorticoid
# equivalence table; the contract fixes this list).
PREDNISONE_5MG_EQUIVALENT: dict[str, float] = {
    "prednisone": 5,
    "prednisolone": 5,
    "methylprednisolone": 4,
    "triamcinolone": 4,
    "hydrocortisone": 20,
    "cortisone": 25,
    "deflazacort": 6,
    "dexamethasone": 0.75,
    "betamethasone": 0.75,
}
NO_CORTICOSTEROID = "none"
LOW_DOSE_PREDNISONE_MG = 5


def prednisone_equivalent_mg(drug: str, mg_per_day: float) -> float | None:
    """Daily dose expressed as prednisone mg; ``None`` for a drug not in the table."""
    if drug == NO_CORTICOSTEROID or mg_per_day == 0:
        return 0.0
    equivalent = PREDNISONE_5MG_EQUIVALENT.get(drug)
    if equivalent is None:
        return None
    return mg_per_day * LOW_DOSE_PREDNISONE_MG / equivalent


# --- Inhaled corticosteroid ceilings (KMK II.B.4.b.1, adults) ---------------
NO_ICS = "none"
ICS_MEDIUM_DOSE_ABOVE_MCG: dict[str, float] = {
    "budesonide": 800,
    "fluticasone_propionate": 500,
}
ICS_LABELS: dict[str, str] = {
    "budesonide": "budesonide",
    "fluticasone_propionate": "flutikason propionat",
}
# The ceilings are printed "untuk dewasa" (contract v2: adult = 18 completed years).
ICS_ADULT_AGE_YEARS = 18


# --- Urine protein (dipstick) ----------------------------------------------
def format_urine_protein(plus: float) -> str:
    """0 → "negatif", 2 → "+2"."""
    return "negatif" if plus == 0 else f"+{format_number(plus)}"


# --- Kidney function: CKD-EPI 2021 (race-free) ------------------------------
def ckd_epi_2021(creatinine_mg_dl: float, sex: str, age_years: int) -> float:
    """eGFR in mL/min/1.73 m² (Inker et al., NEJM 2021), unrounded.

    eGFR = 142 × min(Scr/κ, 1)^α × max(Scr/κ, 1)^−1.200 × 0.9938^age
           × 1.012 (female); κ = 0.7 F / 0.9 M; α = −0.241 F / −0.302 M.
    """
    female = sex == "F"
    kappa = 0.7 if female else 0.9
    alpha = -0.241 if female else -0.302
    ratio = creatinine_mg_dl / kappa
    egfr = 142 * min(ratio, 1.0) ** alpha * max(ratio, 1.0) ** -1.200 * 0.9938**age_years
    return egfr * 1.012 if female else egfr


# --- Calendar ----------------------------------------------------------------
def age_in_years(birth_date: date, on: date) -> int:
    """Completed years of age on ``on`` (a 29 February birthday counts on 1 March)."""
    before_birthday = (on.month, on.day) < (birth_date.month, birth_date.day)
    return on.year - birth_date.year - before_birthday


def months_before(day: date, months: int) -> date:
    """The same day ``months`` calendar months earlier, clamped to the month's end.

    31 May minus 3 months is 28 February (29 in a leap year).
    """
    month_index = day.year * 12 + (day.month - 1) - months
    year, month = divmod(month_index, 12)
    month += 1
    last_day = calendar.monthrange(year, month)[1]
    return date(year, month, min(day.day, last_day))
