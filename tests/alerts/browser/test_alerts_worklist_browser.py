"""The worklist in a real browser: a contact recorded from a row replaces the row (htmx)."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from referrals.models import ContactAttempt
from tests.accounts.factories import PASSWORD
from tests.alerts.factories import CaseFactory
from tests.support.browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_nurse_records_an_agreed_date_and_the_row_updates_in_place(world, page) -> None:
    today = timezone.localdate()
    case = CaseFactory(patient=world.patient1, next_control_date=today - dt.timedelta(days=9))
    log_in(page, "perawat1", PASSWORD)
    page.wait_for_url("**/")
    page.goto("/notifikasi/daftar-kerja/")
    row = page.locator(f"#case-{case.pk}")
    expect(row).to_contain_text("Siti Lubis")
    expect(row).to_contain_text("9 hari terlambat")
    row.locator("summary").click()
    row.get_by_label("Setuju datang").check()
    agreed = today + dt.timedelta(days=3)
    row.locator("input[name=agreed_date]").fill(agreed.isoformat())
    row.get_by_role("button", name="Simpan").click()
    updated = page.locator(f"#case-{case.pk}")
    expect(updated).to_contain_text("Setuju datang: pasien keluar dari daftar selama 7 hari.")
    assert page.url.endswith("/notifikasi/daftar-kerja/")  # no page load: htmx swapped the row
    assert ContactAttempt.objects.get(case=case).agreed_date == agreed


def test_on_a_phone_each_row_is_a_card_that_fits_the_screen(world, page) -> None:
    today = timezone.localdate()
    case = CaseFactory(patient=world.patient1, next_control_date=today - dt.timedelta(days=40))
    page.set_viewport_size({"width": 390, "height": 800})
    log_in(page, "perawat1", PASSWORD)
    page.wait_for_url("**/")
    page.goto("/notifikasi/daftar-kerja/")
    row = page.locator(f"#case-{case.pk}")
    expect(row).to_contain_text("40 hari terlambat")
    assert row.evaluate("tr => getComputedStyle(tr).display") == "block"
    date_cell = row.locator("td[data-label='Jadwal kontrol']")
    assert (
        date_cell.evaluate("td => getComputedStyle(td, '::before').content") == '"Jadwal kontrol: "'
    )
    cells = row.locator("td").evaluate_all("tds => tds.map(td => td.getBoundingClientRect().right)")
    assert max(cells) <= 390
