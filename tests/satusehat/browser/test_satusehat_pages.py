"""The SATUSEHAT page and a visit's sync state on a 390 px phone."""

import pytest
from playwright.sync_api import expect

from interop.models import OutboxState
from satusehat.models import SatusehatOutbox
from tests.accounts.factories import PASSWORD
from tests.satusehat.factories import control_visit, enrolled_case, sending_settings
from tests.support.browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_failed_visit_reads_well_on_a_phone(world, page, tmp_path) -> None:
    sending_settings(world.pkm1)
    visit = control_visit(world, enrolled_case(world, "DM"))
    SatusehatOutbox.objects.filter(visit=visit).update(
        state=OutboxState.FAILED,
        attempts=1,
        last_error="SATUSEHAT menolak Observation (HTTP 400): Kode LOINC tidak dikenal "
        "(Observation.code)",
    )
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, "admin1", PASSWORD)
    page.wait_for_url("**/")

    page.goto("/satusehat/?state=failed")
    row = page.locator(".outbox-row").first
    expect(row).to_contain_text("Kode LOINC tidak dikenal")
    expect(row.get_by_role("button", name="Kirim ulang")).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    page.screenshot(path=str(tmp_path / "satusehat-outbox-390.png"), full_page=True)

    page.goto(f"/rujukan/kunjungan/{visit.pk}/")
    expect(page.locator("#satusehat-state")).to_contain_text("Gagal")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
