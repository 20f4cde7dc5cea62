"""Medicine balance across the district (KMK III.C.5): shortage, excess, transfers."""

import datetime as dt

import pytest
from django.urls import reverse

from dashboards import selectors
from pharmacy import services as pharmacy
from tests.patients.factories import PatientFactory
from tests.pharmacy.factories import MedicineFactory, StoreFactory

URL = reverse("dashboards:medicine_balance")


@pytest.fixture
def stock(world, frozen_today):  # type: ignore[no-untyped-def]
    medicine = MedicineFactory(name="Metformin Dasbor", is_tracer=True)
    patient3 = PatientFactory(fktp=world.pkm3)
    dokter3 = type(world.dokter1).objects.create(
        username="dokter3", role="dokter", facility=world.pkm3
    )
    for facility, received, used, patient, doctor in [
        (world.pkm1, 100, 90, world.patient1, world.dokter1),
        (world.pkm2, 500, 30, world.patient2, world.dokter2),
        (world.pkm3, 900, 30, patient3, dokter3),
    ]:
        store = StoreFactory(facility=facility)
        pharmacy.stock_receive(
            actor=doctor,
            store=store,
            received_on=dt.date(2026, 9, 1),
            lines=[
                pharmacy.ReceiptLineInput(
                    medicine, f"B{facility.pk}", dt.date(2028, 1, 31), received
                )
            ],
        )
        prescription = pharmacy.prescription_create(
            actor=doctor,
            patient=patient,
            prescribed_on=dt.date(2026, 10, 1),
            lines=[pharmacy.PrescriptionLineInput(medicine=medicine, quantity=used, signa="1x1")],
        )
        pharmacy.stock_dispense(
            actor=doctor, prescription=prescription, store=store, dispensed_on=dt.date(2026, 10, 1)
        )
    return medicine


def test_shortage_and_excess_make_a_transfer_within_the_regency(world, stock, frozen_today):
    rows, transfers = selectors.medicine_balance(
        puskesmas=[world.pkm1, world.pkm2], as_of=frozen_today, tracer_only=True
    )
    states = {(row.facility.name, row.state): row for row in rows}
    short = states[("Puskesmas Satu", "shortage")]
    assert (short.usable, short.monthly_use, short.quantity) == (10, 30, 50)
    extra = states[("Puskesmas Dua", "excess")]
    assert (extra.usable, extra.monthly_use, extra.quantity) == (470, 10, 450)
    assert [(t.source, t.destination, t.quantity) for t in transfers] == [
        (world.pkm2, world.pkm1, 50)
    ]


def test_the_page_shows_the_officer_s_regency_only(world, stock, login):
    html = login(world.dinkes_a).get(URL, {"tracer": "1"}).content.decode()
    assert "Usulan mutasi obat" in html and "Kekurangan" in html and "Kelebihan" in html
    assert "Puskesmas Tiga" not in html
    assert "<td>50</td>" in html
    csv_text = login(world.dinkes_a).get(URL, {"export": "csv", "table": "transfers"}).content
    lines = csv_text.decode("utf-8-sig").splitlines()
    assert lines[0] == "Obat,Dari puskesmas,Ke puskesmas,Jumlah"
    assert lines[1].endswith(",Puskesmas Dua,Puskesmas Satu,50")
    other = login(world.dinkes_b).get(URL).content.decode()
    assert "Puskesmas Satu" not in other and "Tidak perlu mutasi." in other


def test_a_past_period_reads_the_stock_and_use_of_its_last_day(world, stock, frozen_today):
    """September: the 100 units received on 1 September were all still held, nothing used yet."""
    rows, transfers = selectors.medicine_balance(
        puskesmas=[world.pkm1, world.pkm2], as_of=dt.date(2026, 9, 30), tracer_only=True
    )
    assert {(r.facility.name, r.state, r.usable, r.monthly_use) for r in rows} == {
        ("Puskesmas Satu", "excess", 100, 0),
        ("Puskesmas Dua", "excess", 500, 0),
    }
    assert transfers == []


def test_the_period_filter_reaches_the_page_and_both_exports(world, stock, login, frozen_today):
    client = login(world.dinkes_a)
    html = client.get(URL, {"tracer": "1", "period": "2026-09"}).content.decode()
    assert '<option value="2026-09" selected>' in html
    assert "30/09/2026" in html and "Tidak perlu mutasi." in html
    assert "period=2026-09" in html  # the export links keep the period
    for fmt in ("csv", "xlsx"):
        response = client.get(
            URL,
            {"tracer": "1", "period": "2026-09", "state": "excess", "export": fmt},
        )
        disposition = response["Content-Disposition"]
        assert "kelebihan" in disposition and "2026-09-30" in disposition, disposition
    csv_rows = (
        client.get(URL, {"tracer": "1", "period": "2026-09", "export": "csv", "table": "balance"})
        .content.decode("utf-8-sig")
        .splitlines()
    )
    assert sorted(line.split(",")[1:4] for line in csv_rows[1:]) == [
        ["Puskesmas Dua", "Kelebihan", "500"],
        ["Puskesmas Satu", "Kelebihan", "100"],
    ]
    now = client.get(URL, {"tracer": "1", "export": "csv", "table": "balance"})
    assert f"{frozen_today:%Y-%m-%d}" in now["Content-Disposition"]
    assert any(
        ",Puskesmas Satu,Kekurangan,10," in line
        for line in now.content.decode("utf-8-sig").splitlines()
    )
