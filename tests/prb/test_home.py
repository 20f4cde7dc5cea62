import datetime as dt

from django.urls import reverse

from tests.alerts.factories import CaseFactory
from tests.patients.factories import PatientFactory


def _tiles(client) -> dict[str, int]:  # type: ignore[no-untyped-def]
    return {tile.label: tile.count for tile in client.get(reverse("home")).context["tiles"]}


def test_the_doctor_sees_todays_work_at_the_own_puskesmas(world, login, frozen_today) -> None:
    today = frozen_today
    CaseFactory(patient=world.patient1, next_control_date=today)
    CaseFactory(
        patient=PatientFactory(fktp=world.pkm1), next_control_date=today - dt.timedelta(days=10)
    )
    CaseFactory(patient=world.patient2, next_control_date=today)
    tiles = _tiles(login(world.dokter1))
    assert tiles["Kontrol jatuh tempo hari ini"] == 1
    assert tiles["Kontrol terlambat"] == 1
    assert tiles["Surat rujuk balik menunggu"] == 0
    assert "Resep untuk diserahkan" not in tiles


def test_the_pharmacist_sees_prescriptions_to_dispense(world, login) -> None:
    tiles = _tiles(login(world.farmasi1))
    assert tiles == {"Resep untuk diserahkan": 0}


def test_dinkes_gets_no_facility_tiles(world, login) -> None:
    assert _tiles(login(world.dinkes_a)) == {}


def test_the_header_names_the_system_administrator_as_such(world, login, django_user_model):  # type: ignore[no-untyped-def]
    root = django_user_model.objects.create_superuser("root", password="x", role="admin")
    header = login(root).get(reverse("home")).content.decode().split('class="who"')[1]
    assert "Administrator sistem" in header.split("</span>")[0]
    facility_admin = login(world.admin1).get(reverse("home")).content.decode()
    who = facility_admin.split('class="who"')[1].split("</span>")[0]
    assert "Admin fasilitas · Puskesmas Satu" in who
