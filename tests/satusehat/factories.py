"""A PRB case with everything SATUSEHAT gets: enrolment, a visit with a prescription, a
dispense and a re-referral, made through the services like the puskesmas would."""

from __future__ import annotations

import datetime as dt
from typing import Any

from demo.seed_district import BACK_REFERRAL_FACTS, REGIMEN
from patients.models import Patient
from pharmacy import services as pharmacy_services
from pharmacy.models import Medicine, StockCardLine, Store
from referrals import services
from referrals.models import ControlVisit, PrbCase, ReReferral
from satusehat.models import SatusehatSettings
from tests.patients.factories import PatientFactory
from tests.referrals.factories import HospitalFactory, make_ready, receive_letter, record_visit
from tests.support import satusehat_fake

SECRET = "rahasia-xyz"

# Measurements of a controlled patient; a visit records those its programme takes.
MEASURED = {
    "sbp": 128.0,
    "dbp": 80.0,
    "resting_hr": 72.0,
    "fpg_mg_dl": 110.0,
    "hba1c_percent": 6.8,
    "ldl_mg_dl": 95.0,
}


def sending_settings(facility: Any, *, fake: Any = None) -> SatusehatSettings:
    """``facility`` sends to SATUSEHAT: to the loopback ``fake`` when given (its roots and
    credentials), else to the default roots, which nothing answers in a test run."""
    if fake is None:
        roots: dict[str, str] = {}
        ids = ("10000004", "loc-1", "id", SECRET)
    else:
        roots = {"auth_root": fake.url, "fhir_root": fake.url}
        ids = (
            satusehat_fake.ORGANIZATION_ID,
            satusehat_fake.LOCATION_ID,
            satusehat_fake.CLIENT_ID,
            satusehat_fake.CLIENT_SECRET,
        )
    organization_id, location_id, client_id, client_secret = ids
    return SatusehatSettings.objects.create(
        facility=facility,
        is_enabled=True,
        organization_id=organization_id,
        location_id=location_id,
        client_id=client_id,
        client_secret=client_secret,
        **roots,
    )


def visit_facts(program: str) -> dict[str, Any]:
    from eligibility.rules import program_fact_specs

    known = {spec.name for spec in program_fact_specs(program, "re_referral")}  # type: ignore[arg-type]
    return {fact: value for fact, value in MEASURED.items() if fact in known}


def medicine_for(program: str) -> Medicine:
    """The programme's regimen medicine, with a KFA code."""
    _icd, name, strength, _signa, _quantity = REGIMEN[program]
    medicine, _ = Medicine.objects.get_or_create(
        name=name,
        strength=strength,
        form="tablet",
        defaults={
            "programs": [program],
            "max_quantity_per_month": 120,
            "unit": "tablet",
        },
    )
    if not medicine.kfa_code:
        medicine.kfa_code = "93001234"
        medicine.save(update_fields=["kfa_code"])
    return medicine


def enrolled_case(
    world: Any, program: str, *, patient: Patient | None = None, registered_with: Any = None
) -> PrbCase:
    """A case enrolled from an accepted letter; ``registered_with`` a SATUSEHAT fake that
    should know the patient."""
    icd10, _name, _strength, signa, quantity = REGIMEN[program]
    patient = patient or PatientFactory(
        fktp=world.pkm1, sex="F", birth_date=dt.date(1980, 3, 14), name=f"Pasien {program}"
    )
    if registered_with is not None:
        registered_with.add_patient(patient.nik, f"P{patient.pk:011d}")
    letter = receive_letter(
        world,
        srb=f"SRB-{program}-{patient.pk}",
        patient=patient,
        facts=dict(BACK_REFERRAL_FACTS[program]),
        program=program,
        icd10=icd10,
        letter_date=dt.date(2026, 9, 1),
        medicines=[
            services.LetterMedicineInput(
                medicine=medicine_for(program), signa=signa, quantity_per_month=quantity
            )
        ],
    )
    make_ready(letter.facility, program, world.dokter1)
    return services.letter_accept(
        actor=world.dokter1, letter=letter, on=dt.date(2026, 9, 5), override_reason="Uji."
    )


def control_visit(world: Any, case: PrbCase, *, on: dt.date = dt.date(2026, 10, 5)) -> ControlVisit:
    """A control visit that renews the case's regimen (the month's prescription)."""
    return record_visit(
        world,
        case,
        on=on,
        facts=visit_facts(case.program),
        weight_kg="63.5",
        height_cm="158.0",
        lines=[
            services.VisitLineInput(
                medicine=Medicine.objects.get(pk=entry["medicine"]),
                quantity=entry["quantity"],
                signa=entry["signa"],
            )
            for entry in case.current_regimen
        ],
    )


def dispense(world: Any, visit: ControlVisit) -> list[StockCardLine]:
    assert visit.prescription is not None
    store, _ = Store.objects.get_or_create(
        facility=world.pkm1, kind=Store.Kind.PRB, defaults={"name": "Gudang PRB"}
    )
    for line in visit.prescription.lines.all():
        pharmacy_services.stock_receive(
            actor=world.farmasi1,
            store=store,
            received_on=visit.visit_date,
            lines=[
                pharmacy_services.ReceiptLineInput(
                    medicine=line.medicine,
                    batch=f"B-{line.pk}",
                    expiry_date=dt.date(2029, 1, 31),
                    quantity=line.quantity,
                )
            ],
        )
    result = pharmacy_services.stock_dispense(
        actor=world.farmasi1, prescription=visit.prescription, dispensed_on=visit.visit_date
    )
    return result.card_lines


def rereferral(world: Any, case: PrbCase, visit: ControlVisit) -> ReReferral:
    return services.rereferral_create(
        actor=world.dokter1,
        case=case,
        hospital=HospitalFactory(regency=world.regency_a),
        referred_on=visit.visit_date,
        doctor_reason="Keluhan memberat, perlu evaluasi dokter spesialis.",
        visit=visit,
    )
