"""Pharmacy pages on a phone: the stock count and the dispensing worklist are cards."""

import datetime as dt

import pytest

from tests.accounts.factories import PASSWORD
from tests.pharmacy.conftest import prescribe, ten_in_eight_out
from tests.support.browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_stock_count_fits_a_phone(world, page, store1, metformin) -> None:
    lot = ten_in_eight_out(world, store1, metformin, dispensed_on=dt.date.today())
    page.set_viewport_size({"width": 390, "height": 800})
    log_in(page, "farmasi1", PASSWORD)
    page.wait_for_url("**/")
    page.goto(f"/farmasi/gudang/{store1.pk}/opname/")
    counted = page.get_by_label(f"Hasil hitung {lot.batch}")
    reason = page.get_by_label(f"Alasan {lot.batch}")
    for field in (counted, reason):
        box = field.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
    batch = page.locator("td[data-label='Batch']")
    assert batch.evaluate("td => getComputedStyle(td, '::before').content") == '"Batch: "'
    counted.fill("1")
    reason.fill("Pecah")
    page.get_by_role("button", name="Simpan stok opname").click()
    page.wait_for_url(f"**/farmasi/gudang/{store1.pk}/")


def test_the_dispensing_worklist_is_a_list_of_cards_on_a_phone(world, page, metformin) -> None:
    prescribe(world, world.patient1, metformin, 30, on=dt.date.today())
    page.set_viewport_size({"width": 390, "height": 800})
    log_in(page, "farmasi1", PASSWORD)
    page.wait_for_url("**/")
    page.goto("/farmasi/")
    row = page.get_by_role("row").filter(has_text="Siti Lubis")
    assert row.evaluate("tr => getComputedStyle(tr).display") == "block"
    link = row.get_by_role("link", name="Serahkan obat")
    box = link.bounding_box()
    # The action reads as words on one line, inside the screen (not a letter per line).
    assert box is not None and box["x"] + box["width"] <= 390 and box["height"] < 40
