import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import User
from patients.models import Patient
from referrals.models import BackReferralLetter
from tests.accounts.factories import UserFactory
from tests.referrals.factories import (
    DM_ELIGIBLE_FACTS,
    FormularyMedicineFactory,
    HospitalFactory,
    enrol,
    record_visit,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]
URL = "/api/v1/referrals/"


@pytest.fixture
def hospital(world):
    return HospitalFactory(regency=world.regency_a, kemenkes_code="RS0001")


@pytest.fixture
def hospital_client(hospital):
    client = APIClient()
    client.force_authenticate(UserFactory(role=User.Role.ADMIN, facility=hospital))
    return client


def _payload(world, **overrides):
    payload = {
        "fktp": world.pkm1.kemenkes_code,
        "dpjp_name": "dr. Ahmad, Sp.PD",
        "srb_number": "SRB-API-1",
        "sep_number": "0301R0011026V000001",
        "letter_date": "2026-11-01",
        "patient": {
            "nik": "1275010101800003",
            "bpjs_number": "0009990000001",
            "name": "Ani Lubis",
            "sex": "M",
            "birth_date": "1980-01-01",
        },
        "program": "DM",
        "icd10": "E11.9",
        "general": {"a": True, "b": True, "c": True, "e": True, "f": True},
        "comorbidities": [{"icd10": "E78.5", "controlled_months": 4}],
        "facts": DM_ELIGIBLE_FACTS,
        "medicines": [
            {"medicine": FormularyMedicineFactory().pk, "signa": "3x1", "quantity_per_month": 90}
        ],
    }
    payload.update(overrides)
    return payload


