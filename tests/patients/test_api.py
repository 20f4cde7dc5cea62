from django.urls import reverse
from rest_framework.authtoken.models import Token

from patients.models import PatientAccessLog


def test_the_api_lists_only_the_users_puskesmas(world, login) -> None:
    data = login(world.dokter1).get(reverse("api-patient-list")).json()
    assert [row["name"] for row in data["results"]] == ["Siti Lubis"]


def test_the_api_detail_is_logged(world, login) -> None:
    response = login(world.dokter1).get(reverse("api-patient-detail", args=[world.patient1.pk]))
    assert response.json()["nik"] == world.patient1.nik
    assert PatientAccessLog.objects.get().action == PatientAccessLog.Action.API_VIEW


def test_the_api_rejects_other_facility(world, client) -> None:
    token = Token.objects.create(user=world.dokter2)
    response = client.get(
        reverse("api-patient-detail", args=[world.patient1.pk]),
        HTTP_AUTHORIZATION=f"Token {token.key}",
    )
    assert response.status_code == 404
    listed = client.get(reverse("api-patient-list"), HTTP_AUTHORIZATION=f"Token {token.key}")
    assert listed.json()["count"] == 1  # only puskesmas 2's own patient


def test_the_api_needs_authentication(world, client) -> None:
    assert client.get(reverse("api-patient-list")).status_code in (401, 403)
