"""The shared world (STYLE.md 10): staff at the patient's puskesmas and at another one.

Regency A holds puskesmas 1 (with a Pustu) and puskesmas 2; regency B holds puskesmas 3.
"""

import datetime as dt
import os
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pytest

from accounts.models import User
from facilities.models import Facility, Regency
from patients.models import Patient
from tests.accounts.factories import UserFactory
from tests.facilities.factories import FacilityFactory, PustuFactory, RegencyFactory
from tests.patients.factories import PatientFactory
from tests.support.browser import browser, page  # noqa: F401  (Playwright, one per session)

# Playwright's sync API runs an event loop in the test thread; the Django ORM calls made
# by the tests themselves are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# The day the tests live on unless a folder or module says otherwise (``pytest.mark.today``).
TODAY = dt.date(2026, 11, 10)


def nine_in_jakarta(day: dt.date) -> dt.datetime:
    """09:00 on ``day`` in Asia/Jakarta: the moment a frozen test day stands at."""
    return dt.datetime.combine(day, dt.time(9), tzinfo=ZoneInfo("Asia/Jakarta"))


@pytest.fixture
def frozen_today(request, time_machine) -> dt.date:  # type: ignore[no-untyped-def]
    """The one frozen "today": 09:00 in Asia/Jakarta, where every date rule of PRB is counted.

    ``@pytest.mark.today(date)`` picks another day (the dashboards' and pharmacy's
    hand-computed examples sit on 20 November); ``tick=True`` lets the clock run from there.
    """
    marker = request.node.get_closest_marker("today")
    today = marker.args[0] if marker else TODAY
    tick = bool(marker and marker.kwargs.get("tick"))
    time_machine.move_to(nine_in_jakarta(today), tick=tick)
    return today


@dataclass
class World:
    regency_a: Regency
    regency_b: Regency
    pkm1: Facility
    pustu1: Facility
    pkm2: Facility
    pkm3: Facility
    dokter1: User
    perawat1: User
    pustu_staff1: User
    farmasi1: User
    admin1: User
    dokter2: User
    farmasi2: User
    dinkes_a: User
    dinkes_b: User
    patient1: Patient
    patient2: Patient


@pytest.fixture
def world(db: None) -> World:
    return build_world()


def build_world() -> World:
    """The world itself, for a fixture of wider scope that opens the database itself."""
    regency_a, regency_b = RegencyFactory(), RegencyFactory()
    pkm1 = FacilityFactory(regency=regency_a, name="Puskesmas Satu")
    pustu1 = PustuFactory(parent=pkm1, name="Pustu Satu")
    pkm2 = FacilityFactory(regency=regency_a, name="Puskesmas Dua")
    pkm3 = FacilityFactory(regency=regency_b, name="Puskesmas Tiga")
    return World(
        regency_a=regency_a,
        regency_b=regency_b,
        pkm1=pkm1,
        pustu1=pustu1,
        pkm2=pkm2,
        pkm3=pkm3,
        dokter1=UserFactory(username="dokter1", role=User.Role.DOKTER, facility=pkm1),
        perawat1=UserFactory(username="perawat1", role=User.Role.PERAWAT, facility=pkm1),
        pustu_staff1=UserFactory(username="pustu1", role=User.Role.PUSTU, facility=pustu1),
        farmasi1=UserFactory(username="farmasi1", role=User.Role.FARMASI, facility=pkm1),
        admin1=UserFactory(username="admin1", role=User.Role.ADMIN, facility=pkm1, is_staff=True),
        dokter2=UserFactory(username="dokter2", role=User.Role.DOKTER, facility=pkm2),
        farmasi2=UserFactory(username="farmasi2", role=User.Role.FARMASI, facility=pkm2),
        dinkes_a=UserFactory(username="dinkes_a", role=User.Role.DINKES, regency=regency_a),
        dinkes_b=UserFactory(username="dinkes_b", role=User.Role.DINKES, regency=regency_b),
        patient1=PatientFactory(fktp=pkm1, pustu=pustu1, name="Siti Lubis"),
        patient2=PatientFactory(fktp=pkm2, name="Budi Nasution"),
    )


@pytest.fixture(autouse=True)
def _celery_eager() -> None:
    from prb.celery import app

    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True


@pytest.fixture
def login(client):  # type: ignore[no-untyped-def]
    def _login(user: User):  # type: ignore[no-untyped-def]
        client.force_login(user)
        return client

    return _login
