import datetime as dt
from decimal import Decimal

import pytest

from facilities.models import Facility
from pharmacy import services as pharmacy
from referrals.models import BackReferralLetter
from tests.conftest import World
from tests.facilities.factories import FacilityFactory
from tests.pharmacy.conftest import receive
from tests.pharmacy.factories import StoreFactory
from tests.referrals.factories import enrol, record_visit
from tests.support.bpjs_fake import bpjs_fake  # noqa: F401

SEP = "0301R0011125V000456"


@pytest.fixture
def hospital(world: World) -> Facility:
    """The referring hospital, known to BPJS by its provider code."""
    return FacilityFactory(
        regency=world.regency_a,
        kind=Facility.Kind.RUMAH_SAKIT,
        name="RSUD Djoelham",
        bpjs_code="0301R001",
    )


@pytest.fixture
def dispensed(world: World):  # type: ignore[no-untyped-def]
    """A DM case whose November prescription was dispensed from the PRB store."""
    from referrals import services as referrals
    from tests.referrals.factories import FormularyMedicineFactory

    metformin = FormularyMedicineFactory(price=Decimal("150"))
    case = enrol(world)
    store = StoreFactory(facility=world.pkm1, name="Gudang PRB Satu")
    receive(store, metformin, 500, user=world.farmasi1, on=dt.date(2026, 11, 1))
    visit = record_visit(
        world, case, lines=[referrals.VisitLineInput(medicine=metformin, quantity=90, signa="3x1")]
    )
    pharmacy.stock_dispense(
        actor=world.farmasi1,
        prescription=visit.prescription,
        store=store,
        dispensed_on=dt.date(2026, 11, 6),
    )
    BackReferralLetter.objects.filter(case=case).update(sep_number=SEP)
    return visit.prescription
