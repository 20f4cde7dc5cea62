import datetime as dt

import factory

from alerts.models import Alert
from referrals.models import CarePlan, ContactAttempt, ControlVisit, MonitoringItem, PrbCase
from tests.accounts.factories import UserFactory
from tests.patients.factories import PatientFactory


class AlertFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Alert

    facility = factory.SubFactory("tests.facilities.factories.FacilityFactory")
    roles = factory.LazyFunction(lambda: ["dokter", "perawat", "admin"])
    kind = Alert.Kind.CONTROL_OVERDUE
    key = factory.Sequence(lambda n: f"key-{n}")
    title = factory.Sequence(lambda n: f"Kontrol terlambat {n}")


class CaseFactory(factory.django.DjangoModelFactory):
    """A PRB case in care, created directly (the referral workflow is tested in referrals)."""

    class Meta:
        model = PrbCase

    patient = factory.SubFactory(PatientFactory)
    program = "DM"
    facility = factory.LazyAttribute(lambda o: o.patient.fktp)
    status = PrbCase.Status.ACTIVE
    enrolled_on = dt.date(2026, 6, 1)
    baseline_on = dt.date(2026, 6, 1)
    baseline_facts = factory.LazyFunction(dict)
    next_control_date = dt.date(2026, 11, 10)


class VisitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ControlVisit

    case = factory.SubFactory(CaseFactory)
    visit_date = dt.date(2026, 10, 1)
    facts = factory.LazyFunction(dict)
    adherence = "good"
    next_control_date = factory.LazyAttribute(lambda o: o.visit_date + dt.timedelta(days=30))
    outcome = ControlVisit.Outcome.CONTINUE
    recorded_by = factory.SubFactory(UserFactory)


class CarePlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CarePlan

    case = factory.SubFactory(CaseFactory)
    started_on = dt.date(2026, 6, 1)
    created_by = factory.SubFactory(UserFactory)


class MonitoringItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MonitoringItem

    care_plan = factory.SubFactory(CarePlanFactory)
    code = "hba1c"
    label = "HbA1c"
    clause = "III.B.1.a.1"
    due_on = dt.date(2026, 11, 12)


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContactAttempt

    case = factory.SubFactory(CaseFactory)
    attempted_at = factory.LazyFunction(lambda: dt.datetime(2026, 11, 9, 9, 0, tzinfo=dt.UTC))
    channel = "phone"
    outcome = "unreachable"
    by = factory.SubFactory(UserFactory)
