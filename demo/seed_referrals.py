"""Demo back-referrals and PRB cases at the first two puskesmas.

Per puskesmas: facility readiness for DM, HT and asthma (asthma incomplete, so
intake shows its warning), a dozen letters from the district hospital — most
accepted with a few months of control visits, one incomplete accepted with an
override reason, one returned, two waiting in the inbox — one case re-referred
after its HbA1c rose, and a few contact attempts and home visits.

Idempotent: letters are found by their SRB number; a letter that exists is left alone.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.utils import timezone

from accounts.audit import audit_context
from demo.world import DemoWorld
from facilities.models import Facility
from lib.months import add_months_same_day
from patients.models import Patient
from pharmacy.models import Medicine
from referrals import kmk
from referrals.models import BackReferralLetter, FacilityReadiness, PrbCase
from referrals.selectors import Readiness
from referrals.selectors import facility_readiness as facility_readiness_of
from referrals.services import facility_readiness, letters, visits

ATTESTED = {"a": True, "b": True, "c": True, "e": True, "f": True}
DM_FACTS = {
    "hba1c_percent": 6.6,
    "fpg_mg_dl": 118.0,
    "non_basal_insulin": False,
    "basal_insulin_units_per_day": 0.0,
    "oral_antidiabetic_count": 1,
    "neuropathy": False,
    "urine_protein_plus": 0,
    "ecg_normal": True,
    "egfr": 84.0,
    "sbp": 130.0,
    "dbp": 82.0,
    "antihypertensive_count": 1,
    "ldl_mg_dl": 92.0,
    "very_high_cv_risk": False,
}
HT_FACTS = {
    "sbp": 132.0,
    "dbp": 84.0,
    "bp_controlled_months": 6.0,
    "hmod_examined": True,
    "heart_failure": False,
    "ckd_stage_3_5": False,
    "coronary_heart_disease": False,
    "stroke": False,
    "peripheral_vascular_disease": False,
    "arrhythmia": False,
    "atrial_fibrillation": False,
    "secondary_hypertension": False,
    "pulmonary_hypertension": False,
    "pregnancy_hypertension": False,
}
PROGRAMS = {
    "DM": ("E11.9", DM_FACTS, ("Metformin", "500 mg"), "3x1", 90),
    "HT": ("I10", HT_FACTS, ("Amlodipine", "5 mg"), "1x1", 30),
}
LETTERS_PER_PUSKESMAS = 12


def _medicine(name: str, strength: str) -> Medicine | None:
    return Medicine.objects.filter(name=name, strength=strength, is_active=True).first()


def _readiness(doctor: Any, facility: Facility) -> None:
    if FacilityReadiness.objects.filter(facility=facility).exists():
        return  # recorded at the first run
    for program in ("DM", "HT"):
        facility_readiness.readiness_update(
            actor=doctor,
            facility=facility,
            program=program,
            available=[code for code, _text in kmk.RESOURCES[program]],
        )
    facility_readiness.readiness_update(
        actor=doctor,
        facility=facility,
        program="ASTHMA",
        available=["doctor", "nurse", "oxygen", "nebulizer", "medicines", "exam_room"],
        note="Spirometri melalui RSUD (jejaring)",
    )


def network_plan(
    facility: Facility, program: str, hospital: Facility, readiness: Readiness | None = None
) -> dict[str, letters.ReadinessGapInput]:
    """Every resource the puskesmas lacks for the programme, provided by the hospital's
    network (BAB III.A), as the doctor records it at acceptance. ``readiness``: the
    puskesmas's checklist for the programme, when already read."""
    readiness = readiness or facility_readiness_of(facility_id=facility.pk, program=program)
    return {
        code: letters.ReadinessGapInput(network_facility=f"{hospital.name} (jejaring)")
        for code, _text, available in readiness.items
        if not available
    }


def _letter(
    doctor: Any,
    facility: Facility,
    hospital: Facility,
    patient: Patient,
    srb: str,
    program: str,
    letter_date: dt.date,
    facts: dict[str, Any],
) -> BackReferralLetter:
    icd10, _facts, (name, strength), signa, quantity = PROGRAMS[program]
    medicine = _medicine(name, strength)
    lines = (
        [letters.LetterMedicineInput(medicine=medicine, signa=signa, quantity_per_month=quantity)]
        if medicine
        else []
    )
    return letters.letter_receive(
        actor=doctor,
        letter=letters.LetterInput(
            facility=facility,
            hospital=hospital,
            dpjp_name="dr. Rahmat Hasibuan, Sp.PD" if program == "DM" else "dr. Lina Purba, Sp.JP",
            srb_number=srb,
            sep_number=f"0038R001{letter_date:%m%y}V{srb[-4:]}",
            letter_date=letter_date,
            patient=letters.PatientInput.of(patient),
            program=program,
            icd10=icd10,
            attestations=ATTESTED,
            clinical_resume="Kondisi stabil, target terapi tercapai.",
            management_plan="Lanjutkan terapi, kontrol bulanan di puskesmas.",
            facts=facts,
            medicines=lines,
        ),
    )


