"""The doctor's journey in a real browser: intake → live criteria → accept → visit → re-referral."""

import pytest
from playwright.sync_api import expect

from referrals.models import PrbCase, ReReferral
from tests.accounts.factories import PASSWORD
from tests.referrals.factories import FormularyMedicineFactory, HospitalFactory, make_ready
from tests.support.browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FACTS = {
    "hba1c_percent": "6,5",
    "fpg_mg_dl": "150",
    "ppg2h_mg_dl": "200",
    "basal_insulin_units_per_day": "0",
    "oral_antidiabetic_count": "1",
    "urine_protein_plus": "0",
    "egfr": "90",
    "sbp": "128",
    "dbp": "80",
    "antihypertensive_count": "1",
    "ldl_mg_dl": "90",
}
CHOICES = {
    "non_basal_insulin": "no",
    "neuropathy": "no",
    "ecg_normal": "yes",
    "very_high_cv_risk": "no",
}


def fill_dm_clinical_part(page) -> None:  # type: ignore[no-untyped-def]
    """The doctor's part of a DM letter: diagnosis, the general attestations, the facts."""
    page.fill("#id_icd10", "E11.9")
    for letter in "abcef":
        page.check(f"#id_general_{letter}")
    for name, value in CHOICES.items():
        page.select_option(f"#id_f_{name}", value)
    for name, value in FACTS.items():
        page.fill(f"#id_f_{name}", value)


def test_dokter1_runs_a_dm_patient_from_letter_to_re_referral(world, page) -> None:
    HospitalFactory(regency=world.regency_a, name="RSUD Binjai")
    metformin = FormularyMedicineFactory()
    patient = world.patient1
    make_ready(world.pkm1, "DM", world.dokter1)
    log_in(page, "dokter1", PASSWORD)
    page.wait_for_url("**/")
    page.goto("/rujukan/baru/")
    page.select_option("#id_hospital", label="RSUD Binjai")
    page.fill("#id_dpjp_name", "dr. Ahmad, Sp.PD")
    page.fill("#id_srb_number", "SRB-E2E-1")
    page.fill("#id_letter_date", "2026-01-02")
    page.fill("#id_nik", patient.nik)
    page.fill("#id_bpjs_number", patient.bpjs_number)
    page.fill("#id_name", patient.name)
    page.select_option("#id_sex", "M")
    page.fill("#id_birth_date", patient.birth_date.isoformat())
    fill_dm_clinical_part(page)
    page.select_option("#id_med-0-medicine", str(metformin.pk))
    page.fill("#id_med-0-signa", "3x1")
    page.fill("#id_med-0-quantity_per_month", "90")

    clause = page.locator('#criteria-panel [data-clause="II.B.1.a"]')
    expect(clause).to_have_attribute("data-outcome", "met")
    expect(page.locator("#criteria-outcome")).to_have_text("Memenuhi syarat")
    expect(page.locator('#criteria-panel [data-clause="KEEMPAT.d"]')).to_have_attribute(
        "data-outcome", "met"
    )

    page.fill("#id_f_hba1c_percent", "8,2")
    expect(clause).to_have_attribute("data-outcome", "not_met")
    expect(clause).to_contain_text("Tidak terpenuhi")
    page.fill("#id_f_hba1c_percent", "6,5")
    expect(clause).to_have_attribute("data-outcome", "met")

    page.get_by_role("button", name="Simpan surat").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("SRB-E2E-1")
    page.get_by_role("button", name="Terima", exact=True).click()
    expect(page.locator("#case-status")).to_have_text("Aktif")
    assert PrbCase.objects.get().patient == patient

    page.get_by_role("link", name="Catat kunjungan kontrol").click()
    page.select_option("#id_adherence", "good")
    page.fill("#id_f_hba1c_percent", "8,4")
    page.get_by_role("button", name="Simpan kunjungan").click()
    verdict = page.locator("#rereferral-verdict")
    expect(verdict.locator('[data-clause="III.B.1.d.2"]')).to_have_attribute(
        "data-outcome", "triggered"
    )
    expect(verdict).to_contain_text("Rujuk ulang")

    page.get_by_role("link", name="Tulis surat rujuk ulang").click()
    expect(page.locator('input[value="III.B.1.d.2"]')).to_be_checked()
    page.select_option("#id_hospital", label="RSUD Binjai")
    page.get_by_role("button", name="Buat surat rujuk ulang").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Surat rujuk ulang")
    referral = ReReferral.objects.get()
    expect(page.locator("#letter-number")).to_have_text(referral.letter_number)
    expect(page.locator("article")).to_contain_text("III.B.1.d.2")
    expect(page.locator("article")).to_contain_text("SRB-E2E-1")
    assert PrbCase.objects.get().status == PrbCase.Status.RE_REFERRED
