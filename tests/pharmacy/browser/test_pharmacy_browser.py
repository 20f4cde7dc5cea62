"""Done when: as the pharmacist, receive a lot, dispense a waiting prescription, see it
on the stock card."""

import re

import pytest

from tests.accounts.factories import PASSWORD
from tests.pharmacy.conftest import prescribe
from tests.pharmacy.factories import MedicineFactory, StoreFactory
from tests.support.browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_receive_dispense_and_see_it_on_the_stock_card(world, page) -> None:
    medicine = MedicineFactory(name="Metformin Uji", strength="500 mg", max_quantity_per_month=90)
    store = StoreFactory(facility=world.pkm1, name="Gudang PRB Satu")
    import datetime as dt

    prescribe(world, world.patient1, medicine, 30, on=dt.date.today())

    log_in(page, "farmasi1", PASSWORD)
    page.wait_for_url("**/")
    page.goto(f"/farmasi/gudang/{store.pk}/")
    page.get_by_role("link", name="Terima obat").click()
    page.get_by_label("Obat").select_option(label=str(medicine))
    page.get_by_label("Nomor batch").fill("PW-001")
    page.get_by_label("Tanggal kedaluwarsa").fill("2030-12-31")
    page.get_by_label("Jumlah").fill("100")
    page.get_by_label("Sumber").select_option("ifk")
    page.get_by_label("Nomor dokumen").fill("SBBK/77")
    page.get_by_role("button", name="Simpan penerimaan").click()
    page.wait_for_url(f"**/farmasi/gudang/{store.pk}/")
    assert page.get_by_text("Penerimaan 1 lot tercatat di kartu stok.").is_visible()

    page.goto("/farmasi/")
    row = page.get_by_role("row").filter(has_text="Siti Lubis")
    assert row.get_by_text("Menunggu").is_visible()
    row.get_by_role("link", name="Serahkan obat").click()
    page.get_by_role("button", name="Serahkan obat").click()
    assert page.get_by_text("Obat diserahkan lengkap.").is_visible()

    page.get_by_role("table").last.get_by_role("link", name=re.compile("Metformin Uji")).click()
    assert page.get_by_role("heading", level=1).inner_text() == f"Kartu stok: {medicine}"
    dispensed = page.get_by_role("row").filter(has_text="Diserahkan ke pasien")
    assert dispensed.get_by_role("cell", name="30", exact=True).is_visible()
    assert dispensed.get_by_role("cell", name="70", exact=True).first.is_visible()
    assert dispensed.get_by_text("Siti Lubis").is_visible()
    received = page.get_by_role("row").filter(has_text="Penerimaan")
    assert received.get_by_text("SBBK/77").is_visible()
