import datetime as dt

import factory

from patients.models import Patient
from patients.validators import nik_birth_part


class PatientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Patient

    name = factory.Sequence(lambda n: f"Pasien Uji {n}")
    sex = Patient.Sex.MALE
    birth_date = dt.date(1968, 4, 2)
    nik = factory.LazyAttributeSequence(
        lambda p, n: f"127501{nik_birth_part(sex=p.sex, birth_date=p.birth_date)}{n % 10000:04d}"
    )
    bpjs_number = factory.Sequence(lambda n: f"{n:013d}")
    fktp = factory.SubFactory("tests.facilities.factories.FacilityFactory")
