"""Two re-referrals at one puskesmas at the same moment get two letter numbers, not a 500."""

import datetime as dt
import threading

import pytest
from django.db import connection

from referrals import services
from referrals.models import PrbCase, ReReferral
from tests.patients.factories import PatientFactory
from tests.referrals.factories import HospitalFactory, enrol

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("frozen_today")]


def test_two_concurrent_rereferrals_at_one_facility_get_distinct_numbers(world) -> None:
    other_patient = PatientFactory(fktp=world.pkm1, name="Rina Siregar")
    cases = [enrol(world), enrol(world, patient=other_patient, srb="SRB-0002")]
    hospital = HospitalFactory(regency=world.regency_a)
    barrier = threading.Barrier(len(cases))
    errors: list[BaseException] = []
    lock = threading.Lock()

    def rerefer(case: PrbCase) -> None:
        try:
            barrier.wait(timeout=30)
            services.rereferral_create(
                actor=world.dokter1,
                case=case,
                hospital=hospital,
                referred_on=dt.date(2026, 11, 6),
                doctor_reason="HbA1c tidak terkontrol",
            )
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            with lock:
                errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=rerefer, args=(case,)) for case in cases]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    code = world.pkm1.kemenkes_code
    numbers = sorted(
        ReReferral.objects.filter(case__in=cases).values_list("letter_number", flat=True)
    )
    assert numbers == [f"RU/{code}/2026/0001", f"RU/{code}/2026/0002"]
