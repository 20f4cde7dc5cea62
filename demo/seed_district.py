"""The rest of the demo district: a PRB case for every remaining patient, in all programmes.

seed_referrals builds a detailed story at the first two puskesmas; this fills
every puskesmas so worklists, alerts and the district dashboard have a real
spread: all twelve rule sets, enrolment from one to twelve months ago, most
patients controlled monthly, some who stopped coming (overdue, lost to
follow-up), a few who moved or died. Deterministic and idempotent: letters are
keyed by SRB number.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.audit import audit_context
from accounts.models import User
from demo.seed_referrals import ATTESTED, DM_FACTS, HT_FACTS, network_plan
from demo.world import DemoWorld
from facilities.models import Facility
from lib.months import add_months_same_day
from patients.models import Patient
from pharmacy.models import Medicine, Prescription, StockBalance
from pharmacy.services import ledger, movements, prescriptions
from referrals.models import BackReferralLetter, PrbCase
from referrals.services import cases, letters, visits

NO = False
YES = True
BACK_REFERRAL_FACTS: dict[str, dict[str, Any]] = {
    "DM": DM_FACTS,
    "HT": HT_FACTS,
    "HEART_HHD": {
        "heart_failure_signs_3m": NO,
        "arrhythmia": NO,
        "sbp": 130.0,
        "dbp": 80.0,
        "bp_controlled_months": 6.0,
        "activity_limitation_3m": NO,
    },
    "HEART_ANGINA": {
        "revascularization_indicated": NO,
        "exertional_symptoms": NO,
        "post_pci": NO,
        "beta_blocker_optimal": YES,
        "high_intensity_statin": YES,
        "sbp": 128.0,
        "dbp": 78.0,
    },
    "HEART_MI": {
        "revascularization_indicated": YES,
        "revascularization_done": YES,
        "ccs_class_max_3m": 1,
        "nyha_class": 1,
        "antiplatelet_count": 2,
        "beta_blocker_optimal": YES,
        "resting_hr": 64.0,
        "high_intensity_statin": YES,
        "lvef_percent": 50.0,
        "hypertension": NO,
        "acei_or_arb": YES,
        "sbp": 126.0,
        "dbp": 78.0,
    },
    "HEART_CHF": {
        "nyha_class_max_3m": 2,
        "fluid_volume_stable_months": 4.0,
        "sbp": 112.0,
        "dbp": 70.0,
        "urine_output_adequate": YES,
        "acute_cause_resolved": YES,
        "gdmt_euvolemic": YES,
        "on_warfarin": NO,
        "cardiac_device": NO,
    },
    "ASTHMA": {
        "act_score": 25,
        "systemic_corticosteroid": NO,
        "ics_drug": "budesonide",
        "ics_mcg_per_day": 400.0,
        "fev1_percent_predicted": 82.0,
        "icu_or_intubation_12m": NO,
        "severe_exacerbation_12m": NO,
    },
    "COPD": {
        "mmrc": 1,
        "cat_score": 8,
        "exacerbations_hospitalized_12m": 0,
        "exacerbations_not_hospitalized_12m": 0,
        "followed_up_1_month": YES,
        "understands_regimen_and_inhaler": YES,
        "adl_capable": YES,
    },
    "EPILEPSY": {
        "seizure_free_months": 12.0,
        "asm_maintenance_dose_reached": YES,
        "asm_side_effects": NO,
        "pregnant": NO,
        "breastfeeding": NO,
    },
    "SCHIZOPHRENIA": {
        "panss": {k: 2 for k in ("P1", "P2", "P3", "N1", "N4", "N6", "G5", "G9")},
        "maintenance_months_without_relapse": 8.0,
        "first_episode": NO,
        "substance_dependence": NO,
        "personality_disorder": NO,
        "uncontrolled_medical_condition": NO,
        "forensic_case": NO,
        "severe_side_effects": NO,
        "cognitive_deficit": NO,
    },
    "STROKE": {
        "risk_factors_explored": YES,
        "diabetes": NO,
        "sbp": 130.0,
        "dbp": 80.0,
        "fpg_mg_dl": 100.0,
        "coronary_heart_disease": NO,
        "ldl_mg_dl": 110.0,
        "uric_acid_mg_dl": 5.0,
        "ecg_abnormal": NO,
        "vascular_imaging_abnormal": NO,
        "blood_cell_disorder": NO,
        "avm": NO,
        "atrial_fibrillation": NO,
        "neuro_deficit_needs_rehab": NO,
        "recurrent_stroke": NO,
    },
    "SLE": {
        "sledai_2k": 0,
        "remission_months": 8.0,
        "other_immunosuppressants": NO,
        "corticosteroid_drug": "methylprednisolone",
        "corticosteroid_mg_per_day": 4.0,
        "pregnant": NO,
    },
}
# (ICD-10, medicine name, strength, signa, quantity per month)
REGIMEN = {
    "DM": ("E11.9", "Metformin", "500 mg", "3x1", 90),
    "HT": ("I10", "Amlodipine", "5 mg", "1x1", 30),
    "HEART_HHD": ("I11.9", "Bisoprolol", "2,5 mg", "1x1", 30),
    "HEART_ANGINA": ("I20.8", "Isosorbide dinitrate", "5 mg", "3x1", 90),
    "HEART_MI": ("I25.2", "Clopidogrel", "75 mg", "1x1", 30),
    "HEART_CHF": ("I50.0", "Furosemide", "40 mg", "1x1", 30),
    "ASTHMA": ("J45.9", "Budesonide", "200 mcg/dosis", "2x2 hirup", 1),
    "COPD": ("J44.9", "Tiotropium", "18 mcg", "1x1 hirup", 30),
    "EPILEPSY": ("G40.9", "Carbamazepine", "200 mg", "2x1", 60),
    "SCHIZOPHRENIA": ("F20.0", "Risperidone", "2 mg", "2x1", 60),
    "STROKE": ("I69.3", "Clopidogrel", "75 mg", "1x1", 30),
    "SLE": ("M32.9", "Hydroxychloroquine", "200 mg", "1x1", 30),
}
# Roughly the district's mix: diabetes and hypertension are most of PRB.
MIX = (
    ["DM"] * 8
    + ["HT"] * 8
    + ["HEART_HHD", "HEART_ANGINA", "HEART_MI", "HEART_CHF"]
    + ["ASTHMA", "ASTHMA", "COPD", "EPILEPSY", "SCHIZOPHRENIA", "STROKE", "STROKE", "SLE"]
)


def _visit_facts(program: str, rng: random.Random) -> dict[str, Any]:
    # About one visit in forty is uncontrolled, which triggers a re-referral (III.B.x.d).
    uncontrolled = rng.random() < 0.025
    bp = {
        "sbp": 152.0 if uncontrolled else float(rng.choice([118, 124, 128, 132, 136, 138])),
        "dbp": 94.0 if uncontrolled else float(rng.choice([72, 76, 80, 84, 86])),
    }
    if program == "DM":
        return {"fpg_mg_dl": 168.0 if uncontrolled else float(rng.choice([96, 104, 112, 118, 126]))}
    if program in ("HT", "HEART_HHD", "HEART_ANGINA", "HEART_MI"):
        return bp
    if program == "HEART_CHF":
        return {"progressive_dyspnea": False}
    if program == "STROKE":
        return {**bp, "fpg_mg_dl": float(rng.choice([92, 104, 118])), "new_neuro_deficit": False}
    if program == "ASTHMA":
        return {"act_score": rng.choice([21, 23, 25])}
    if program == "COPD":
        return {"cat_score": rng.choice([6, 8, 9])}
    if program == "EPILEPSY":
        return {"seizure_occurred": False}
    if program == "SLE":
        return {"sledai_2k": 0}
    return {"deterioration": False}


def _program_for(patient: Patient, index: int, today: dt.date) -> str:
    program = MIX[index % len(MIX)]
    age = today.year - patient.birth_date.year
    if program == "SCHIZOPHRENIA" and not 19 <= age <= 59:  # II.B.7.d
        return "HT"
    if program == "SLE" and patient.sex == "M":
        return "DM"
    return program


def seed(world: DemoWorld, progress: Callable[[str], None] | None = None) -> None:
    hospitals = [f for f in world.others if f.kind == Facility.Kind.RUMAH_SAKIT]
    today = timezone.localdate()
    rng = random.Random(2024)
    enrolled = 0
    medicines = {(m.name, m.strength): m for m in Medicine.objects.filter(is_active=True)}
    for index, facility in enumerate(world.puskesmas):
        doctor = _doctor_of(world, facility)
        hospital = hospitals[index % len(hospitals)]
        patients = Patient.objects.filter(fktp=facility).exclude(prb_cases__isnull=False)
        patients = patients.exclude(back_referral_letters__isnull=False).order_by("id")
        with audit_context(user=doctor):
            _stock_regimens(facility, medicines, world, today)
            for number, patient in enumerate(patients, start=1):
                srb = f"0038R9{facility.pk:03d}{patient.pk:06d}"
                if BackReferralLetter.objects.filter(srb_number=srb).exists():
                    continue
                program = _program_for(patient, number + index, today)
                _enrol(doctor, facility, hospital, patient, srb, program, medicines, rng, today)
                enrolled += 1
        if progress:
            progress(
                f"    {index + 1}/{len(world.puskesmas)} {facility.name}: {enrolled} cases so far"
            )
    if progress:
        progress("    collecting the past months' prescriptions at the pharmacies")
    with audit_context(user=world.users["admin"]):
        _dispense_backlog(world, today)


def _dispense_backlog(world: DemoWorld, today: dt.date) -> None:
    """Past months' prescriptions were collected; only this week's wait at the pharmacy."""
    waiting = (
        Prescription.objects.filter(
            status=Prescription.Status.WAITING, prescribed_on__lt=today - dt.timedelta(days=5)
        )
        .select_related("facility")
        .order_by("prescribed_on", "id")
    )
    for prescription in waiting:
        pharmacist = (
            User.objects.filter(facility=prescription.facility, role=User.Role.FARMASI).first()
            or world.users["admin"]
        )
        try:
            prescriptions.stock_dispense(
                actor=pharmacist, prescription=prescription, dispensed_on=prescription.prescribed_on
            )
        except ValidationError:
            continue  # not enough stock that day: it stays owed, as it would in real life


def _stock_regimens(facility: Facility, medicines: dict, world: DemoWorld, today: dt.date) -> None:
    """The puskesmas stocks what its PRB patients take, or they would be re-referred."""
    store = ledger.prb_store_for(facility.pk)
    stocked = set(
        StockBalance.objects.filter(store=store, quantity__gt=0).values_list(
            "medicine_id", flat=True
        )
    )
    lines = [
        movements.ReceiptLineInput(
            medicine=medicine,
            batch=f"RB{facility.pk:02d}{medicine.pk:04d}",
            expiry_date=today + dt.timedelta(days=720),
            quantity=3000 if quantity > 1 else 100,
        )
        for (_icd, name, strength, _signa, quantity) in REGIMEN.values()
        if (medicine := medicines.get((name, strength))) and medicine.pk not in stocked
    ]
    lines = list({line.medicine.pk: line for line in lines}.values())
    if lines:
        movements.stock_receive(
            actor=world.users["admin"],
            store=store,
            received_on=today - dt.timedelta(days=400),
            lines=lines,
            source="ifk",
            supplier="Instalasi Farmasi Kabupaten/Kota",
            reference=f"SBBK/{facility.kemenkes_code}/PRB",
        )


def _doctor_of(world: DemoWorld, facility: Facility) -> User:
    doctor = User.objects.filter(facility=facility, role=User.Role.DOKTER).first()
    if doctor is None:
        username = f"dokter.{facility.kemenkes_code.lower()}"
        doctor = User.objects.create_user(
            username=username,
            role=User.Role.DOKTER,
            facility=facility,
            first_name="dr. Dokter",
            last_name=facility.name.replace("Puskesmas ", ""),
            password=None,
        )
    return doctor


def _enrol(
    doctor: User,
    facility: Facility,
    hospital: Facility,
    patient: Patient,
    srb: str,
    program: str,
    medicines: dict,
    rng: random.Random,
    today: dt.date,
) -> None:
    icd10, name, strength, signa, quantity = REGIMEN[program]
    medicine = medicines.get((name, strength))
    months_ago = rng.randint(1, 12)
    # Spread over the month, so control dates do not all fall on the same day.
    letter_date = add_months_same_day(today, -months_ago) - dt.timedelta(days=rng.randint(0, 27))
    letter = letters.letter_receive(
        actor=doctor,
        facility=facility,
        hospital=hospital,
        dpjp_name="dr. Spesialis RSUD",
        srb_number=srb,
        letter_date=letter_date,
        patient=letters.PatientInput.of(patient),
        program=program,
        icd10=icd10,
        attestations=ATTESTED,
        clinical_resume="Kondisi stabil.",
        management_plan="Lanjutkan terapi di puskesmas.",
        facts=dict(BACK_REFERRAL_FACTS[program]),
        medicines=[
            letters.LetterMedicineInput(medicine=medicine, signa=signa, quantity_per_month=quantity)
        ]
        if medicine
        else [],
    )
    case = letters.letter_accept(
        actor=doctor,
        letter=letter,
        on=letter_date + dt.timedelta(days=2),
        readiness_plan=network_plan(facility, program, hospital),
    )
    # Most patients come monthly; one in five stopped coming some months ago.
    stopped = rng.random() < 0.2
    last_day = today - dt.timedelta(days=rng.randint(20, 150)) if stopped else today
    day = case.enrolled_on + dt.timedelta(days=30)
    while day <= last_day - dt.timedelta(days=3):
        visit = visits.visit_record(
            actor=doctor,
            case=case,
            visit_date=day,
            adherence="good" if rng.random() < 0.85 else "partial",
            facts=_visit_facts(program, rng),
        )
        case.refresh_from_db()
        if visit.outcome == "re_refer":
            visits.rereferral_create(
                actor=doctor,
                case=case,
                hospital=hospital,
                referred_on=day,
                clause_ids=[c["id"] for c in visit.triggered],
                visit=visit,
            )
            return
        day += dt.timedelta(days=30)
    roll = rng.random()
    if case.in_care and roll < 0.03:
        cases.case_status_change(
            actor=doctor,
            case=case,
            status=PrbCase.Status.MOVED,
            note="Pindah domisili.",
            on=today - dt.timedelta(days=10),
        )
    elif case.in_care and roll < 0.05:
        cases.case_status_change(
            actor=doctor,
            case=case,
            status=PrbCase.Status.DIED,
            note="Meninggal di rumah.",
            on=today - dt.timedelta(days=20),
        )
