"""In a real browser: the intake form filled from an SRB number (VClaim fake), then accepted."""

import os

import pytest
from playwright.sync_api import expect

from bpjs.models import BpjsMedicine
from facilities.models import Facility
from patients.models import Patient
from referrals.models import PrbCase
from tests.accounts.factories import PASSWORD
from tests.facilities.factories import FacilityFactory
from tests.referrals.browser.test_referrals_journey import fill_dm_clinical_part
from tests.referrals.factories import FormularyMedicineFactory, make_ready
from tests.support.bpjs_fake import BpjsFake, srb_example
from tests.support.browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SRB, SEP = "0301R0011125V000123", "0301R0011125V000456"
NIK = "1275015204610001"  # born 12/04/1961, female (day + 40)


def test_the_doctor_fills_the_letter_from_an_srb_number_and_accepts_it(
    world, page, bpjs_fake: BpjsFake, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    world.pkm1.bpjs_code = "0114U001"
    world.pkm1.save()
    make_ready(world.pkm1, "DM", world.dokter1)  # accepting asks no readiness plan (BAB III.A)
    hospital = FacilityFactory(
        regency=world.regency_a,
        kind=Facility.Kind.RUMAH_SAKIT,
        name="RSUD Djoelham",
        bpjs_code="0301R001",
    )
    metformin = FormularyMedicineFactory()
    BpjsMedicine.objects.create(code="12100101", name="METFORMIN 500 MG", medicine=metformin)
    bpjs_fake.srbs[(SRB, SEP)] = srb_example()
    bpjs_fake.participants["mariani"] = {
        "noKartu": "0001234567890",
        "noKTP": NIK,
        "nama": "MARIANI BR GINTING",
        "aktif": True,
        "ketAktif": "AKTIF",
        "kdProviderPst": {"kdProvider": "0114U001", "nmProvider": "Puskesmas Satu"},
    }
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, "dokter1", PASSWORD)
    page.wait_for_url("**/")
    page.goto("/rujukan/baru/")
    page.fill("#id_srb_number", SRB)
    page.fill("#id_sep_number", SEP)
    page.get_by_role("button", name="Isi dari BPJS VClaim").click()

    # Two BPJS calls and a full form: allow a slow, shared machine more than expect's 5 s.
    expect(page.locator("#id_name")).to_have_value("MARIANI BR GINTING", timeout=20_000)
    expect(page.locator("#id_nik")).to_have_value(NIK)
    expect(page.locator("#id_hospital")).to_have_value(str(hospital.pk))
    expect(page.locator("#id_dpjp_name")).to_have_value("dr. Rina Sitepu, Sp.PD")
    expect(page.locator("#id_med-0-medicine")).to_have_value(str(metformin.pk))
    expect(page.locator("#id_med-0-signa")).to_have_value("3x1")
    expect(page.locator(".messages")).to_contain_text("Obat Tidak Dikenal 10 mg")
    page.screenshot(path=str(tmp_path / "intake-390.png"), full_page=True)
    if os.environ.get("PRB_SCREENSHOTS"):
        page.screenshot(path=os.environ["PRB_SCREENSHOTS"] + "/bpjs-intake-390.png")
        page.locator(".srb-fetch").scroll_into_view_if_needed()
        page.screenshot(path=os.environ["PRB_SCREENSHOTS"] + "/bpjs-intake-390-button.png")

    # The clinical facts are still the doctor's; the live panel says what is missing.
    fill_dm_clinical_part(page)
    expect(page.locator("#criteria-outcome")).to_have_text("Memenuhi syarat", timeout=20_000)

    page.get_by_role("button", name="Simpan surat").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(SRB)
    page.get_by_role("button", name="Terima", exact=True).click()
    expect(page.locator("#case-status")).to_have_text("Aktif", timeout=20_000)
    patient = Patient.objects.get(bpjs_number="0001234567890")
    assert (patient.nik, patient.sex, str(patient.birth_date)) == (NIK, "F", "1961-04-12")
    case = PrbCase.objects.get(patient=patient)
    assert case.program == "DM"
    letter = case.letters.get()
    assert (letter.sep_number, letter.hospital) == (SEP, hospital)
    assert [m.medicine for m in letter.medicines.all()] == [metformin]


@pytest.mark.parametrize(
    ("who", "path"),
    [
        ("admin1", "/bpjs/pengaturan/"),
        ("dokter1", "/bpjs/"),
        ("dokter1", "/bpjs/peserta/"),
        ("farmasi1", "/bpjs/klaim-apotek/"),
        ("dinkes_a", "/bpjs/referensi/obat/"),
    ],
)
def test_the_bpjs_pages_fit_a_phone(world, page, who: str, path: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    BpjsMedicine.objects.create(code="12100101", name="METFORMIN HCL TABLET SALUT 500 MG")
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, getattr(world, who).username, PASSWORD)
    page.wait_for_url("**/")
    response = page.goto(path)
    assert response is not None and response.status == 200
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"{path} is {width}px wide at 390px"
    if os.environ.get("PRB_SCREENSHOTS"):
        name = path.strip("/").replace("/", "-")
        page.screenshot(path=f"{os.environ['PRB_SCREENSHOTS']}/{name}-390.png")
