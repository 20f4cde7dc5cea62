import datetime as dt

import factory

from demo.seed_referrals import ATTESTED, DM_FACTS
from facilities.models import Facility
from pharmacy.models import Medicine
from referrals import kmk, services
from tests.facilities.factories import FacilityFactory


class HospitalFactory(FacilityFactory):
    kind = Facility.Kind.RUMAH_SAKIT
    name = factory.Sequence(lambda n: f"RSUD Uji {n}")


class FormularyMedicineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Medicine
        django_get_or_create = ["name", "strength", "form"]

    name = "Metformin"
    strength = "500 mg"
    form = "tablet"
    max_quantity_per_month = 90
    programs = factory.LazyFunction(lambda: ["DM"])


def basal_insulin(name, strength, *, form, max_per_month):
    """A basal insulin of the formulary: the dose rules of ``rule_group="basal_insulin"`` apply."""
    return FormularyMedicineFactory(
        name=name,
        strength=strength,
        form=form,
        rule_group="basal_insulin",
        max_quantity_per_month=max_per_month,
    )


def insulin_line(insulin, *, pens, units_per_day):
    """A visit's prescription line of ``pens`` pens for ``units_per_day`` IU once a day."""
    return services.VisitLineInput(
        medicine=insulin, quantity=pens, signa=f"1x{units_per_day} IU", daily_dose=units_per_day
    )


# Facts of a DM patient who meets every II.B.1 criterion: the demo's stable DM patient,
# with the round values the tests compare against.
DM_ELIGIBLE_FACTS = {
    **DM_FACTS,
    "hba1c_percent": 6.5,
    "fpg_mg_dl": 150.0,
    "ppg2h_mg_dl": 200.0,
    "egfr": 90.0,
    "sbp": 128.0,
    "dbp": 80.0,
    "ldl_mg_dl": 90.0,
}
ALL_ATTESTED = ATTESTED


def receive_letter(world, *, srb="SRB-0001", patient=None, facts=None, program="DM", **extra):
    """A DM letter for world.patient1 received at pkm1 through the service."""
    patient = patient or world.patient1
    hospital = extra.pop("hospital", None) or HospitalFactory(regency=world.regency_a)
    medicines = extra.pop("medicines", None)
    if medicines is None:
        medicines = [
            services.LetterMedicineInput(
                medicine=FormularyMedicineFactory(), signa="3x1", quantity_per_month=90
            )
        ]
    return services.letter_receive(
        actor=world.dokter1,
        letter=services.LetterInput(
            facility=patient.fktp,
            hospital=hospital,
            dpjp_name="dr. Ahmad, Sp.PD",
            srb_number=srb,
            letter_date=extra.pop("letter_date", dt.date(2026, 10, 1)),
            patient=services.PatientInput.of(patient),
            program=program,
            icd10=extra.pop("icd10", "E11.9"),
            attestations=extra.pop("attestations", ALL_ATTESTED),
            facts=DM_ELIGIBLE_FACTS if facts is None else facts,
            medicines=medicines,
            **extra,
        ),
    )


def make_ready(facility, program, actor):
    """The puskesmas has every resource of the programme (III.B.x.b), so acceptance asks
    for no readiness plan."""
    services.readiness_update(
        actor=actor,
        facility=facility,
        program=program,
        available=[code for code, _text in kmk.RESOURCES[program]],
    )


VISIT_DAY = dt.date(2026, 11, 5)


def record_visit(world, case, *, on=VISIT_DAY, **fields):
    """A control visit recorded by dokter1 (adherence good unless ``fields`` say otherwise)."""
    fields.setdefault("adherence", "good")
    return services.visit_record(actor=world.dokter1, case=case, visit_date=on, **fields)


def enrol(world, **kwargs):
    letter = receive_letter(world, **kwargs)
    make_ready(letter.facility, letter.program, world.dokter1)
    return services.letter_accept(actor=world.dokter1, letter=letter, on=dt.date(2026, 10, 5))
