"""The rest of the demo district: a PRB case for every remaining patient, in all programmes.

seed_referrals builds a detailed story at the first two puskesmas; this fills
every puskesmas so worklists, alerts and the district dashboard have a real
spread: all twelve rule sets, enrolment from one to twelve months ago, most
patients controlled monthly, some who stopped coming (overdue, lost to
follow-up), a few who moved or died. Deterministic and idempotent: letters are
keyed by SRB number.

Built in bulk: each patient's story (letter, acceptance, care plan, months of
control visits) is worked out in memory with the services' own rules —
``letters.letter_build``, ``letters.letter_accept_check`` and ``letter_accept_apply``,
``care_plans.care_plan_new`` and ``care_plan_items``, ``workdays.next_control_day``,
``visits.prescription_rules_check``, ``engine.re_referral_verdict`` over the
``re_referral_window_start`` window, ``care_plans.monitoring_done_at`` — and each
puskesmas's rows are then inserted with one ``bulk_create`` per table (the audit
triggers fire per row as for a save). The rare re-referral and change of status go
through their services. The demo district sends nothing to SATUSEHAT (no puskesmas
has it enabled), so no outbox row is expected.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.audit import audit_context
from accounts.models import User
from demo.seed_referrals import ATTESTED, DM_FACTS, HT_FACTS, network_plan
from demo.world import DemoWorld
from facilities.models import Facility
from lib import workdays
from lib.months import add_months_same_day
from patients.models import Patient
from pharmacy.models import Medicine, Prescription, StockBalance
from pharmacy.selectors import usable_units_by_medicine
from pharmacy.services import ledger, movements, prescriptions
from referrals import kmk
from referrals.models import (
    BackReferralLetter,
    CarePlan,
    ControlVisit,
    LetterMedicine,
    MonitoringItem,
    PrbCase,
    ReadinessGap,
    SelfManagementItem,
)
from referrals.selectors import Readiness, facility_readiness
from referrals.services import care_plans, cases, engine, letters, visits

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


@dataclass
class _Story:
    """One patient's case, worked out in memory before it is saved."""

    letter: BackReferralLetter
    letter_lines: list[LetterMedicine]
    gaps: list[ReadinessGap]
    case: PrbCase
    plan: CarePlan
    monitoring: list[MonitoringItem]
    advice: list[SelfManagementItem]
    visits: list[ControlVisit] = field(default_factory=list)
    # The visit whose triggered criteria re-refer the patient, or a late change of status.
    rereferral: ControlVisit | None = None
    status_change: tuple[str, str, dt.date] | None = None


def seed(world: DemoWorld, progress: Callable[[str], None] | None = None) -> None:
    hospitals = [f for f in world.others if f.kind == Facility.Kind.RUMAH_SAKIT]
    today = timezone.localdate()
    rng = random.Random(2024)
    enrolled = 0
    medicines = {(m.name, m.strength): m for m in Medicine.objects.filter(is_active=True)}
    rule_groups = {medicine.pk: medicine.rule_group for medicine in medicines.values()}
    for index, facility in enumerate(world.puskesmas):
        doctor = _doctor_of(world, facility)
        hospital = hospitals[index % len(hospitals)]
        patients = Patient.objects.filter(fktp=facility).exclude(prb_cases__isnull=False)
        patients = patients.exclude(back_referral_letters__isnull=False).order_by("id")
        with audit_context(user=doctor):
            _stock_regimens(facility, medicines, world, today)
            # No medicine moves while the stories are built: the stock is read once.
            usable = usable_units_by_medicine(facility_id=facility.pk, as_of=today)
            readiness: dict[str, Readiness] = {}
            stories = []
            for number, patient in enumerate(patients, start=1):
                srb = f"0038R9{facility.pk:03d}{patient.pk:06d}"
                program = _program_for(patient, number + index, today)
                if program not in readiness:
                    readiness[program] = facility_readiness(
                        facility_id=facility.pk, program=program
                    )
                context = _Context(
                    doctor, facility, hospital, medicines, rule_groups, usable, readiness[program]
                )
                stories.append(_story(context, patient, srb, program, rng, today))
            _save(stories, hospital)
            enrolled += len(stories)
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
    pharmacists: dict[int, User] = {}
    for prescription in waiting:
        if prescription.facility_id not in pharmacists:
            pharmacists[prescription.facility_id] = (
                User.objects.filter(facility=prescription.facility, role=User.Role.FARMASI).first()
                or world.users["admin"]
            )
        pharmacist = pharmacists[prescription.facility_id]
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


@dataclass(frozen=True)
class _Context:
    doctor: User
    facility: Facility
    hospital: Facility
    medicines: dict[tuple[str, str], Medicine]
    rule_groups: dict[int, str]
    usable: dict[int, int] | None
    readiness: Readiness


