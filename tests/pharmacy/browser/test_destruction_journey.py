"""Done when (issue 14 item 1, issue 11 item 4): the destruction journey in a real browser,
from writing damaged stock off to the printed Berita Acara Pemusnahan."""

import pytest
from playwright.sync_api import expect

from pharmacy.models import Destruction
from tests.accounts.factories import PASSWORD
from tests.pharmacy.conftest import receive
from tests.pharmacy.factories import MedicineFactory, StoreFactory
from tests.support.browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_write_off_then_destroy_and_print_the_berita_acara(world, page) -> None:
    medicine = MedicineFactory(name="Amlodipin Uji", strength="10 mg")
    store = StoreFactory(facility=world.pkm1, name="Gudang PRB Satu")
    lot = receive(store, medicine, 20, user=world.farmasi1, batch="WO-1").lot

    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, "farmasi1", PASSWORD)
    page.wait_for_url("**/")
    page.goto(f"/farmasi/gudang/{store.pk}/")
    page.get_by_role("link", name="Kedaluwarsa / rusak").click()
    page.locator("#id_balance").select_option(index=1)
    page.locator("#id_quantity").fill("3")
    page.locator("#id_kind").select_option("damaged")
    page.locator("#id_note").fill("Blister sobek")
    page.get_by_role("button", name="Simpan", exact=True).click()
    page.wait_for_url(f"**/farmasi/gudang/{store.pk}/")

    page.goto("/farmasi/pemusnahan/")
    page.get_by_role("link", name="Berita acara pemusnahan baru").click()
    page.get_by_label("Jumlah dimusnahkan (WO-1)").fill("3")
    page.get_by_label("Alasan (KMK III.C.7) (WO-1)").select_option("damaged")
    page.locator("#id_place").fill("Halaman Puskesmas Satu")
    page.locator("#id_witnesses").fill("dr. Rina, Kepala Puskesmas\nYusuf, Dinas Kesehatan")
    page.get_by_role("button", name="Simpan berita acara").click()

    record = Destruction.objects.get()
    expect(page.get_by_text(f"Berita acara pemusnahan {record.number} tercatat.")).to_be_visible()
    assert record.lines.get().lot == lot and record.lines.get().quantity == 3
    reason = "a. Produk tidak memenuhi persyaratan mutu, khasiat/kemanfaatan dan kemasan"
    expect(page.get_by_role("cell", name=reason)).to_be_visible()
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0

    page.emulate_media(media="print")
    assert not page.locator("header.top").is_visible()  # no navigation on paper
    assert not page.locator(".messages").is_visible()  # nor the flash message
    assert not page.get_by_role("button", name="Cetak").is_visible()
    assert page.locator(".letterhead").is_visible()
    printed = page.locator("main").inner_text()
    assert "PUSKESMAS SATU" in printed  # the letterhead, in capitals
    assert record.number in printed and "Berita Acara Pemusnahan" in printed
    assert reason in printed and "Yusuf, Dinas Kesehatan" in printed
    assert "Penanggung jawab farmasi" in printed and "NIP" in printed
    assert page.pdf(format="A4").startswith(b"%PDF")
