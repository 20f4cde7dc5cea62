"""Printed papers are letters: letterhead, number and date, addressee, signature, human words."""

import datetime as dt
import re

from django.urls import reverse

from lib import workdays
from tests.referrals.factories import enrol

FACT_KEYS = ("_mg_dl", "True", "False", "hba1c_percent", "neuropathy_worsening")


def assert_letterhead(body: str, world) -> None:
    assert f"Pemerintah {world.regency_a.name}" in body
    assert "Dinas Kesehatan" in body
    assert "Puskesmas Satu" in body
    assert "Jl. Jend. Sudirman No. 12" in body and "(061) 8821234" in body
    assert "P1275010101" in body


def assert_no_fact_keys(body: str) -> None:
    text = re.sub(r"<[^>]+>", " ", body)  # words shown, not attribute names
    for key in FACT_KEYS:
        assert key not in text, key


def test_the_rereferral_letter_is_a_letter_with_human_words(world, login, rereferred) -> None:
    case, referral = rereferred
    body = (
        login(world.dokter1)
        .get(reverse("referrals:rereferral_letter", args=[referral.pk]))
        .content.decode()
    )
    assert_letterhead(body, world)
    assert "Kepada Yth." in body and "RSUD Tujuan" in body and "di tempat" in body
    assert referral.letter_number in body and "6 November 2026" in body
    assert "dr. Rina Siregar" in body and "NIP. 198503122010012003" in body
    assert "GDP 214 mg/dL" in body and "HbA1c 8,2%" in body
    assert "Keluhan komplikasi neuropati memberat: ya" in body
    assert "Risiko kardiovaskular sangat tinggi: tidak" in body
    assert "Laki-laki" in body
    assert_no_fact_keys(body)
    reasons = body.split('id="rereferral-reasons"')[1].split("</ul>")[0]
    assert reasons.count("III.B.1.d.2") == 1  # the clause code is printed once


def test_the_visit_page_and_timeline_label_every_fact(world, login, rereferred) -> None:
    case, _referral = rereferred
    client = login(world.dokter1)
    visit = case.visits.get()
    page = client.get(reverse("referrals:visit_detail", args=[visit.pk])).content.decode()
    assert "Gula darah puasa (GDP)" in page and "214 mg/dL" in page
    assert "Keluhan komplikasi neuropati memberat" in page
    timeline = client.get(reverse("referrals:timeline", args=[case.patient.pk])).content.decode()
    assert "GDP 214 mg/dL" in timeline
    for body in (page, timeline):
        assert_no_fact_keys(body)


def test_the_receipt_carries_the_letterhead_and_the_receiving_officer(world, login, letterhead):
    case = enrol(world)
    letter = case.letters.get()
    body = (
        login(world.dokter1)
        .get(reverse("referrals:letter_receipt", args=[letter.pk]))
        .content.decode()
    )
    assert_letterhead(body, world)
    assert "Kepada Yth." in body and str(letter.hospital) in body
    assert "SRB-0001" in body and "Petugas penerima" in body
    assert "NIP. 198503122010012003" in body


def test_the_control_card_speaks_to_the_patient_on_working_days(world, login, letterhead):
    case = enrol(world)
    case.next_control_date = dt.date(2026, 8, 15)  # a Saturday; 30 days on is 14 September
    case.save(update_fields=["next_control_date"])
    body = login(world.dokter1).get(reverse("referrals:case_card", args=[case.pk])).content.decode()
    assert_letterhead(body, world)
    dates = [dt.date.fromisoformat(d) for d in re.findall(r'datetime="(\d{4}-\d\d-\d\d)"', body)]
    assert len(dates) == 6
    assert all(day.weekday() < 5 and workdays.holiday_name(day) is None for day in dates)
    assert dates[0] == dt.date(2026, 8, 14)
    assert "Jumat, 14 Agustus 2026" in body
    assert "cek gula darah" in body  # tests in plain words
    assert "rata-rata gula darah 3 bulan" in body
    assert not re.search(r"\bIII\.B\.|KEEMPAT", body)  # no clause codes for the patient
    assert_no_fact_keys(body)


def test_the_letter_page_prints_the_hospitals_facts_in_words(world, login) -> None:
    case = enrol(world)
    body = (
        login(world.dokter1)
        .get(reverse("referrals:letter_detail", args=[case.letters.get().pk]))
        .content.decode()
    )
    facts = body.split('id="letter-facts">')[1].split("</dd>")[0]
    assert "GDP 150 mg/dL" in facts and "HbA1c 6,5%" in facts
    assert "Gambaran EKG normal: ya" in facts and "Komplikasi neuropati: tidak" in facts
    assert "Protein urin negatif" in facts
    assert_no_fact_keys(facts)
