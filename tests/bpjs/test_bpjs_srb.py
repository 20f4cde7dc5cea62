import dataclasses
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from bpjs.models import BpjsMedicine
from bpjs.services import program_from_bpjs, srb_fetch
from facilities.models import Facility
from interop.errors import InteropError
from patients.models import Patient
from referrals.models import BackReferralLetter
from referrals.services import PatientInput
from tests.conftest import World
from tests.referrals.factories import FormularyMedicineFactory
from tests.support.bpjs_fake import SECRET as FAKE_SECRET
from tests.support.bpjs_fake import BpjsFake, srb_example

SRB, SEP = "0301R0011125V000123", "0301R0011125V000456"


@pytest.fixture
def metformin(db: None):  # type: ignore[no-untyped-def]
    medicine = FormularyMedicineFactory()
    BpjsMedicine.objects.create(code="12100101", name="METFORMIN 500 MG", medicine=medicine)
    return medicine


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ({"kode": "01 ", "nama": "Diabetes Mellitus"}, ("01", "Diabetes Mellitus")),
        ({"kode": "4", "nama": "Penyakit Jantung"}, ("04", "Penyakit Jantung")),
        ("02 Hypertensi", ("02", "Hypertensi")),
        ("08", ("08", "")),
        ("Schizophrenia", ("06", "Schizophrenia")),
        ("", ("", "")),
    ],
)
def test_programme_codes_in_every_form(raw: object, expected: tuple[str, str]) -> None:
    assert program_from_bpjs(raw) == expected


def test_it_fills_the_letter_from_vclaim(
    world: World, bpjs_fake: BpjsFake, metformin, hospital: Facility
) -> None:  # type: ignore[no-untyped-def]
    bpjs_fake.srbs[(SRB, SEP)] = srb_example()
    letter = srb_fetch(facility=world.pkm1, srb_number=SRB, sep_number=SEP)
    assert letter.program == "DM"  # "01 " with a trailing space
    assert letter.hospital == hospital
    assert letter.dpjp_name == "dr. Rina Sitepu, Sp.PD"
    assert letter.patient["sex"] == "F"
    assert str(letter.patient["birth_date"]) == "1961-04-12"
    assert [m.medicine for m in letter.mapped_medicines] == [metformin]
    assert [(m.code, m.signa, m.quantity) for m in letter.unmapped_medicines] == [
        ("99999999", "1x1", 30)
    ]
    assert letter.mapped_medicines[0].signa == "3x1"


def test_the_older_plain_string_programme(world: World, bpjs_fake: BpjsFake) -> None:
    bpjs_fake.srbs[(SRB, SEP)] = srb_example(programPRB="02 Hypertensi")
    assert srb_fetch(facility=world.pkm1, srb_number=SRB, sep_number=SEP).program == "HT"


def test_heart_disease_asks_which_condition(world: World, bpjs_fake: BpjsFake) -> None:
    bpjs_fake.srbs[(SRB, SEP)] = srb_example(programPRB={"kode": "04", "nama": "Penyakit Jantung"})
    letter = srb_fetch(facility=world.pkm1, srb_number=SRB, sep_number=SEP)
    assert (letter.program, letter.asks_heart_condition) == ("", True)


def test_a_known_patient_brings_the_nik(world: World, bpjs_fake: BpjsFake) -> None:
    bpjs_fake.srbs[(SRB, SEP)] = srb_example()
    bpjs_fake.srbs[(SRB, SEP)]["peserta"]["noKartu"] = world.patient1.bpjs_number
    letter = srb_fetch(facility=world.pkm1, srb_number=SRB, sep_number=SEP)
    assert letter.patient["nik"] == world.patient1.nik
    # Another puskesmas does not learn the NIK of a patient who is not theirs.
    other = srb_fetch(facility=world.pkm2, srb_number=SRB, sep_number=SEP)
    assert other.patient["nik"] == ""


def test_a_letter_without_a_participant_is_malformed(world: World, bpjs_fake: BpjsFake) -> None:
    bpjs_fake.srbs[(SRB, SEP)] = srb_example(peserta=None)
    with pytest.raises(InteropError, match="tidak dapat dibaca"):
        srb_fetch(facility=world.pkm1, srb_number=SRB, sep_number=SEP)


def test_odd_numbers_never_reach_bpjs(world: World, bpjs_fake: BpjsFake) -> None:
    with pytest.raises(InteropError, match="huruf dan angka"):
        srb_fetch(facility=world.pkm1, srb_number="../peserta", sep_number=SEP)
    assert bpjs_fake.requests == []


def test_the_command_prints_the_referral_input(
    world: World, bpjs_fake: BpjsFake, metformin, hospital: Facility
) -> None:  # type: ignore[no-untyped-def]
    bpjs_fake.srbs[(SRB, SEP)] = srb_example()
    out = StringIO()
    call_command("bpjs_srb_fetch", "--facility", world.pkm1.kemenkes_code, SRB, SEP, stdout=out)
    data = json.loads(out.getvalue())
    assert {"srb_number", "sep_number", "letter_date", "program", "dpjp_name", "patient"} <= set(
        data
    )
    assert data["program"] == "DM"
    assert data["hospital"] == hospital.kemenkes_code
    # Exactly the identity the letter intake takes (nik, bpjs_number, name, sex, birth_date,
    # address, phone).
    assert set(data["patient"]) == {field.name for field in dataclasses.fields(PatientInput)}
    assert data["medicines"] == [
        {"medicine": metformin.pk, "strength": "500 mg", "signa": "3x1", "quantity_per_month": 90}
    ]
    assert data["unmapped_medicines"][0]["code"] == "99999999"
    assert FAKE_SECRET not in out.getvalue()


@pytest.mark.parametrize(
    ("switch", "message"),
    [
        ("down", "tidak menjawab"),
        ("malformed", "tidak dapat dibaca"),
        ("wrong_key", "Kredensial BPJS salah atau jam server tidak sinkron"),
        ("not_found", "Data Tidak Ditemukan"),
    ],
)
def test_the_command_exits_2_with_the_message(
    world: World, bpjs_fake: BpjsFake, switch: str, message: str
) -> None:
    bpjs_fake.srbs[(SRB, SEP)] = srb_example()
    if switch == "down":
        bpjs_fake.go_down()
    elif switch == "malformed":
        bpjs_fake.malformed = True
    elif switch == "wrong_key":
        bpjs_fake.encrypt_with_wrong_key = True
    else:
        bpjs_fake.srbs.clear()
    with pytest.raises(CommandError, match=message) as exc:
        call_command("bpjs_srb_fetch", "--facility", world.pkm1.kemenkes_code, SRB, SEP)
    assert exc.value.returncode == 2
    assert not BackReferralLetter.objects.exists()
    assert not Patient.objects.filter(bpjs_number="0001234567890").exists()


def test_the_command_refuses_an_unknown_facility(db: None) -> None:
    with pytest.raises(CommandError, match="tidak dikenal") as exc:
        call_command("bpjs_srb_fetch", "--facility", "NOPE", SRB, SEP)
    assert exc.value.returncode == 2
