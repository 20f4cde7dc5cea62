"""Care-plan content of KMK HK.01.07/MENKES/1645/2024 BAB III.B, per programme.

Pure data and date arithmetic, no Django: what each programme monitors and when
(III.B.x.a), what the facility must have (III.B.x.b, "Standar sumber daya") and
what the patient and family manage themselves (III.B.x.c). The texts are the
regulation's own words (Indonesian), shortened where a checklist needs it, so
they are kept as data rather than as translatable interface strings.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from lib.months import add_months_same_day

HEART = ("HEART_HHD", "HEART_ANGINA", "HEART_MI", "HEART_CHF")

# BAB III.B numbering of each programme (the contract's Programs table).
SECTION = {
    "DM": "III.B.1",
    "HT": "III.B.2",
    "HEART_HHD": "III.B.3.a",
    "HEART_ANGINA": "III.B.3.b",
    "HEART_MI": "III.B.3.c",
    "HEART_CHF": "III.B.3.d",
    "ASTHMA": "III.B.4",
    "COPD": "III.B.5",
    "EPILEPSY": "III.B.6",
    "STROKE": "III.B.7",
    "SCHIZOPHRENIA": "III.B.8",
    "SLE": "III.B.9",
}

# Every programme is controlled monthly (III.B.x.a.1); schizophrenia may be seen
# every two weeks for counselling or side-effect monitoring (III.B.8.a.1.b).
CONTROL_INTERVAL_DAYS = 30
SHORTEST_INTERVAL_DAYS = {"SCHIZOPHRENIA": 14}
PLAN_MONTHS = 12  # monitoring items are scheduled a year ahead; a new plan renews them


@dataclass(frozen=True)
class Monitoring:
    """One monitoring item: scheduled on the listed months after enrolment.

    ``facts`` are the engine fact names that, recorded at a control visit,
    complete the item due then (any one of them suffices).
    """

    code: str
    label: str
    clause: str
    months: tuple[int, ...]
    facts: tuple[str, ...] = ()


MONTHLY = tuple(range(1, PLAN_MONTHS + 1))
QUARTERLY = (3, 6, 9, 12)
_BP = ("sbp", "dbp")


def _bp(clause: str) -> Monitoring:
    return Monitoring("bp", "Tekanan darah dan keluhan", clause, MONTHLY, _BP)


MONITORING: dict[str, tuple[Monitoring, ...]] = {
    "DM": (
        Monitoring(
            "glucose",
            "GDP dan/atau GD 2 jam PP (1 kali/bulan)",
            "III.B.1.a.1.b",
            MONTHLY,
            ("fpg_mg_dl", "ppg2h_mg_dl"),
        ),
        # "Mempertahankan GDP/HbA1c" (III.B.1.a.1.a): HbA1c periodically, read as quarterly.
        Monitoring("hba1c", "HbA1c berkala", "III.B.1.a.1.a", QUARTERLY, ("hba1c_percent",)),
    ),
    "HT": (_bp("III.B.2.a.1"),),
    "HEART_HHD": (_bp("III.B.3.a.1.a"),),
    "HEART_ANGINA": (_bp("III.B.3.b.1.a"),),
    "HEART_MI": (_bp("III.B.3.c.1.a"),),
    "HEART_CHF": (_bp("III.B.3.d.1.a"),),
    "ASTHMA": (
        Monitoring(
            "symptoms",
            "Re-anamnesis 4 pertanyaan gejala 1 bulan terakhir",
            "III.B.4.a.1.a",
            MONTHLY,
            ("daytime_symptoms_gt_2_per_week", "act_score", "act_items"),
        ),
        Monitoring(
            "peak_flow",
            "Arus puncak ekspirasi (peak flow meter)",
            "III.B.4.a.1.b",
            MONTHLY,
            ("pef_percent_predicted",),
        ),
        Monitoring(
            "inhaler_check",
            "Periksa angka dosis pada device dan teknik penggunaan inhaler",
            "III.B.4.a.3.b",
            MONTHLY,
        ),
    ),
    "COPD": (
        Monitoring("cat", "Skor CAT", "III.B.5.a.2", MONTHLY, ("cat_score", "cat_items")),
        Monitoring(
            "smoking_cessation",
            "Layanan Upaya Berhenti Merokok (UBM) bagi pasien yang masih merokok",
            "III.B.5.a.3.c",
            MONTHLY,
        ),
        Monitoring(
            "rehabilitation",
            "Rehabilitasi: pursed lip breathing, latihan ekspektorasi, otot pernapasan dan "
            "ekstremitas",
            "III.B.5.a.3.e",
            MONTHLY,
        ),
        Monitoring(
            "home_care",
            "Home care/kunjungan rumah atau telemedisin bila pasien tidak dapat datang",
            "III.B.5.a.3.f",
            MONTHLY,
        ),
    ),
    "EPILEPSY": (
        Monitoring(
            "seizures",
            "Catatan bangkitan dan kepatuhan OAB",
            "III.B.6.a.1",
            MONTHLY,
            ("seizure_occurred",),
        ),
    ),
    "STROKE": (
        Monitoring(
            "risk_factors",
            "Faktor risiko: tekanan darah, gula darah, profil lipid, asam urat",
            "III.B.7.a.1",
            MONTHLY,
            ("sbp", "fpg_mg_dl", "ldl_mg_dl", "uric_acid_mg_dl"),
        ),
    ),
    "SCHIZOPHRENIA": (
        Monitoring(
            "weight_bmi",
            "Berat badan, tinggi badan, IMT",
            "III.B.8.b.3.b.1",
            (1, 2, 3, 4, 5, 6, 9, 12),  # monthly for 6 months, then at least quarterly
        ),
        Monitoring("glucose", "Gula darah puasa atau HbA1c", "III.B.8.b.3.b.3", (4,)),
        Monitoring("lipids", "Profil lipid", "III.B.8.b.3.b.4", (4,)),
        Monitoring(
            "movement",
            "Penilaian akatisia, distonia, parkinsonisme, diskinesia tardif",
            "III.B.8.b.3.b.2",
            MONTHLY,
        ),
        # The structured rating's interval depends on the case: schizophrenia_items().
    ),
    "SLE": (
        Monitoring(
            "relapse_signs",
            "Tanda-tanda kekambuhan SLE",
            "III.B.9.a.2",
            MONTHLY,
            ("flare_suspected",),
        ),
        Monitoring(
            "hospital_review", "Kontrol ke FKRTL (setiap 3 bulan)", "III.B.9.c.3", QUARTERLY
        ),
    ),
}

TARGETS = {
    "DM": "HbA1c < 7%, GDP 80–130 mg/dL, GD 2 jam PP < 180 mg/dL (III.B.1.a.1.a)",
    "HT": "Tekanan darah < 140/90 mmHg (III.B.2.d.2)",
    "HEART_HHD": "Tekanan darah < 140/90 mmHg, tanpa tanda gagal jantung (III.B.3.a)",
    "HEART_ANGINA": "Tekanan darah < 140/90 mmHg, tanpa nyeri dada saat aktivitas (III.B.3.b)",
    "HEART_MI": "Tekanan darah < 140/90 mmHg, kapasitas fungsional tetap (III.B.3.c)",
    "HEART_CHF": "Tanpa sesak progresif atau penumpukan cairan (III.B.3.d)",
    "ASTHMA": "Asma terkontrol: 4 pertanyaan gejala negatif, APE ≥ 80% prediksi (III.B.4.a.1)",
    "COPD": "Skor CAT < 10, tanpa eksaserbasi (III.B.5.a.2)",
    "EPILEPSY": "Bebas bangkitan dengan dosis OAB tetap (III.B.6.a.3.a)",
    "STROKE": "Faktor risiko terkendali: TD, gula darah, LDL, asam urat (III.B.7.a.1)",
    "SCHIZOPHRENIA": "Tanpa kekambuhan, efek samping antipsikotik terpantau (III.B.8.a.1)",
    "SLE": "Remisi tanpa tanda kekambuhan (III.B.9.a.2)",
}

# The same targets and examinations in the patient's words, for the control card:
# no clause codes, no abbreviations a patient would not know.
PATIENT_TARGETS = {
    "DM": (
        "Gula darah terkendali: gula darah puasa 80–130 mg/dL, gula darah 2 jam sesudah "
        "makan di bawah 180 mg/dL, HbA1c (rata-rata gula darah 3 bulan) di bawah 7%"
    ),
    "HT": "Tekanan darah di bawah 140/90 mmHg",
    "HEART_HHD": "Tekanan darah di bawah 140/90 mmHg, tidak sesak dan kaki tidak bengkak",
    "HEART_ANGINA": "Tekanan darah di bawah 140/90 mmHg, tidak nyeri dada saat beraktivitas",
    "HEART_MI": "Tekanan darah di bawah 140/90 mmHg, tetap kuat beraktivitas sehari-hari",
    "HEART_CHF": "Tidak makin sesak dan tubuh tidak bengkak karena cairan",
    "ASTHMA": "Asma terkendali: jarang sesak atau batuk, tidur nyenyak, kegiatan tidak terganggu",
    "COPD": "Sesak napas ringan dan tidak ada serangan (kambuh)",
    "EPILEPSY": "Tidak kejang, dengan obat dan dosis yang sama",
    "STROKE": "Tekanan darah, gula darah, kolesterol dan asam urat terkendali",
    "SCHIZOPHRENIA": "Tidak kambuh dan efek samping obat diperiksa teratur",
    "SLE": "Lupus tenang, tanpa tanda kambuh",
}
PATIENT_EXAMINATIONS = {
    "glucose": "cek gula darah",
    "hba1c": "cek HbA1c (rata-rata gula darah 3 bulan)",
    "bp": "cek tekanan darah",
    "symptoms": "tanya jawab gejala asma",
    "peak_flow": "tiup alat pengukur kekuatan napas",
    "cat": "isi kuesioner sesak napas",
    "seizures": "lihat catatan kejang dan minum obat",
    "risk_factors": "cek tekanan darah, gula darah, kolesterol dan asam urat",
    "weight_bmi": "timbang berat badan dan ukur tinggi badan",
    "lipids": "cek kolesterol",
    "movement": "periksa gerakan tubuh (efek samping obat)",
    "relapse_signs": "periksa tanda kambuh",
    "hospital_review": "kontrol ke rumah sakit",
}

_HT_SELF = (
    ("healthy_life", "Menjalani pola hidup sehat"),
    ("bp_device", "Memiliki alat ukur tekanan darah sederhana/digital"),
    ("bp_self_check", "Mengukur tekanan darah sendiri di rumah"),
    ("diet_activity", "Mematuhi diet dan aktivitas fisik"),
    ("prolanis", "Ikut kegiatan Prolanis"),
    ("monthly_control", "Kontrol rutin setiap bulan ke puskesmas"),
)

# The heart programmes' lists (III.B.3.a–d, item 3) are the hypertension list without Prolanis.
_HEART_SELF = tuple(item for item in _HT_SELF if item[0] != "prolanis")
_HEART_SELF_CHEST_PAIN = (
    *_HEART_SELF,
    ("warning_signs", "Segera ke fasilitas kesehatan bila memburuk atau nyeri dada"),
)

# III.B.x.c "Pengelolaan mandiri oleh pasien dan keluarga", in plain words for the card.
SELF_MANAGEMENT: dict[str, tuple[tuple[str, str], ...]] = {
    "DM": (
        ("healthy_life", "Menjalani pola hidup sehat"),
        ("diet_activity", "Mematuhi diet dan aktivitas fisik"),
        ("prolanis", "Ikut kegiatan Prolanis"),
        ("medicine_rules", "Minum obat diabetes/suntik insulin sesuai aturan dan dosis"),
        ("monthly_control", "Kontrol rutin setiap bulan ke puskesmas"),
    ),
    "HT": _HT_SELF,
    "HEART_HHD": _HEART_SELF_CHEST_PAIN,
    "HEART_ANGINA": _HEART_SELF_CHEST_PAIN,
    "HEART_MI": _HEART_SELF_CHEST_PAIN,
    "HEART_CHF": (
        *_HEART_SELF,
        (
            "warning_signs",
            "Segera ke fasilitas kesehatan bila sesak, kaki bengkak, perut begah "
            "atau kencing berkurang",
        ),
    ),
    "ASTHMA": (
        ("act_daily", "Mengisi kuesioner kontrol asma (ACT) dan melapor bila tidak terkontrol"),
        ("exercise", "Berolahraga secara teratur"),
        ("avoid_triggers", "Menghindari alergen, asap rokok, bahan iritan dan asap sampah"),
        ("avoid_heavy_activity", "Menghindari aktivitas fisik berat yang berlebihan"),
        ("vitamin_c", "Makan dan minum yang kaya vitamin C dan antioksidan"),
        (
            "avoid_additives",
            "Menghindari makanan yang mengandung zat aditif (pengawet, penyedap, pewarna "
            "makanan) dan obat-obatan pencetus asma",
        ),
        ("monthly_control", "Kontrol rutin setiap bulan ke puskesmas"),
    ),
    "COPD": (
        ("healthy_life", "Menjalani pola hidup sehat"),
        ("cat_self", "Mengisi skor CAT sendiri dan segera kontrol bila memburuk"),
        ("avoid_pollution", "Menghindari asap rokok, bahan iritan dan asap sampah"),
        ("protein_diet", "Makan tinggi protein dan rendah karbohidrat"),
        ("vitamin_c", "Makan dan minum yang kaya vitamin C dan antioksidan"),
        ("monthly_control", "Kontrol rutin setiap bulan ke puskesmas"),
    ),
    "EPILEPSY": (
        ("healthy_life", "Menjalani pola hidup sehat"),
        ("first_aid", "Keluarga tahu pertolongan pertama saat kejang"),
        ("seizure_diary", "Mencatat setiap kejang di buku harian kejang"),
        ("medicine_book", "Mencatat daftar obat yang diminum"),
        ("test_records", "Menyimpan hasil EEG dan laboratorium"),
        ("monthly_control", "Kontrol rutin setiap bulan ke puskesmas"),
    ),
    "STROKE": (
        ("healthy_life", "Menjalani pola hidup sehat"),
        ("risk_factors", "Mengendalikan tekanan darah, gula darah, kolesterol dan asam urat"),
        ("exercises", "Latihan pemulihan sesuai arahan dokter/tenaga kesehatan"),
        ("stroke_signs", "Kenali gejala stroke baru dan segera ke rumah sakit"),
        ("family_support", "Keluarga memberi dukungan perawatan di rumah"),
        ("nutrition", "Makan sesuai anjuran ahli gizi"),
        ("progress_notes", "Mencatat perkembangan dan menyimpan hasil pemeriksaan"),
        ("monthly_control", "Kontrol rutin setiap bulan ke puskesmas"),
    ),
    # III.B.8.c repeats the hypertension list word for word.
    "SCHIZOPHRENIA": _HT_SELF,
    "SLE": (
        ("medicine_rules", "Minum obat sesuai anjuran"),
        ("relapse_signs", "Kenali tanda kambuh SLE; kontrol ke rumah sakit setiap 3 bulan"),
        ("monthly_control", "Kontrol rutin setiap bulan ke puskesmas"),
    ),
}

_FORNAS = ("medicines", "Obat tersedia sesuai formularium nasional")
_DOCTOR = ("doctor", "Tenaga medis: dokter umum")
_NURSE = ("nurse", "Tenaga kesehatan: perawat")
_EXAM_ROOM = ("exam_room", "Prasarana: ruang pemeriksaan")
_SIMPLE_LAB = ("simple_lab", "Laboratorium sederhana: DPL, GDS, fungsi ginjal, urinalisis")
_TENSIMETER = ("tensimeter", "Alat tensimeter standar")
_HEART_RESOURCES = (
    _DOCTOR,
    _NURSE,
    _TENSIMETER,
    _SIMPLE_LAB,
    ("ecg", "Elektrokardiogram (EKG)"),
    _FORNAS,
    _EXAM_ROOM,
)

# III.B.x.b "Standar sumber daya untuk pelayanan": (code, item); the section is the clause.
RESOURCES: dict[str, tuple[tuple[str, str], ...]] = {
    "DM": (
        _DOCTOR,
        ("educator", "Tenaga kesehatan: dietisien/edukator DM/perawat"),
        ("glucometer", "Glukometer"),
        ("urinalysis", "Urinalisis"),
        _FORNAS,
        ("lab", "Laboratorium/laboratorium jejaring"),
    ),
    "HT": (_DOCTOR, _NURSE, _TENSIMETER, _SIMPLE_LAB, _FORNAS, _EXAM_ROOM),
    "HEART_HHD": _HEART_RESOURCES,
    "HEART_ANGINA": _HEART_RESOURCES,
    "HEART_MI": _HEART_RESOURCES,
    "HEART_CHF": _HEART_RESOURCES,
    "ASTHMA": (
        _DOCTOR,
        _NURSE,
        ("oxygen", "Oksigen"),
        ("spirometer", "Spirometer dan mouthpiece"),
        ("nebulizer", "Nebulizer dengan masker anak dan dewasa"),
        ("peak_flow", "Peak flow meter"),
        ("pulse_oximeter", "Pulse oximeter"),
        _FORNAS,
        _EXAM_ROOM,
    ),
    "COPD": (
        _DOCTOR,
        _NURSE,
        ("pulse_oximeter", "Pulse oximetry"),
        ("peak_flow", "Peak flow meter"),
        ("spirometer", "Spirometer"),
        ("nebulizer", "Nebulizer"),
        ("co_analyzer", "CO analyzer (merokok)"),
        ("oxygen", "Oksigen"),
        _FORNAS,
        ("walk_test_room", "Ruang uji jalan 6 menit"),
        ("nebulization_room", "Ruang nebulisasi sesuai standar PPI"),
        ("cat_form", "Formulir CAT"),
    ),
    "EPILEPSY": (
        _DOCTOR,
        _NURSE,
        ("oxygen", "Oksigen"),
        ("lab", "Laboratorium: gula darah, elektrolit (Na, Ca, Mg), kreatinin"),
        _FORNAS,
        _EXAM_ROOM,
    ),
    "STROKE": (
        _DOCTOR,
        ("allied", "Tenaga kesehatan: perawat, fisioterapis, ahli gizi"),
        ("tensimeter", "Tensimeter"),
        ("lab", "Laboratorium: gula darah, profil lipid, asam urat"),
        ("ecg", "Elektrokardiogram (EKG)"),
        _FORNAS,
        _EXAM_ROOM,
    ),
    "SCHIZOPHRENIA": (
        _DOCTOR,
        ("psychologist", "Tenaga kesehatan: psikolog klinis atau perawat"),
        ("restraint", "Alat restrain fisik untuk gaduh gelisah"),
        ("side_effect_lab", "Pemeriksaan fisik dan laboratorium efek samping antipsikotik"),
        ("ecg", "Elektrokardiogram (EKG)"),
        _FORNAS,
        ("agitation_room", "Ruangan tindakan gaduh gelisah"),
        ("inpatient_room", "Ruang rawat inap untuk pasien yang sudah tenang"),
    ),
    "SLE": (_DOCTOR, _NURSE, _TENSIMETER, _SIMPLE_LAB, _FORNAS, _EXAM_ROOM),
}


def resources_clause(program: str) -> str:
    section = SECTION[program]
    # Heart diseases number their sub-items 1)–4) instead of a.–d.
    return f"{section}.2" if program in HEART else f"{section}.b"


def self_management_clause(program: str) -> str:
    section = SECTION[program]
    return f"{section}.3" if program in HEART else f"{section}.c"


@dataclass(frozen=True)
class ScheduledItem:
    code: str
    label: str
    clause: str
    due_on: dt.date
    facts: tuple[str, ...]


# --- Schizophrenia: items that follow the regimen (III.B.8.b.3) -----------------

# First-generation antipsychotics: the usual high risk of tardive dyskinesia.
FIRST_GENERATION_ANTIPSYCHOTICS = (
    "haloperidol",
    "chlorpromazine",
    "klorpromazin",
    "fluphenazine",
    "flufenazin",
    "trifluoperazine",
    "trifluoperazin",
    "perphenazine",
    "perfenazin",
    "thioridazine",
    "tioridazin",
    "pimozide",
    "pimozid",
    "droperidol",
)
# "Perubahan signifikan pada EKG pada penggunaan klorpromazin, clozapine, droperidol,
# iloperidone, pimozide, thioridazine, atau ziprasidone" (III.B.8.b.3.c); haloperidol
# prolongs QT as well.
QT_PROLONGING_ANTIPSYCHOTICS = (
    "chlorpromazine",
    "klorpromazin",
    "clozapin",
    "klozapin",
    "droperidol",
    "iloperidone",
    "pimozide",
    "pimozid",
    "thioridazine",
    "tioridazin",
    "ziprasidone",
    "ziprasidon",
    "haloperidol",
)
CLOZAPINE = ("clozapin", "klozapin")
TARDIVE_DYSKINESIA_RISK_AGE = 55  # older age is the other common risk factor


def _taking(regimen: Sequence[str], names: tuple[str, ...]) -> list[str]:
    return [medicine for medicine in regimen if any(n in medicine.lower() for n in names)]


def tardive_dyskinesia_high_risk(regimen: Sequence[str], age: int | None) -> bool:
    """Read as: a first-generation antipsychotic, or 55 years or older."""
    if _taking(regimen, FIRST_GENERATION_ANTIPSYCHOTICS):
        return True
    return age is not None and age >= TARDIVE_DYSKINESIA_RISK_AGE


def schizophrenia_items(regimen: Sequence[str], age: int | None) -> tuple[Monitoring, ...]:
    """III.B.8.b.3.b.2, b.5 and c from the case's regimen (medicine names) and age."""
    if tardive_dyskinesia_high_risk(regimen, age):
        rating = Monitoring(
            "eps_rating",
            "Penilaian terstruktur gejala ekstrapiramidal (mis. ESRS), setiap 6 bulan: "
            "risiko tinggi diskinesia tardif",
            "III.B.8.b.3.b.2",
            (6, 12),
        )
    else:
        rating = Monitoring(
            "eps_rating",
            "Penilaian terstruktur gejala ekstrapiramidal (mis. ESRS), setiap 12 bulan",
            "III.B.8.b.3.b.2",
            (12,),
        )
    items = [rating]
    if _taking(regimen, CLOZAPINE):
        items.append(
            Monitoring(
                "blood_count_anc",
                "Darah lengkap dengan hitung neutrofil absolut (klozapin)",
                "III.B.8.b.3.b.5",
                MONTHLY,
            )
        )
    qt = _taking(regimen, QT_PROLONGING_ANTIPSYCHOTICS)
    if qt:
        items.append(
            Monitoring(
                "ecg_qt",
                f"EKG (interval QT): {', '.join(qt)}"[:200],
                "III.B.8.b.3.c",
                (1, 6, 12),
            )
        )
    return tuple(items)


def monitoring_schedule(
    program: str, start: dt.date, *, regimen: Sequence[str] = (), age: int | None = None
) -> list[ScheduledItem]:
    """Every monitoring item of the programme with its due date, in date order.

    ``regimen`` (the medicine names of the case's current regimen) and ``age`` (at
    ``start``) add the items that depend on them (schizophrenia, III.B.8.b.3).
    """
    monitored = MONITORING[program]
    if program == "SCHIZOPHRENIA":
        monitored = (*monitored, *schizophrenia_items(regimen, age))
    items = [
        ScheduledItem(
            item.code, item.label, item.clause, add_months_same_day(start, month), item.facts
        )
        for item in monitored
        for month in item.months
    ]
    return sorted(items, key=lambda item: (item.due_on, item.code))
