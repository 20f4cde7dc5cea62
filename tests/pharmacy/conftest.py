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


def dispense(world, store, medicine, quantity, on):  # type: ignore[no-untyped-def]
    """``quantity`` prescribed to patient 1 on ``on`` and dispensed from ``store`` that day."""
    prescription = prescribe(world, world.patient1, medicine, quantity, on=on)
    return services.stock_dispense(
        actor=world.farmasi1, prescription=prescription, store=store, dispensed_on=on
    )


def ten_in_eight_out(world, store, medicine, *, dispensed_on):  # type: ignore[no-untyped-def]
    """A lot of 10 received on 1 November, 8 of it dispensed on ``dispensed_on``: 2 left."""
    lot = receive(store, medicine, 10, user=world.farmasi1, on=dt.date(2026, 11, 1)).lot
    dispense(world, store, medicine, 8, dispensed_on)
    return lot


def use_in_october(world, store, medicine, used):  # type: ignore[no-untyped-def]
    """October 2026 at puskesmas 1: 100 received on the 1st, ``used`` dispensed on the 3rd."""
    receive(store, medicine, 100, user=world.farmasi1, on=dt.date(2026, 10, 1))
    dispense(world, store, medicine, used, dt.date(2026, 10, 3))


@pytest.fixture
def october(world, store1, metformin) -> None:  # type: ignore[no-untyped-def]
    use_in_october(world, store1, metformin, 40)


# ABC by investment over October, with the usual 70/20/10 cut.
ABC_OCTOBER = {
    "start": "2026-10-01",
    "end": "2026-10-31",
    "basis": "investment",
    "cut_a": 70,
    "cut_b": 20,
    "cut_c": 10,
}


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


def receive_more(store, lot, quantity, *, user, on):  # type: ignore[no-untyped-def]
    """More of an existing lot (its batch and expiry) received on ``on``."""
    return receive(
        store, lot.medicine, quantity, user=user, on=on, batch=lot.batch, expiry=lot.expiry_date
    )


def receive_expired(store, medicine, quantity, *, user, batch=None, expiry=dt.date(2026, 9, 30)):  # type: ignore[no-untyped-def]
    """A lot received in January that has expired by ``TODAY`` (for quarantine and destruction)."""
    return receive(
        store, medicine, quantity, user=user, on=dt.date(2026, 1, 5), batch=batch, expiry=expiry
    )


def prescribe(world, patient, medicine, quantity, *, on=TODAY):  # type: ignore[no-untyped-def]
    return services.prescription_create(
        actor=world.dokter1 if patient == world.patient1 else world.dokter2,
        patient=patient,
        prescribed_on=on,
        lines=[services.PrescriptionLineInput(medicine=medicine, quantity=quantity, signa="3x1")],
    )


def destroy(  # type: ignore[no-untyped-def]
    world, store, lot, quantity, *, reason="expired", witnesses="Kepala Puskesmas\nPetugas Dinkes"
):
    """Destroy ``quantity`` of ``lot`` from ``store`` at puskesmas 1 today, with a BAP."""
    return services.destruction_create(
        actor=world.farmasi1,
        facility=world.pkm1,
        destroyed_on=TODAY,
        method="incineration",
        place="Halaman puskesmas",
        witnesses=witnesses,
        lines=[
            services.DestructionLineInput(store=store, lot=lot, quantity=quantity, reason=reason)
        ],
    )
