import logging

import pytest
from django.db import connection
from django.urls import reverse

from bpjs.models import ApotekClaimOutbox, BpjsCredentials, BpjsMedicine, PCareVisitOutbox
from facilities.models import Facility
from interop.models import OutboxState
from referrals.models import BackReferralLetter
from tests.conftest import World
from tests.referrals.factories import FormularyMedicineFactory, enrol, record_visit
from tests.support.bpjs_fake import BpjsFake, srb_example

SRB, SEP = "0301R0011125V000123", "0301R0011125V000456"
SECRET = "Sangat-Rahasia-9913"


# ---------------------------------------------------------------- settings page


def test_the_admin_saves_credentials_that_never_come_back(
    world: World, login, caplog: pytest.LogCaptureFixture
) -> None:  # type: ignore[no-untyped-def]
    client = login(world.admin1)
    url = reverse("bpjs:credentials")
    connection.force_debug_cursor = True  # SQL with its parameters goes to the log too
    try:
        with caplog.at_level(logging.DEBUG), caplog.at_level(logging.DEBUG, "django"):
            response = client.post(
                url,
                {
                    "cons_id": "31337",
                    "secret_key": SECRET,
                    "vclaim_user_key": "uk-" + SECRET,
                    "pcare_user_key": "",
                    "apotek_user_key": "",
                    "pcare_username": "pkm-satu",
                    "pcare_password": "pw-" + SECRET,
                    "pcare_doctor_code": "DOK01",
                    "pcare_sync_from": "2026-11-01",
                },
            )
            page = client.get(url)
    finally:
        connection.force_debug_cursor = False
    assert response.status_code == 302
    assert "bpjs_bpjscredentials" in caplog.text  # the log did see the writes …
    assert SECRET not in caplog.text  # … but never the secret
    stored = BpjsCredentials.objects.get(facility=world.pkm1)
    assert (stored.secret_key, stored.pcare_password) == (SECRET, "pw-" + SECRET)
    html = page.content.decode()
    assert SECRET not in html
    assert "tersimpan" in html
    # Saved again with the secrets left blank: they are kept.
    client.post(url, {"cons_id": "31337", "pcare_doctor_code": "DOK02"})
    stored.refresh_from_db()
    assert (stored.secret_key, stored.pcare_doctor_code) == (SECRET, "DOK02")


@pytest.mark.parametrize("who", ["dokter1", "farmasi1", "pustu_staff1", "dinkes_a"])
def test_settings_need_the_facility_administrator(world: World, login, who: str) -> None:  # type: ignore[no-untyped-def]
    response = login(getattr(world, who)).post(
        reverse("bpjs:credentials"), {"cons_id": "1", "secret_key": "x"}
    )
    assert response.status_code == 403
    assert not BpjsCredentials.objects.exists()


def test_each_administrator_edits_only_their_own_puskesmas(world: World, login) -> None:  # type: ignore[no-untyped-def]
    BpjsCredentials.objects.create(facility=world.pkm1, cons_id="111", secret_key=SECRET)
    other_admin = type(world.admin1).objects.create(
        username="admin2", role="admin", facility=world.pkm2
    )
    client = login(other_admin)
    page = client.get(reverse("bpjs:credentials"))
    assert "111" not in page.content.decode()
    client.post(reverse("bpjs:credentials"), {"cons_id": "222"})
    assert BpjsCredentials.objects.get(facility=world.pkm1).cons_id == "111"
    assert BpjsCredentials.objects.get(facility=world.pkm2).cons_id == "222"


def test_the_facility_credentials_are_used_before_the_environment(
    world: World, bpjs_fake: BpjsFake, settings, login
) -> None:  # type: ignore[no-untyped-def]
    from bpjs.client import Service
    from bpjs.selectors import bpjs_credentials

    BpjsCredentials.objects.create(
        facility=world.pkm1, cons_id="999", secret_key="own", vclaim_user_key="own-uk"
    )
    assert bpjs_credentials(world.pkm1, Service.VCLAIM).cons_id == "999"
    assert bpjs_credentials(world.pustu1, Service.VCLAIM).cons_id == "999"
    assert bpjs_credentials(world.pkm2, Service.VCLAIM).cons_id == settings.BPJS_CONS_ID


# ---------------------------------------------------------------- SRB on the intake form