def _visits(doctor: Any, case: PrbCase, rng: random.Random, today: dt.date, rising: bool) -> None:
    day = case.enrolled_on + dt.timedelta(days=30)
    month = 0
    while day < today:
        month += 1
        facts: dict[str, Any]
        if case.program == "DM":
            hba1c = 6.4 + rng.random() * 0.5 + (0.7 * month if rising else 0)
            facts = {"fpg_mg_dl": float(rng.randint(95, 128))}
            if month % 3 == 0 or rising:
                facts["hba1c_percent"] = round(min(hba1c, 12.0), 1)
        else:
            facts = {"sbp": float(rng.randint(118, 138)), "dbp": float(rng.randint(72, 88))}
        lines = [
            visits.VisitLineInput(
                medicine=Medicine.objects.get(pk=entry["medicine"]),
                quantity=entry["quantity"],
                signa=entry["signa"],
            )
            for entry in case.current_regimen
        ]
        visit = visits.visit_record(
            actor=doctor,
            case=case,
            visit_date=day,
            adherence="good" if rng.random() < 0.8 else "partial",
            facts=facts,
            lines=lines,
        )
        case.refresh_from_db()
        if visit.outcome == "re_refer" and case.in_care:
            visits.rereferral_create(
                actor=doctor,
                case=case,
                hospital=Facility.objects.filter(kind=Facility.Kind.RUMAH_SAKIT).first(),  # type: ignore[arg-type]
                referred_on=day,
                clause_ids=[c["id"] for c in visit.triggered],
                visit=visit,
            )
            return
        day += dt.timedelta(days=30)


def seed(world: DemoWorld) -> None:
    hospitals = [f for f in world.others if f.kind == Facility.Kind.RUMAH_SAKIT]
    if not hospitals:
        return
    today = timezone.localdate()
    rng = random.Random(1645)
    doctors = [world.users.get("dokter.pkm1"), world.users.get("dokter.pkm2")]
    nurse = world.users.get("perawat.pkm1")
    for index, (facility, doctor) in enumerate(zip(world.puskesmas[:2], doctors, strict=True)):
        if doctor is None:
            continue
        with audit_context(user=doctor):
            _readiness(doctor, facility)
            hospital = hospitals[index % len(hospitals)]
            patients = list(
                Patient.objects.filter(fktp=facility).order_by("id")[:LETTERS_PER_PUSKESMAS]
            )
            for number, patient in enumerate(patients, start=1):
                srb = f"0038R001{index + 1:02d}{number:04d}"
                if BackReferralLetter.objects.filter(srb_number=srb).exists():
                    continue
                program = "DM" if number % 2 else "HT"
                facts = dict(PROGRAMS[program][1])
                months_ago = 2 + number % 5
                letter_date = add_months_same_day(today, -months_ago)
                if number == 3:
                    facts.pop("ecg_normal", None)  # incomplete: accepted with an override
                letter = _letter(
                    doctor, facility, hospital, patient, srb, program, letter_date, facts
                )
                if number in (11, 12):
                    continue  # waiting in the inbox
                if number == 10:
                    letters.letter_return(
                        actor=doctor,
                        letter=letter,
                        reasons="Hasil EKG belum dilampirkan; mohon dilengkapi.",
                    )
                    continue
                case = letters.letter_accept(
                    actor=doctor,
                    letter=letter,
                    on=letter_date + dt.timedelta(days=3),
                    override_reason="Hasil EKG menyusul dari RS." if number == 3 else "",
                    readiness_plan=network_plan(facility, program, hospital),
                )
                _visits(doctor, case, rng, today, rising=number == 5)
                case.refresh_from_db()
                if nurse and index == 0 and case.in_care and number % 3 == 0:
                    visits.contact_attempt_record(
                        actor=nurse,
                        case=case,
                        channel="whatsapp",
                        outcome="agreed",
                        agreed_date=today + dt.timedelta(days=2),
                        note="Pasien minta kontrol hari Kamis.",
                    )
                if index == 0 and patient.pustu_id and case.in_care and number % 4 == 1:
                    visits.home_visit_record(
                        actor=doctor,
                        case=case,
                        visited_on=today - dt.timedelta(days=5),
                        visitor_role="kader",
                        visitor_name="Ibu Sri Wahyuni",
                        findings="Obat diminum teratur, tidak ada keluhan.",
                    )
