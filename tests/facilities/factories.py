import factory

from facilities.models import Facility, Province, Regency


class ProvinceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Province
        django_get_or_create = ["code"]

    code = "12"
    name = "Sumatera Utara"


class RegencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Regency

    province = factory.SubFactory(ProvinceFactory)
    code = factory.Sequence(lambda n: f"{12 * 100 + 70 + n:04d}")
    name = factory.Sequence(lambda n: f"Kota Uji {n}")


class FacilityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Facility

    regency = factory.SubFactory(RegencyFactory)
    kind = Facility.Kind.PUSKESMAS
    name = factory.Sequence(lambda n: f"Puskesmas Uji {n}")
    kemenkes_code = factory.Sequence(lambda n: f"T{n:06d}")


class PustuFactory(FacilityFactory):
    kind = Facility.Kind.PUSTU
    parent = factory.SubFactory(FacilityFactory)
    regency = factory.SelfAttribute("parent.regency")
    name = factory.Sequence(lambda n: f"Pustu Uji {n}")
