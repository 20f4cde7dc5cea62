"""The printed re-referral letter and control card, in Chromium at 390 px and in print."""

import pytest

from tests.accounts.factories import PASSWORD
from tests.support.browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FACT_KEYS = ("_mg_dl", "True", "False", "hba1c_percent")
PHONE = {"width": 390, "height": 844}


def overflow(page) -> int:  # type: ignore[no-untyped-def]
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def check_print(page, tmp_path, name: str) -> str:  # type: ignore[no-untyped-def]
    """Emulate print: chrome gone, letterhead shown, a PDF rendered; returns the printed text."""
    page.screenshot(path=tmp_path / f"{name}-390.png", full_page=True)
    page.emulate_media(media="print")
    assert not page.locator("header.top").is_visible()
    assert not page.locator(".actions").first.is_visible()
    assert page.locator(".letterhead").is_visible()
    text = page.locator("main").inner_text()
    for key in FACT_KEYS:
        assert key not in text, key
    pdf = page.pdf(path=tmp_path / f"{name}.pdf", format="A4")
    assert pdf.startswith(b"%PDF") and len(pdf) > 5_000
    page.screenshot(path=tmp_path / f"{name}-print.png", full_page=True)
    return text


def open_on_a_phone(page, path: str) -> None:  # type: ignore[no-untyped-def]
    """dokter1, logged in on a 390 px phone, opens ``path``; nothing overflows sideways."""
    page.set_viewport_size(PHONE)
    log_in(page, "dokter1", PASSWORD)
    page.wait_for_url("**/")
    page.goto(path)
    assert overflow(page) <= 0


def test_the_rereferral_letter_fits_a_phone_and_prints_as_a_letter(
    world, page, rereferred, tmp_path
) -> None:
    _case, referral = rereferred
    open_on_a_phone(page, f"/rujukan/rujuk-ulang/{referral.pk}/")
    text = check_print(page, tmp_path, "rereferral")
    assert "PUSKESMAS SATU" in text  # the letterhead, in capitals
    assert "Kepada Yth." in text and "RSUD Tujuan" in text
    assert "GDP 214 mg/dL" in text and "Keluhan komplikasi neuropati memberat: ya" in text
    assert "NIP. 198503122010012003" in text


def test_the_control_card_fits_a_phone_and_prints(world, page, letterhead, tmp_path) -> None:
    from tests.referrals.factories import enrol

    case = enrol(world)
    open_on_a_phone(page, f"/rujukan/kasus/{case.pk}/kartu/")
    text = check_print(page, tmp_path, "card")
    assert "Jadwal kontrol Anda" in text and "cek gula darah" in text
    assert "III.B" not in text
