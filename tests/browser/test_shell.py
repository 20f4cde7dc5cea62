import pytest

from tests.accounts.factories import PASSWORD
from tests.support.browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_doctor_logs_in_and_sees_the_home_page(world, page) -> None:
    log_in(page, "dokter1", PASSWORD)
    page.wait_for_url("**/")
    assert page.get_by_role("heading", level=1).inner_text() == "Program Rujuk Balik (PRB)"
    nav = page.get_by_role("navigation", name="Navigasi utama")
    assert nav.get_by_role("link", name="Pasien").is_visible()


def test_patient_search_updates_the_list_with_htmx(world, page) -> None:
    log_in(page, "dokter1", PASSWORD)
    page.goto("/pasien/")
    page.get_by_label("Nama, NIK atau nomor BPJS").fill("tidak-ada")
    page.wait_for_url("**q=tidak-ada**")
    assert page.get_by_text("Tidak ada pasien ditemukan.").is_visible()
    page.get_by_label("Nama, NIK atau nomor BPJS").fill("siti")
    page.wait_for_url("**q=siti**")
    assert page.get_by_role("link", name="Siti Lubis").is_visible()


def test_a_wrong_password_stays_on_the_login_page(world, page) -> None:
    log_in(page, "dokter1", "salah")
    assert page.get_by_role("alert").first.is_visible()
    assert "/akun/masuk/" in page.url
