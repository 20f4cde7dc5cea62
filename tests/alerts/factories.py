import factory

from alerts.models import Alert


class AlertFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Alert

    facility = factory.SubFactory("tests.facilities.factories.FacilityFactory")
    roles = factory.LazyFunction(lambda: ["dokter", "perawat", "admin"])
    kind = Alert.Kind.CONTROL_OVERDUE
    key = factory.Sequence(lambda n: f"key-{n}")
    title = factory.Sequence(lambda n: f"Kontrol terlambat {n}")
