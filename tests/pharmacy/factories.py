import datetime as dt

import factory

from pharmacy.models import Lot, Medicine, Store


class MedicineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Medicine

    name = factory.Sequence(lambda n: f"Obat Uji {n}")
    strength = "10 mg"
    form = "tablet"
    price = 100
    programs = factory.LazyFunction(lambda: ["DM"])


class StoreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Store
        django_get_or_create = ["facility", "kind"]

    facility = factory.SubFactory("tests.facilities.factories.FacilityFactory")
    kind = Store.Kind.PRB
    name = "Gudang PRB"


class LotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Lot

    medicine = factory.SubFactory(MedicineFactory)
    batch = factory.Sequence(lambda n: f"B{n:05d}")
    expiry_date = dt.date(2030, 12, 31)
