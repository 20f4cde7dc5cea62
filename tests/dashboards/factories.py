"""Cases, visits and letters written directly: the dashboards read whatever the other apps
wrote, so the tests set any date they need (the services refuse future or odd dates)."""

import datetime as dt

import factory

from facilities.models import Facility
from referrals.models import (
    BackReferralLetter,
    FacilityReadiness,
    ReReferral,
)
from tests.accounts.factories import UserFactory
from tests.alerts import factories as alerts
from tests.facilities.factories import FacilityFactory
from tests.patients.factories import PatientFactory


class CaseFactory(alerts.CaseFactory):
    """Enrolled in January with no control date of its own: the figures come from visits."""

    enrolled_on = dt.date(2026, 1, 5)
    baseline_on = factory.SelfAttribute("enrolled_on")
    next_control_date = None


class VisitFactory(alerts.VisitFactory):
    case = factory.SubFactory(CaseFactory)


class HospitalFactory(FacilityFactory):
    kind = Facility.Kind.RUMAH_SAKIT


class ReReferralFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReReferral

    case = factory.SubFactory(CaseFactory)
    hospital = factory.SubFactory(HospitalFactory)
    referred_on = dt.date(2026, 9, 1)
    letter_number = factory.Sequence(lambda n: f"RU/TEST/{n:05d}")
    doctor_reason = "Memburuk"
    created_by = factory.SubFactory(UserFactory)


class LetterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BackReferralLetter

    patient = factory.SubFactory(PatientFactory)
    facility = factory.SelfAttribute("patient.fktp")
    hospital = factory.SubFactory(HospitalFactory)
    dpjp_name = "dr. Uji"
    srb_number = factory.Sequence(lambda n: f"SRB-T-{n:05d}")
    letter_date = dt.date(2026, 11, 2)
    program = "DM"
    icd10 = "E11.9"
    outcome = BackReferralLetter.Outcome.ELIGIBLE
    source = BackReferralLetter.Source.FORM
    fingerprint = factory.Sequence(lambda n: f"{n:064d}")
    received_by = factory.SubFactory(UserFactory)


class ReadinessFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FacilityReadiness

    facility = factory.SubFactory(FacilityFactory)
    program = "DM"
    available = factory.LazyFunction(list)
    updated_by = factory.SubFactory(UserFactory)
