"""The clinical pages on a phone (390 and 360 px): nothing wider than the screen, the intake
form's criteria summary always at hand, errors that take the focus."""

import pytest
from playwright.sync_api import expect

from tests.accounts.factories import PASSWORD
from tests.support.browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def overflow(page) -> int:  # type: ignore[no-untyped-def]
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


@pytest.mark.parametrize("width", [390, 360])
def test_every_clinical_page_fits_a_phone(world, page, rereferred, width) -> None:
    case, referral = rereferred
    visit, letter = case.visits.get(), case.letters.get()
    page.set_viewport_size({"width": width, "height": 800})
    log_in(page, "dokter1", PASSWORD)
    page.wait_for_url("**/")
    pages = [
        "/rujukan/",
        "/rujukan/baru/",
        f"/rujukan/surat/{letter.pk}/",
        f"/rujukan/surat/{letter.pk}/tanda-terima/",
        "/rujukan/kasus/",
        f"/rujukan/kasus/{case.pk}/",
        f"/rujukan/kasus/{case.pk}/kartu/",
        f"/rujukan/kasus/{case.pk}/kunjungan/baru/",
        f"/rujukan/kasus/{case.pk}/rencana/",
        f"/rujukan/kasus/{case.pk}/kunjungan-rumah/",
        f"/notifikasi/daftar-kerja/{case.pk}/kontak/",
        f"/rujukan/kunjungan/{visit.pk}/",
        f"/rujukan/rujuk-ulang/{referral.pk}/",
        f"/rujukan/pasien/{case.patient.pk}/riwayat/",
        "/rujukan/kesiapan/",
        "/rujukan/kesiapan/DM/",
        "/pasien/",
        "/pasien/baru/",
        f"/pasien/{case.patient.pk}/",
        f"/pasien/{case.patient.pk}/ubah/",
    ]
    wide = {}
    for url in pages:
        response = page.goto(url)
        assert response is not None and response.ok, url
        if overflow(page) > 0:
            wide[url] = overflow(page)
    assert wide == {}


def test_the_intake_criteria_summary_stays_in_view_and_opens_the_panel(world, page) -> None:
    page.set_viewport_size({"width": 390, "height": 800})
    log_in(page, "dokter1", PASSWORD)
    page.wait_for_url("**/")
    page.goto("/rujukan/baru/")
    summary = page.locator("#criteria-summary")
    assert "belum diperiksa" in summary.inner_text()
    page.fill("#id_f_hba1c_percent", "6,5")
    page.locator("#id_f_fpg_mg_dl").focus()
    expect(summary).to_contain_text("terpenuhi")
    # Deep in the form, the summary is still at the top of the screen.
    page.locator("#id_med-0-medicine").scroll_into_view_if_needed()
    box = summary.bounding_box()
    assert box is not None and 0 <= box["y"] <= 5
    summary.get_by_role("link", name="Buka panel").click()
    expect(page.locator("#criteria-panel")).to_be_focused()
    panel = page.locator("#criteria-panel").bounding_box()
    assert panel is not None and panel["y"] < 800


def test_a_form_with_errors_moves_the_focus_to_its_summary(world, page, rereferred) -> None:
    case, _referral = rereferred
    page.set_viewport_size({"width": 390, "height": 800})
    log_in(page, "dokter1", PASSWORD)
    page.wait_for_url("**/")
    page.goto(f"/rujukan/kasus/{case.pk}/")
    page.get_by_role("button", name="Ubah status").click()
    expect(page.locator(".error-summary")).to_be_focused()
    page.locator(".error-summary a").first.click()
    expect(page.locator("#id_status")).to_be_focused()
