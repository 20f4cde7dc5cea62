import datetime as dt

import pytest

from pharmacy import services
from pharmacy.models import Store
from tests.pharmacy.factories import LotFactory, MedicineFactory, StoreFactory

TODAY = dt.date(2026, 11, 20)


@pytest.fixture(autouse=True)
def _fixed_today(request):  # type: ignore[no-untyped-def]
    """Service dates are checked against today; pin it (browser tests use the real clock)."""
    if request.node.get_closest_marker("browser"):
        yield
        return
    import time_machine

    with time_machine.travel(dt.datetime(2026, 11, 20, 10, 0), tick=True):
        yield


@pytest.fixture
def store1(world) -> Store:  # type: ignore[no-untyped-def]
    return StoreFactory(facility=world.pkm1, name="Gudang PRB Satu")


@pytest.fixture
def store2(world) -> Store:  # type: ignore[no-untyped-def]
    return StoreFactory(facility=world.pkm2, name="Gudang PRB Dua")


@pytest.fixture
def metformin():  # type: ignore[no-untyped-def]
    return MedicineFactory(name="Metformin Uji", strength="500 mg", max_quantity_per_month=90)


def receive(store, medicine, quantity, *, user, on=TODAY, batch=None, expiry=dt.date(2028, 1, 31)):  # type: ignore[no-untyped-def]
    lot = LotFactory.build(medicine=medicine)
    return services.stock_receive(
        actor=user,
        store=store,
        received_on=on,
        lines=[
            services.ReceiptLineInput(
                medicine=medicine,
                batch=batch or lot.batch,
                expiry_date=expiry,
                quantity=quantity,
            )
        ],
        source="ifk",
        supplier="IFK Kota Uji",
        reference="SBBK/001",
    )[0]


def prescribe(world, patient, medicine, quantity, *, on=TODAY):  # type: ignore[no-untyped-def]
    return services.prescription_create(
        actor=world.dokter1 if patient == world.patient1 else world.dokter2,
        patient=patient,
        prescribed_on=on,
        lines=[services.PrescriptionLineInput(medicine=medicine, quantity=quantity, signa="3x1")],
    )
