import datetime as dt

import pytest
from django.urls import reverse

from patients.models import Patient, PatientAccessLog
from tests.patients.factories import PatientFactory

VALID = {
    "nik": "1275014503700001",
    "bpjs_number": "0001234567890",
    "name": "Rosmawati Tarigan",
    "sex": "F",
    "birth_date": "1970-03-05",
    "address": "Jl. Veteran No. 3",
    "phone": "081234567890",
}


def test_the_list_shows_only_the_users_puskesmas(world, login) -> None:
    response = login(world.dokter1).get(reverse("patients:list"))
    assert response.status_code == 200
    assert "Siti Lubis" in response.content.decode()
    assert "Budi Nasution" not in response.content.decode()


def test_the_list_searches_by_name_nik_and_bpjs(world, login) -> None:
    client = login(world.dokter1)
    other = PatientFactory(fktp=world.pkm1, name="Joko Purba")
    for query in ["joko", other.nik, other.bpjs_number]:
        body = client.get(reverse("patients:list"), {"q": query}).content.decode()
        assert "Joko Purba" in body and "Siti Lubis" not in body, query


def test_the_list_answers_htmx_with_the_results_partial(world, login) -> None:
    response = login(world.dokter1).get(
        reverse("patients:list"), {"q": "siti"}, HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert 'id="results"' in body and "Siti Lubis" in body
    assert "<html" not in body
    assert response["Vary"].count("HX-Request") == 1


def test_the_list_paginates_without_n_plus_one(world, login, django_assert_num_queries) -> None:
    PatientFactory.create_batch(30, fktp=world.pkm1, pustu=world.pustu1)
    client = login(world.dokter1)
    client.get(reverse("patients:list"))  # warm the session
    # session, user with facility, count, one page of patients with FKTP and Pustu joined,
    # the one insert naming the 25 patients shown, and the idle-expiry session save
    # (savepoint, update, release)
    with django_assert_num_queries(8):
        response = client.get(reverse("patients:list"))
    assert len(response.context["page"].object_list) == 25
    assert response.context["page"].paginator.count == 31


def test_opening_a_record_is_logged(world, login) -> None:
    response = login(world.dokter1).get(reverse("patients:detail", args=[world.patient1.pk]))
    assert response.status_code == 200
    log = PatientAccessLog.objects.get()
    assert (log.user, log.facility, log.patient) == (world.dokter1, world.pkm1, world.patient1)


@pytest.mark.parametrize("name", ["patients:detail", "patients:edit", "patients:audit"])
def test_it_rejects_other_facility(world, login, name: str) -> None:
    client = login(world.dokter2)
    assert client.get(reverse(name, args=[world.patient1.pk])).status_code == 404
    assert client.post(reverse(name, args=[world.patient1.pk]), VALID).status_code in (404, 405)
    assert not PatientAccessLog.objects.exists()
    world.patient1.refresh_from_db()
    assert world.patient1.name == "Siti Lubis"


def test_dinkes_cannot_open_a_patient_record(world, login) -> None:
    client = login(world.dinkes_a)
    # The policy refuses the role before the scope is asked (403, not 404).
    assert client.get(reverse("patients:detail", args=[world.patient1.pk])).status_code == 403
    assert "Siti Lubis" not in client.get(reverse("patients:list")).content.decode()


def test_pustu_staff_see_the_patients_of_their_pustu_only(world, login) -> None:
    elsewhere = PatientFactory(fktp=world.pkm1, pustu=None)
    client = login(world.pustu_staff1)
    assert client.get(reverse("patients:detail", args=[world.patient1.pk])).status_code == 200
    assert client.get(reverse("patients:detail", args=[elsewhere.pk])).status_code == 404


def test_it_registers_a_patient_at_the_users_puskesmas(world, login) -> None:
    response = login(world.dokter1).post(
        reverse("patients:create"), {**VALID, "pustu": world.pustu1.pk}
    )
    patient = Patient.objects.get(nik=VALID["nik"])
    assert response.status_code == 302
    assert (patient.fktp, patient.pustu, patient.birth_date) == (
        world.pkm1,
        world.pustu1,
        dt.date(1970, 3, 5),
    )


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("nik", "12750145037000", "NIK harus tepat 16 digit."),
        ("nik", "1275010503700001", "NIK menunjukkan jenis kelamin lain"),
        ("nik", "1275014603700001", "tidak sesuai dengan tanggal lahir"),
        ("bpjs_number", "12345", "Nomor kartu BPJS harus tepat 13 digit."),
        ("birth_date", "2099-03-05", "Tanggal lahir tidak boleh di masa depan."),
        ("birth_date", "1899-03-05", "Tanggal lahir tidak boleh sebelum tahun 1900."),
    ],
)
def test_bad_identifiers_get_an_indonesian_message_and_nothing_is_saved(
    world, login, field: str, value: str, message: str
) -> None:
    response = login(world.dokter1).post(reverse("patients:create"), {**VALID, field: value})
    assert response.status_code == 200
    body = response.content.decode()
    assert message in body
    assert f'value="{VALID["name"]}"' in body  # the form keeps what was typed
    assert not Patient.objects.filter(name=VALID["name"]).exists()


def test_a_duplicate_nik_is_refused_in_indonesian(world, login) -> None:
    response = login(world.dokter1).post(
        reverse("patients:create"),
        {**VALID, "nik": world.patient1.nik, "sex": "M", "birth_date": "1968-04-02"},
    )
    assert "Pasien dengan NIK ini sudah terdaftar." in response.content.decode()
    assert Patient.objects.filter(nik=world.patient1.nik).count() == 1


def test_a_pustu_of_another_puskesmas_is_refused(world, login) -> None:
    from tests.facilities.factories import PustuFactory

    foreign = PustuFactory(parent=world.pkm2)
    response = login(world.dokter1).post(reverse("patients:create"), {**VALID, "pustu": foreign.pk})
    assert response.status_code == 200
    assert not Patient.objects.filter(nik=VALID["nik"]).exists()


def test_editing_keeps_the_scope_and_saves(world, login) -> None:
    client = login(world.dokter1)
    data = {
        **VALID,
        "nik": world.patient1.nik,
        "sex": "M",
        "birth_date": "1968-04-02",
        "bpjs_number": world.patient1.bpjs_number,
        "name": "Siti Lubis Baru",
    }
    response = client.post(reverse("patients:edit", args=[world.patient1.pk]), data)
    assert response.status_code == 302
    world.patient1.refresh_from_db()
    assert world.patient1.name == "Siti Lubis Baru"


def test_the_audit_page_is_for_the_facility_admin(world, login) -> None:
    login(world.dokter1).get(reverse("patients:detail", args=[world.patient1.pk]))
    assert (
        login(world.dokter1).get(reverse("patients:audit", args=[world.patient1.pk])).status_code
        == 403
    )
    response = login(world.admin1).get(reverse("patients:audit", args=[world.patient1.pk]))
    assert response.status_code == 200
    assert "dokter1" in response.content.decode()