def _participant(card: str = "0001234567890", provider: str = "", nik: str = "") -> dict:
    return {
        "noKartu": card,
        "noKTP": nik,
        "nama": "MARIANI BR GINTING",
        "aktif": True,
        "ketAktif": "AKTIF",
        "kdProviderPst": {"kdProvider": provider, "nmProvider": "Puskesmas Lain"},
    }


def test_the_intake_form_is_filled_from_vclaim(
    world: World, bpjs_fake: BpjsFake, hospital: Facility, login
) -> None:  # type: ignore[no-untyped-def]
    metformin = FormularyMedicineFactory()
    BpjsMedicine.objects.create(code="12100101", name="METFORMIN 500", medicine=metformin)
    bpjs_fake.srbs[(SRB, SEP)] = srb_example()
    bpjs_fake.participants["x"] = _participant(nik="1271015204610001", provider="XYZ")
    response = login(world.dokter1).post(
        reverse("bpjs:srb_fill"),
        {"srb_number": SRB, "sep_number": SEP, "med-TOTAL_FORMS": "4", "med-INITIAL_FORMS": "0"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="MARIANI BR GINTING"' in html
    assert 'value="dr. Rina Sitepu, Sp.PD"' in html
    assert 'value="1271015204610001"' in html  # NIK from PCare
    assert f'<option value="{hospital.pk}" selected>' in html
    assert f'<option value="{metformin.pk}" selected>' in html
    assert "Obat Tidak Dikenal 10 mg" in html  # unmapped, for the doctor to choose
    assert "Terdaftar di FKTP lain" in html or "terdaftar di FKTP lain" in html
    assert not BackReferralLetter.objects.exists()


def test_without_javascript_the_fill_keeps_what_was_typed(
    world: World, bpjs_fake: BpjsFake, login
) -> None:  # type: ignore[no-untyped-def]
    bpjs_fake.srbs[(SRB, SEP)] = srb_example(programPRB={"kode": "04", "nama": "Penyakit Jantung"})
    response = login(world.dokter1).post(
        reverse("bpjs:srb_fill"),
        {"srb_number": SRB, "sep_number": SEP, "nik": "1271015204610001", "fact_sbp": "128"},
    )
    html = response.content.decode()
    assert 'value="1271015204610001"' in html
    assert "pilih kondisi jantung" in html


@pytest.mark.parametrize(
    ("switch", "message"),
    [
        ("down", "tidak menjawab"),
        ("wrong_secret", "Kredensial BPJS salah"),
        ("malformed", "tidak dapat dibaca"),
    ],
)
def test_a_failed_fill_says_why_and_saves_nothing(
    world: World, bpjs_fake: BpjsFake, login, settings, switch: str, message: str
) -> None:  # type: ignore[no-untyped-def]
    bpjs_fake.srbs[(SRB, SEP)] = srb_example()
    if switch == "down":
        bpjs_fake.go_down()
    elif switch == "wrong_secret":
        settings.BPJS_SECRET_KEY = "salah"
    else:
        bpjs_fake.malformed = True
    response = login(world.dokter1).post(
        reverse("bpjs:srb_fill"), {"srb_number": SRB, "sep_number": SEP, "name": "Diketik Dokter"}
    )
    html = response.content.decode()
    assert message in html
    assert 'value="Diketik Dokter"' in html
    assert not BackReferralLetter.objects.exists()


@pytest.mark.parametrize("who", ["farmasi1", "pustu_staff1", "dinkes_a"])
def test_the_fill_needs_an_intake_role(world: World, bpjs_fake: BpjsFake, login, who: str) -> None:  # type: ignore[no-untyped-def]
    response = login(getattr(world, who)).post(
        reverse("bpjs:srb_fill"), {"srb_number": SRB, "sep_number": SEP}
    )
    assert response.status_code == 403
    assert bpjs_fake.requests == []


# ---------------------------------------------------------------- participant check


def test_the_participant_check_flags_another_fktp(world: World, bpjs_fake: BpjsFake, login) -> None:  # type: ignore[no-untyped-def]
    world.pkm1.bpjs_code = "0114U001"
    world.pkm1.save()
    bpjs_fake.participants["p1"] = _participant(world.patient1.bpjs_number, provider="0999X002")
    response = login(world.dokter1).get(
        reverse("bpjs:participant"), {"patient": world.patient1.pk}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert 'data-flag="registered-elsewhere"' in html
    assert "Kartu aktif" in html
    check = world.patient1.bpjs_participant
    assert check.registered_elsewhere
    # The letter page shows the flag before acceptance.
    letter = enrol(world).letters.get()
    page = login(world.dokter1).get(reverse("referrals:letter_detail", args=[letter.pk]))
    assert 'data-flag="registered-elsewhere"' in page.content.decode()


def test_the_participant_check_is_offered_only_to_roles_that_may_run_it(
    world: World, login
) -> None:  # type: ignore[no-untyped-def]
    """Pustu staff open the visit page but may not call PCare: no button that answers 403."""
    visit = record_visit(world, enrol(world))
    url = reverse("referrals:visit_detail", args=[visit.pk])
    check = reverse("bpjs:participant")
    doctor_page = login(world.dokter1).get(url).content.decode()
    assert f'href="{check}?patient={world.patient1.pk}"' in doctor_page
    pustu = login(world.pustu_staff1)
    pustu_page = pustu.get(url)
    assert pustu_page.status_code == 200
    assert check not in pustu_page.content.decode()
    assert pustu.get(check, {"patient": world.patient1.pk}).status_code == 403


def test_the_participant_of_another_puskesmas_is_404(
    world: World, bpjs_fake: BpjsFake, login
) -> None:  # type: ignore[no-untyped-def]
    response = login(world.dokter2).get(reverse("bpjs:participant"), {"patient": world.patient1.pk})
    assert response.status_code == 404
    assert bpjs_fake.requests == []


# ---------------------------------------------------------------- queue


def _pcare_row(world: World) -> PCareVisitOutbox:
    case = enrol(world)
    visit = record_visit(world, case)
    return PCareVisitOutbox.objects.create(
        visit=visit,
        facility=world.pkm1,
        idempotency_key=f"pcare-visit:{visit.pk}",
        state=OutboxState.FAILED,
        last_error="BPJS PCare menolak: kdDiag1: tidak valid",
    )


def test_the_queue_shows_the_state_and_bpjs_message(world: World, login) -> None:  # type: ignore[no-untyped-def]
    row = _pcare_row(world)
    html = login(world.perawat1).get(reverse("bpjs:queue")).content.decode()
    assert "kdDiag1: tidak valid" in html
    assert world.patient1.name in html
    visit_page = login(world.dokter1).get(reverse("referrals:visit_detail", args=[row.visit_id]))
    assert 'data-state="failed"' in visit_page.content.decode()
    # Another puskesmas's queue does not list it.
    assert (
        world.patient1.name not in login(world.dokter2).get(reverse("bpjs:queue")).content.decode()
    )


def test_resend_puts_the_row_back_and_sends_it(
    world: World, login, bpjs_fake: BpjsFake, settings, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    settings.BPJS_PCARE_DOCTOR_CODE = "DOK001"
    row = _pcare_row(world)
    with django_capture_on_commit_callbacks(execute=True):
        response = login(world.dokter1).post(reverse("bpjs:queue_resend", args=["pcare", row.pk]))
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.state == OutboxState.SENT
    assert len(bpjs_fake.registrations) == 1


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("dokter2", 404),  # another puskesmas's row
        ("farmasi1", 403),  # pharmacy staff do not resend PCare visits
    ],
)
def test_a_resend_by_someone_who_may_not_changes_nothing(
    world: World, login, who: str, status: int
) -> None:  # type: ignore[no-untyped-def]
    row = _pcare_row(world)
    response = login(getattr(world, who)).post(reverse("bpjs:queue_resend", args=["pcare", row.pk]))
    assert response.status_code == status
    row.refresh_from_db()
    assert row.state == OutboxState.FAILED


# ---------------------------------------------------------------- Apotek Online claims


def _november_claims() -> str:
    return reverse("bpjs:apotek_claims") + "?month=2026-11"


def _claim(client, capture_on_commit, url: str) -> None:  # type: ignore[no-untyped-def]
    """Press "send the month's claims" and let the queued sends run."""
    with capture_on_commit(execute=True):
        client.post(url)


def test_the_month_is_claimed_once_with_the_numbers_kept(
    world: World, bpjs_fake: BpjsFake, login, dispensed, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    client, url = login(world.farmasi1), _november_claims()
    _claim(client, django_capture_on_commit_callbacks, url)
    _claim(client, django_capture_on_commit_callbacks, url)  # a second press sends nothing
    row = ApotekClaimOutbox.objects.get(prescription=dispensed)
    assert (row.state, row.sjp_number) == (OutboxState.SENT, "0112A0011200001")
    assert len(bpjs_fake.prescriptions) == 1
    header = bpjs_fake.prescriptions[0]
    assert (header["KDJNSOBAT"], header["REFASALSJP"]) == ("1", SEP)
    assert [(x["NOSJP"], x["JMLOBT"], x["SIGNA1OBT"]) for x in bpjs_fake.prescription_lines] == [
        ("0112A0011200001", 90, "3")
    ]
    html = client.get(url).content.decode()
    assert "0112A0011200001" in html


def test_monitoring_is_reconciled_against_what_prb_dispensed(
    world: World, bpjs_fake: BpjsFake, login, dispensed, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    client, url = login(world.farmasi1), _november_claims()
    _claim(client, django_capture_on_commit_callbacks, url)
    bpjs_fake.claims = [
        {
            "nosepapotek": "0112A0011200001",
            "noresep": "00001",
            "byajuan": "13500",
            "bysetujui": "12000",
        },
        {
            "nosepapotek": "0112A0011299999",
            "noresep": "00777",
            "byajuan": "5000",
            "bysetujui": "5000",
        },
    ]
    html = client.get(url + "&monitoring=1").content.decode()
    assert 'data-sjp="0112A0011200001"' in html  # approved less than claimed
    assert 'data-missing="prb"' in html  # at BPJS, not dispensed in PRB
    assert "13.500" in html and "12.000" in html


def test_claims_of_another_puskesmas_are_not_listed(world: World, login, dispensed) -> None:  # type: ignore[no-untyped-def]
    """Puskesmas 1 has a November claim: its pharmacist sees it, puskesmas 2's pharmacist
    neither sees it nor, by submitting their own month, sends it."""
    url = _november_claims()
    assert world.patient1.name in login(world.farmasi1).get(url).content.decode()
    farmasi2_page = login(world.farmasi2).get(url)
    assert farmasi2_page.status_code == 200
    assert world.patient1.name not in farmasi2_page.content.decode()
    farmasi2_post = login(world.farmasi2).post(url)
    assert farmasi2_post.status_code == 302
    assert not ApotekClaimOutbox.objects.exists()
    login(world.farmasi1).post(url)
    assert ApotekClaimOutbox.objects.get().prescription == dispensed  # the same post, at home


@pytest.mark.parametrize("who", ["dokter1", "perawat1", "dinkes_a"])
def test_claims_need_pharmacy_staff(world: World, login, who: str) -> None:  # type: ignore[no-untyped-def]
    assert login(getattr(world, who)).get(reverse("bpjs:apotek_claims")).status_code == 403


# ---------------------------------------------------------------- medicine mapping


def test_the_district_pharmacist_maps_a_code(world: World, login) -> None:  # type: ignore[no-untyped-def]
    code = BpjsMedicine.objects.create(code="12100101", name="METFORMIN 500")
    metformin = FormularyMedicineFactory()
    client = login(world.dinkes_a)
    assert "METFORMIN 500" in client.get(reverse("bpjs:medicine_mapping")).content.decode()
    client.post(
        reverse("bpjs:medicine_mapping"), {"bpjs_medicine": code.pk, "medicine": metformin.pk}
    )
    code.refresh_from_db()
    assert (code.medicine, code.mapped_by) == (metformin, world.dinkes_a)


@pytest.mark.parametrize("who", ["dokter1", "farmasi1", "admin1"])
def test_mapping_needs_the_district(world: World, login, who: str) -> None:  # type: ignore[no-untyped-def]
    code = BpjsMedicine.objects.create(code="1", name="X")
    medicine = FormularyMedicineFactory()
    response = login(getattr(world, who)).post(
        reverse("bpjs:medicine_mapping"), {"bpjs_medicine": code.pk, "medicine": medicine.pk}
    )
    assert response.status_code == 403
    code.refresh_from_db()
    assert code.medicine is None
