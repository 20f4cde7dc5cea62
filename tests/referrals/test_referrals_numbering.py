"""Two re-referrals at one puskesmas at the same moment get two letter numbers, not a 500."""

import datetime as dt

import pytest

from referrals import services
from referrals.models import PrbCase, ReReferral
from tests.patients.factories import PatientFactory
from tests.referrals.factories import HospitalFactory, enrol
from tests.support.concurrency import run_together

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("frozen_today")]


def test_two_concurrent_rereferrals_at_one_facility_get_distinct_numbers(world) -> None:
    other_patient = PatientFactory(fktp=world.pkm1, name="Rina Siregar")
    cases = [enrol(world), enrol(world, patient=other_patient, srb="SRB-0002")]
    hospital = HospitalFactory(regency=world.regency_a)

    def rerefer(case: PrbCase) -> None:
        services.rereferral_create(
            actor=world.dokter1,
            case=case,
            hospital=hospital,
            referred_on=dt.date(2026, 11, 6),
            doctor_reason="HbA1c tidak terkontrol",
        )

    assert run_together(rerefer, cases).errors == []
    code = world.pkm1.kemenkes_code
    numbers = sorted(
        ReReferral.objects.filter(case__in=cases).values_list("letter_number", flat=True)
    )
    assert numbers == [f"RU/{code}/2026/0001", f"RU/{code}/2026/0002"]
