"""The visit form warns about a prescription the decree refuses while the doctor types,
and at 390 px wide the warning stays readable."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from referrals import services
from referrals.models import ControlVisit
from tests.accounts.factories import PASSWORD
from tests.referrals.factories import FormularyMedicineFactory, make_ready, receive_letter
from tests.support.browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sle_case(world):
    letter = receive_letter(world, program="SLE", icd10="M32.9", facts={}, medicines=[])
    make_ready(world.pkm1, "SLE", world.dokter1)
    return services.letter_accept(
        actor=world.dokter1, letter=letter, on=dt.date(2026, 10, 5), override_reason="Uji."
    )


def test_the_sle_steroid_warning_appears_while_typing(world, page, tmp_path) -> None:
    methylpred = FormularyMedicineFactory(
        name="Methylprednisolone", strength="4 mg", form="tablet", programs=["SLE"]
    )
    case = _sle_case(world)
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, "dokter1", PASSWORD)
    page.wait_for_url("**/")
    page.goto(f"/rujukan/kasus/{case.pk}/kunjungan/baru/")
    page.select_option("#id_rx-0-medicine", str(methylpred.pk))
    page.fill("#id_rx-0-quantity", "30")
    page.fill("#id_rx-0-signa", "1x1")
    check = page.locator("#rx-check")
    expect(check).to_contain_text("memenuhi ketentuan KMK")
    page.fill("#id_rx-0-signa", "1x2")  # 8 mg a day: 10 mg prednisone
    expect(check).to_contain_text("setara prednison 10 mg/hari")
    expect(check).to_contain_text("KMK II.B.9.b")
    page.screenshot(path=str(tmp_path / "visit-check-390.png"), full_page=True)
    page.select_option("#id_adherence", "good")
    page.get_by_role("button", name="Simpan kunjungan").click()  # the service refuses it too
    expect(page.locator("#rx-check .errors")).to_contain_text("II.B.9.b")
    expect(page.locator("#id_rx-0-signa")).to_have_value("1x2")
    assert not ControlVisit.objects.exists()
