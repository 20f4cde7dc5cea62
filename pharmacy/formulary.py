"""The usual PRB medicines of the nine programmes (Fornas, daftar obat PRB).

Maxima per month are those DOMAIN.md gives for the diabetes part of the Fornas PRB list;
other medicines carry no maximum until the district enters it. BPJS and KFA codes are
left blank rather than guessed; prices are indicative e-catalogue unit prices (Rp) that
each district corrects. ``load_prb_formulary`` and migration 0003 use this list; both
only add missing medicines and never overwrite what a district has edited.
"""

from typing import Any

from patients.programs import HEART_PROGRAMS, Program

DM, HT = Program.DM, Program.HT
HEART = list(HEART_PROGRAMS)
ASTHMA, COPD, EPILEPSY, SCHIZ, STROKE, SLE = (
    Program.ASTHMA,
    Program.COPD,
    Program.EPILEPSY,
    Program.SCHIZOPHRENIA,
    Program.STROKE,
    Program.SLE,
)


def _m(
    name: str,
    strength: str,
    form: str,
    programs: list[Program],
    price: str,
    *,
    unit: str = "tablet",
    maximum: int | None = None,
    ven: str = "E",
    rule_group: str = "",
    tracer: bool = False,
) -> dict[str, Any]:
    return {
        "name": name,
        "strength": strength,
        "form": form,
        "unit": unit,
        "programs": [str(program) for program in programs],
        "price": price,
        "max_quantity_per_month": maximum,
        "ven": ven,
        "rule_group": rule_group,
        "is_tracer": tracer,
    }