def _story(
    context: _Context,
    patient: Patient,
    srb: str,
    program: str,
    rng: random.Random,
    today: dt.date,
) -> _Story:
    doctor, facility, hospital = context.doctor, context.facility, context.hospital
    icd10, name, strength, signa, quantity = REGIMEN[program]
    medicine = context.medicines[(name, strength)]
    months_ago = rng.randint(1, 12)
    # Spread over the month, so control dates do not all fall on the same day.
    letter_date = add_months_same_day(today, -months_ago) - dt.timedelta(days=rng.randint(0, 27))
    letter, letter_lines = letters.letter_build(
        actor=doctor,
        letter=letters.LetterInput(
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
                letters.LetterMedicineInput(
                    medicine=medicine, signa=signa, quantity_per_month=quantity
                )
            ],
        ),
    )
    letter.patient = patient
    on = letter_date + dt.timedelta(days=2)
    interval = kmk.CONTROL_INTERVAL_DAYS
    gaps = letters.letter_accept_check(
        letter=letter,
        override_reason="",
        control_interval_days=interval,
        on=on,
        readiness_plan=network_plan(facility, program, hospital, context.readiness),
        readiness=context.readiness,
    )
    case = letters.letter_accept_apply(
        actor=doctor,
        letter=letter,
        regimen=letters.regimen_from_lines(letter_lines),
        on=on,
        control_interval_days=interval,
        override_reason="",
        gaps=gaps,
    )
    plan = care_plans.care_plan_new(actor=doctor, case=case, start=on, interval=interval)
    monitoring, advice = care_plans.care_plan_items(plan)
    story = _Story(letter, letter_lines, gaps, case, plan, monitoring, advice)
    unavailable = engine.case_medicines_unavailable(case, usable=context.usable)
    letter_medicines = [line.medicine.name for line in letter_lines]
    # Most patients come monthly; one in five stopped coming some months ago.
    stopped = rng.random() < 0.2
    last_day = today - dt.timedelta(days=rng.randint(20, 150)) if stopped else today
    day = case.enrolled_on + dt.timedelta(days=30)
    while day <= last_day - dt.timedelta(days=3):
        adherence = "good" if rng.random() < 0.85 else "partial"
        facts = _visit_facts(program, rng)
        if "medicines_unavailable" not in facts and unavailable:
            facts["medicines_unavailable"] = True
        next_control = workdays.next_control_day(day, plan.control_interval_days)
        errors, warnings = visits.prescription_rules_check(
            case=case,
            lines=(),
            facts=facts,
            supply_days=(next_control - day).days,
            rule_groups=context.rule_groups,
            letter_medicines=letter_medicines,
        )
        if errors:
            raise ValidationError({"lines": errors})
        start = engine.re_referral_window_start(baseline_on=case.baseline_on, as_of=day)
        window = [
            {"date": earlier.visit_date.isoformat(), "facts": earlier.facts}
            for earlier in story.visits
            if start <= earlier.visit_date
        ]
        window.append({"date": day.isoformat(), "facts": facts})
        evaluation = engine.re_referral_verdict(case=case, as_of=day, visits=window)
        visit = ControlVisit(
            case=case,
            visit_date=day,
            facts=facts,
            adherence=adherence,
            warnings=warnings,
            next_control_date=next_control,
            evaluation=evaluation,
            outcome=evaluation["outcome"],
            recorded_by=doctor,
        )
        visit.clean_fields(exclude=["case", "prescription", "recorded_by"])
        story.visits.append(visit)
        case.next_control_date = next_control
        care_plans.monitoring_done_at(monitoring, visit)
        if visit.outcome == ControlVisit.Outcome.RE_REFER:
            story.rereferral = visit
            return story
        day += dt.timedelta(days=30)
    roll = rng.random()
    if roll < 0.03:
        story.status_change = (
            PrbCase.Status.MOVED,
            "Pindah domisili.",
            today - dt.timedelta(days=10),
        )
    elif roll < 0.05:
        story.status_change = (
            PrbCase.Status.DIED,
            "Meninggal di rumah.",
            today - dt.timedelta(days=20),
        )
    return story


def _save(stories: list[_Story], hospital: Facility) -> None:
    """One puskesmas's stories: a bulk insert per table, then the re-referrals and changes
    of status through their services."""
    with transaction.atomic():
        for story in stories:
            story.case.clean_fields(exclude=["patient", "facility"])
            story.letter.clean_fields(
                exclude=["facility", "hospital", "patient", "case", "received_by", "decided_by"]
            )
            story.letter.clean()
            for row in (*story.letter_lines, *story.gaps, story.plan):
                row.clean_fields(
                    exclude=["letter", "medicine", "case", "recorded_by", "created_by"]
                )
        PrbCase.objects.bulk_create([story.case for story in stories])
        BackReferralLetter.objects.bulk_create([story.letter for story in stories])
        LetterMedicine.objects.bulk_create(
            [line for story in stories for line in story.letter_lines]
        )
        ReadinessGap.objects.bulk_create([gap for story in stories for gap in story.gaps])
        CarePlan.objects.bulk_create([story.plan for story in stories])
        ControlVisit.objects.bulk_create([visit for story in stories for visit in story.visits])
        MonitoringItem.objects.bulk_create([item for story in stories for item in story.monitoring])
        SelfManagementItem.objects.bulk_create([item for story in stories for item in story.advice])
        for story in stories:
            doctor = story.letter.received_by
            if story.rereferral is not None:
                visits.rereferral_create(
                    actor=doctor,
                    case=story.case,
                    hospital=hospital,
                    referred_on=story.rereferral.visit_date,
                    clause_ids=[c["id"] for c in story.rereferral.triggered],
                    visit=story.rereferral,
                )
            elif story.status_change is not None:
                status, note, on = story.status_change
                cases.case_status_change(
                    actor=doctor, case=story.case, status=status, note=note, on=on
                )