def test_a_hospital_sends_a_letter_and_sending_it_again_is_idempotent(
    world, hospital_client
) -> None:
    response = hospital_client.post(URL, _payload(world), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["outcome"] == "eligible" and body["facility"] == world.pkm1.kemenkes_code
    again = hospital_client.post(URL, _payload(world), format="json")
    assert again.status_code == 200 and again.json()["id"] == body["id"]
    assert BackReferralLetter.objects.count() == 1
    assert Patient.objects.filter(nik="1275010101800003").count() == 1


def test_the_same_srb_with_other_content_is_a_400(world, hospital_client) -> None:
    hospital_client.post(URL, _payload(world), format="json")
    response = hospital_client.post(URL, _payload(world, icd10="E11.8"), format="json")
    assert response.status_code == 400
    assert "srb_number" in response.json()


def test_field_errors_and_nothing_half_saved(world, hospital_client) -> None:
    response = hospital_client.post(
        URL,
        _payload(world, facts={**DM_ELIGIBLE_FACTS, "hba1c_percent": 70}),
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"facts.hba1c_percent": ["Harus antara 3 dan 20%."]}
    bad_nik = _payload(world)
    bad_nik["patient"] = {**bad_nik["patient"], "nik": "12345"}
    response = hospital_client.post(URL, bad_nik, format="json")
    assert response.status_code == 400 and "nik" in response.json()["patient"]
    assert (
        not BackReferralLetter.objects.exists()
        and not Patient.objects.filter(name="Ani Lubis").exists()
    )


def test_an_fktp_account_receives_into_its_own_puskesmas(world, hospital) -> None:
    client = APIClient()
    client.force_authenticate(world.dokter1)
    payload = _payload(world, hospital="RS0001")
    del payload["fktp"]
    response = client.post(URL, payload, format="json")
    assert response.status_code == 201
    assert BackReferralLetter.objects.get().facility == world.pkm1
    detail = client.get(reverse("api-referral-detail", args=[response.json()["id"]]))
    assert detail.status_code == 200
    other = APIClient()
    other.force_authenticate(world.dokter2)
    assert (
        other.get(reverse("api-referral-detail", args=[response.json()["id"]])).status_code == 404
    )


def test_pustu_and_dinkes_cannot_post(world) -> None:
    for user in (world.pustu_staff1, world.dinkes_a):
        client = APIClient()
        client.force_authenticate(user)
        assert client.post(URL, _payload(world, hospital="X"), format="json").status_code == 403
    assert not BackReferralLetter.objects.exists()


@pytest.fixture
def case(world):
    case = enrol(world)
    record_visit(world, case, facts={"hba1c_percent": 8.2})
    return case


def test_case_and_visit_list_and_detail(world, case) -> None:
    client = APIClient()
    client.force_authenticate(world.dokter1)
    cases = client.get(reverse("api-case-list")).json()
    assert cases["count"] == 1 and cases["results"][0]["patient_name"] == world.patient1.name
    detail = client.get(reverse("api-case-detail", args=[case.pk])).json()
    assert detail["current_regimen"][0]["quantity"] == 90
    visits = client.get(reverse("api-case-visits", args=[case.pk])).json()
    assert visits["results"][0]["outcome"] == "re_refer"
    visit_id = visits["results"][0]["id"]
    assert (
        client.get(reverse("api-visit-detail", args=[visit_id])).json()["evaluation"]["outcome"]
        == "re_refer"
    )


def test_dokter2_gets_404_from_every_api(world, case) -> None:
    client = APIClient()
    client.force_authenticate(world.dokter2)
    visit = case.visits.get()
    assert client.get(reverse("api-case-list")).json()["count"] == 0
    assert client.get(reverse("api-case-detail", args=[case.pk])).status_code == 404
    assert client.get(reverse("api-case-visits", args=[case.pk])).status_code == 404
    assert client.get(reverse("api-visit-detail", args=[visit.pk])).status_code == 404
    assert (
        client.get(reverse("api-referral-detail", args=[case.letters.get().pk])).status_code == 404
    )


def test_case_list_api_has_no_n_plus_one(world, django_assert_num_queries) -> None:
    from tests.patients.factories import PatientFactory

    for i in range(5):
        enrol(world, patient=PatientFactory(fktp=world.pkm1), srb=f"SRB-{i}")
    client = APIClient()
    client.force_authenticate(world.dokter1)
    # count, one page of cases with patients, the one insert logging the patients listed
    with django_assert_num_queries(3):
        response = client.get(reverse("api-case-list"))
    assert response.json()["count"] == 5


def test_the_schema_documents_the_endpoints(world, login) -> None:
    schema = login(world.dokter1).get("/api/schema/").content.decode()
    for path in ("/api/v1/referrals/", "/api/v1/cases/{id}/visits/", "/api/v1/visits/{id}/"):
        assert path in schema


def test_unknown_keys_are_refused(world, hospital_client) -> None:
    payload = _payload(world, hba1c=7)
    payload["patient"]["religion"] = "-"
    response = hospital_client.post(URL, payload, format="json")
    assert response.status_code == 400
    assert response.json()["hba1c"] == ["Isian tidak dikenal."]
    assert not BackReferralLetter.objects.exists()


def test_a_2_mb_clinical_resume_is_refused_with_a_message(world, hospital_client) -> None:
    response = hospital_client.post(
        URL, _payload(world, clinical_resume="x" * 2_000_000), format="json"
    )
    assert response.status_code == 400
    assert response.json() == {
        "clinical_resume": ["Isi bidang ini tidak boleh melebihi 10000 karakter."]
    }
    assert not BackReferralLetter.objects.exists()


@pytest.mark.parametrize(
    ("birth_date", "message"),
    [
        ("2026-11-11", "Tanggal lahir tidak boleh di masa depan."),
        ("1899-12-31", "Tanggal lahir tidak boleh sebelum tahun 1900."),
    ],
)
def test_impossible_birth_dates_are_refused(world, hospital_client, birth_date, message) -> None:
    payload = _payload(world)
    payload["patient"]["birth_date"] = birth_date
    response = hospital_client.post(URL, payload, format="json")
    assert response.status_code == 400
    assert response.json() == {"patient": {"birth_date": [message]}}
    assert not Patient.objects.filter(nik="1275010101800003").exists()