PRB_FORMULARY: list[dict[str, Any]] = [
    # Diabetes mellitus: Fornas maxima per month (DOMAIN.md "Codes").
    _m("Metformin", "500 mg", "tablet", [DM], "150", maximum=90, ven="V", tracer=True),
    _m("Metformin", "850 mg", "tablet", [DM], "250", maximum=60, ven="V"),
    _m("Glimepiride", "1 mg", "tablet", [DM], "180", maximum=60),
    _m("Glimepiride", "2 mg", "tablet", [DM], "250", maximum=60, tracer=True),
    _m("Glimepiride", "3 mg", "tablet", [DM], "320", maximum=60),
    _m("Glimepiride", "4 mg", "tablet", [DM], "400", maximum=30),
    _m("Glibenclamide", "5 mg", "tablet", [DM], "120", maximum=90),
    _m("Gliclazide", "80 mg", "tablet", [DM], "300", maximum=60),
    _m("Acarbose", "50 mg", "tablet", [DM], "900", maximum=90),
    _m("Acarbose", "100 mg", "tablet", [DM], "1500", maximum=90),
    # Human basal insulin, at most 20 IU a day at FKTP (KMK II.B.1.a): with 2 IU priming
    # per injection, 31 days need 682 IU, three 3 mL pens of 100 IU/mL
    # (pharmacy.rules.prescriptions.formulary_pen_maximum; a test keeps them equal).
    _m(
        "Insulin human isophane (NPH)",
        "100 IU/mL 3 mL",
        "pen injeksi",
        [DM],
        "85000",
        unit="pen",
        maximum=3,
        ven="V",
        rule_group="basal_insulin",
    ),
    # Hypertension and heart disease.
    _m("Amlodipine", "5 mg", "tablet", [HT, *HEART, STROKE], "100", ven="V", tracer=True),
    _m("Amlodipine", "10 mg", "tablet", [HT, *HEART, STROKE], "150", ven="V"),
    _m("Captopril", "12,5 mg", "tablet", [HT, Program.HEART_CHF], "80"),
    _m("Captopril", "25 mg", "tablet", [HT, Program.HEART_CHF], "100", tracer=True),
    _m("Lisinopril", "10 mg", "tablet", [HT, *HEART], "400"),
    _m("Ramipril", "5 mg", "tablet", [HT, *HEART], "600"),
    _m("Candesartan", "8 mg", "tablet", [HT, *HEART], "700"),
    _m("Candesartan", "16 mg", "tablet", [HT, *HEART], "1100"),
    _m("Valsartan", "80 mg", "tablet", [HT, *HEART], "1500"),
    _m("Bisoprolol", "2,5 mg", "tablet", [HT, *HEART], "500"),
    _m("Bisoprolol", "5 mg", "tablet", [HT, *HEART], "700", ven="V"),
    _m("Hydrochlorothiazide", "25 mg", "tablet", [HT], "100"),
    _m("Furosemide", "40 mg", "tablet", [HT, Program.HEART_CHF], "150", ven="V"),
    _m("Spironolactone", "25 mg", "tablet", [HT, Program.HEART_CHF], "600"),
    _m("Isosorbide dinitrate", "5 mg", "tablet sublingual", HEART, "200", ven="V"),
    _m("Digoxin", "0,25 mg", "tablet", [Program.HEART_CHF], "300"),
    _m("Warfarin", "2 mg", "tablet", [Program.HEART_CHF, STROKE], "1200"),
    # Secondary prevention after coronary events and stroke.
    _m("Acetylsalicylic acid", "80 mg", "tablet", [*HEART, STROKE], "150", ven="V"),
    _m("Clopidogrel", "75 mg", "tablet", [*HEART, STROKE], "1200", ven="V"),
    _m("Simvastatin", "20 mg", "tablet", [*HEART, STROKE, DM], "250"),
    _m("Atorvastatin", "20 mg", "tablet", [*HEART, STROKE, DM], "900"),
    # Asthma and COPD.
    _m(
        "Salbutamol",
        "100 mcg/dosis",
        "inhaler",
        [ASTHMA, COPD],
        "35000",
        unit="inhaler",
        ven="V",
        tracer=True,
    ),
    _m("Salbutamol", "4 mg", "tablet", [ASTHMA, COPD], "100"),
    _m("Budesonide", "200 mcg/dosis", "inhaler", [ASTHMA], "120000", unit="inhaler"),
    _m(
        "Budesonide + formoterol",
        "160/4,5 mcg/dosis",
        "inhaler",
        [ASTHMA, COPD],
        "210000",
        unit="inhaler",
        ven="V",
    ),
    _m(
        "Salmeterol + fluticasone",
        "50/250 mcg/dosis",
        "inhaler",
        [ASTHMA, COPD],
        "190000",
        unit="inhaler",
    ),
    _m("Tiotropium", "18 mcg", "kapsul inhalasi", [COPD], "9000", unit="kapsul", ven="V"),
    _m("Theophylline", "300 mg", "tablet lepas lambat", [ASTHMA, COPD], "1000"),
    # Epilepsy: no change of an anti-seizure medicine without the DPJP (KMK III.B.6).
    _m(
        "Phenytoin",
        "100 mg",
        "kapsul",
        [EPILEPSY],
        "400",
        unit="kapsul",
        ven="V",
        rule_group="anti_seizure",
        tracer=True,
    ),
    _m("Carbamazepine", "200 mg", "tablet", [EPILEPSY], "500", ven="V", rule_group="anti_seizure"),
    _m("Valproic acid", "250 mg", "tablet", [EPILEPSY], "2500", ven="V", rule_group="anti_seizure"),
    _m("Phenobarbital", "30 mg", "tablet", [EPILEPSY], "150", ven="V", rule_group="anti_seizure"),
    _m("Levetiracetam", "500 mg", "tablet", [EPILEPSY], "4500", ven="V", rule_group="anti_seizure"),
    # Schizophrenia.
    _m("Risperidone", "2 mg", "tablet", [SCHIZ], "300", ven="V", tracer=True),
    _m("Haloperidol", "5 mg", "tablet", [SCHIZ], "250", ven="V"),
    _m("Chlorpromazine", "100 mg", "tablet", [SCHIZ], "250"),
    _m("Clozapine", "25 mg", "tablet", [SCHIZ], "1200"),
    _m("Olanzapine", "10 mg", "tablet", [SCHIZ], "3000"),
    _m("Trihexyphenidyl", "2 mg", "tablet", [SCHIZ], "100", ven="N"),
    # Systemic lupus erythematosus.
    _m("Methylprednisolone", "4 mg", "tablet", [SLE], "400", ven="V"),
    _m("Methylprednisolone", "8 mg", "tablet", [SLE], "700"),
    _m("Hydroxychloroquine", "200 mg", "tablet", [SLE], "3500", ven="V"),
    _m("Azathioprine", "50 mg", "tablet", [SLE], "3000"),
]


def load_formulary(medicine_model: Any) -> int:
    """Add the medicines that are missing; existing rows (a district's edits) stay as they are."""
    created = 0
    for entry in PRB_FORMULARY:
        key = {k: entry[k] for k in ("name", "strength", "form")}
        defaults = {k: v for k, v in entry.items() if k not in key}
        _, was_created = medicine_model.objects.get_or_create(**key, defaults=defaults)
        created += was_created
    return created
