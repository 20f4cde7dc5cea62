import datetime as dt

import pytest

from referrals import services
from tests.conftest import TODAY
from tests.referrals.factories import HospitalFactory, enrol, record_visit

__all__ = ["TODAY"]


@pytest.fixture
def letterhead(world):  # type: ignore[no-untyped-def]
    """Puskesmas 1 with its letterhead contacts; dokter1 with a NIP."""
    pkm = world.pkm1
    pkm.address = "Jl. Jend. Sudirman No. 12, Binjai Kota"
    pkm.phone = "(061) 8821234"
    pkm.kemenkes_code = "P1275010101"
    pkm.save()
    world.dokter1.first_name, world.dokter1.last_name = "dr. Rina", "Siregar"
    world.dokter1.nip = "198503122010012003"
    world.dokter1.save()
    return pkm


@pytest.fixture
def rereferred(world, letterhead):  # type: ignore[no-untyped-def]
    """A DM case with one visit (numbers and yes/no facts) re-referred to RSUD Tujuan."""
    case = enrol(world)
    record_visit(
        world,
        case,
        facts={
            "hba1c_percent": 8.2,
            "fpg_mg_dl": 214.0,
            "neuropathy_worsening": True,
            "very_high_cv_risk": False,
        },
    )
    referral = services.rereferral_create(
        actor=world.dokter1,
        case=case,
        hospital=HospitalFactory(regency=world.regency_a, name="RSUD Tujuan"),
        referred_on=dt.date(2026, 11, 6),
        clause_ids=["III.B.1.d.2"],
    )
    return case, referral
