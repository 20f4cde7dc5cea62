import datetime as dt
from pathlib import Path

import pytest

from pharmacy import services
from pharmacy.models import Store
from tests.pharmacy.factories import LotFactory, MedicineFactory, StoreFactory

TODAY = dt.date(2026, 11, 20)


HERE = Path(__file__).parent


def pytest_collection_modifyitems(items):  # type: ignore[no-untyped-def]
    """Service dates are checked against today: 20 November 2026, the clock running."""
    for item in items:
        if HERE in Path(item.path).parents:
            item.add_marker(pytest.mark.today(TODAY, tick=True))


@pytest.fixture(autouse=True)
def _today(request):  # type: ignore[no-untyped-def]
    """The shared ``frozen_today`` for every test here but the browser ones (real clock)."""
    if not request.node.get_closest_marker("browser"):
        request.getfixturevalue("frozen_today")


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
