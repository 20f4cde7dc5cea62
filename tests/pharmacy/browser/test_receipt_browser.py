"""Done when (issue 14): the many-lot delivery in one submit, rows added without reloading."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from pharmacy.models import StockCardLine
from tests.accounts.factories import PASSWORD
from tests.pharmacy.factories import MedicineFactory, StoreFactory
from tests.support.browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_delivery_of_three_lots_in_one_submit(world, page) -> None:
    metformin = MedicineFactory(name="Metformin Uji", strength="500 mg")
    amlodipine = MedicineFactory(name="Amlodipin Uji", strength="10 mg")
    store = StoreFactory(facility=world.pkm1, name="Gudang PRB Satu")
    soon = (dt.date.today() + dt.timedelta(days=30)).isoformat()

    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, "farmasi1", PASSWORD)
    page.wait_for_url("**/")
    page.goto(f"/farmasi/gudang/{store.pk}/terima/")
    page.get_by_label("Sumber").select_option("ifk")
    page.get_by_label("Pemasok").fill("IFK Kota Uji")
    page.get_by_label("Nomor dokumen").fill("SBBK/88")
    page.evaluate("window.samePage = true")  # gone if the page reloads
    lots = [
        (metformin, "M-1", "2030-03-31", "100"),
        (metformin, "M-2", "2030-06-30", "50"),
        (amlodipine, "A-1", "2030-01-31", "30"),
    ]
    for row, (medicine, batch, expiry, quantity) in enumerate(lots, start=1):
        if row > 1:
            page.get_by_role("button", name="Tambah baris").click()
        page.get_by_label(f"Obat (baris {row})").select_option(label=str(medicine))
        page.get_by_label(f"Nomor batch (baris {row})").fill(batch)
        expiry_field = page.get_by_label(f"Tanggal kedaluwarsa (baris {row})")
        if row == 3:  # a near expiry is flagged as it is typed, before saving
            expiry_field.fill(soon)
            expiry_field.dispatch_event("change")
            expect(page.get_by_text("Kedaluwarsa dalam 30 hari.")).to_be_visible()
        expiry_field.fill(expiry)
        expiry_field.dispatch_event("change")
        page.get_by_label(f"Jumlah (baris {row})").fill(quantity)
    assert page.evaluate("window.samePage") is True
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    page.get_by_role("button", name="Simpan penerimaan").click()
    page.wait_for_url(f"**/farmasi/gudang/{store.pk}/")
    expect(page.get_by_text("Penerimaan 3 lot tercatat di kartu stok.")).to_be_visible()
    card = StockCardLine.objects.order_by("id")
    assert [c.lot.batch for c in card] == ["M-1", "M-2", "A-1"]
    assert {c.reference for c in card} == {"SBBK/88"}
