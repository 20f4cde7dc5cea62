import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from pharmacy.models import Prescription, StockCardLine
from tests.pharmacy.conftest import TODAY, prescribe, receive

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():  # type: ignore[no-untyped-def]
    def _api(user):  # type: ignore[no-untyped-def]
        client = APIClient()
        client.force_authenticate(user)
        return client

    return _api


def receipt(store, medicine, **overrides):  # type: ignore[no-untyped-def]
    line = {"medicine": medicine.pk, "batch": "API-1", "expiry_date": "2028-06-30", "quantity": 50}
    line.update(overrides)
    return {
        "store": store.pk,
        "received_on": TODAY.isoformat(),
        "source": "distributor",
        "supplier": "PBF Uji",
        "reference": "FAK/1",
        "lines": [line],
    }


def test_a_receipt_through_the_api(world, api, store1, metformin) -> None:
    response = api(world.farmasi1).post(
        reverse("api-pharmacy-receipt"), receipt(store1, metformin), format="json"
    )
    assert response.status_code == 201
    assert response.json()[0]["balance_after"] == 50 and response.json()[0]["batch"] == "API-1"


def test_bad_input_gets_field_errors_and_nothing_is_written(world, api, store1, metformin) -> None:
    client = api(world.farmasi1)
    response = client.post(
        reverse("api-pharmacy-receipt"),
        receipt(store1, metformin, quantity=0, batch=""),
        format="json",
    )
    assert response.status_code == 400
    errors = response.json()["lines"]["0"]
    assert set(errors) == {"quantity", "batch"}
    expired = client.post(
        reverse("api-pharmacy-receipt"),
        receipt(store1, metformin, expiry_date="2026-01-01"),
        format="json",
    )
    assert expired.status_code == 400
    assert "sudah kedaluwarsa" in expired.json()["lines"][0]
    assert not StockCardLine.objects.exists()


def test_dispensing_through_the_api_reports_what_is_owed(world, api, store1, metformin) -> None:
    receive(store1, metformin, 20, user=world.farmasi1)
    prescription = prescribe(world, world.patient1, metformin, 30)
    response = api(world.farmasi1).post(
        reverse("api-pharmacy-dispense", args=[prescription.pk]), {}, format="json"
    )
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == Prescription.Status.PARTLY
    assert body["lines"][0]["owed_quantity"] == 10
    again = api(world.farmasi1).post(
        reverse("api-pharmacy-dispense", args=[prescription.pk]), {}, format="json"
    )
    assert again.status_code == 400 and "non_field_errors" in again.json()


def test_stock_levels_and_card_lines(world, api, store1, metformin) -> None:
    lot = receive(store1, metformin, 20, user=world.farmasi1).lot
    client = api(world.farmasi1)
    levels = client.get(reverse("api-pharmacy-stock", args=[store1.pk])).json()
    assert levels[0]["usable_quantity"] == 20 and levels[0]["lots"][0]["batch"] == lot.batch
    card = client.get(
        reverse("api-pharmacy-card", args=[store1.pk]), {"medicine": metformin.pk}
    ).json()
    assert card["count"] == 1 and card["results"][0]["movement"] == "receipt"
    assert (
        client.get(reverse("api-pharmacy-card", args=[store1.pk]), {"lot": "x"}).status_code == 400
    )


def test_it_rejects_other_facility(world, api, store1, metformin) -> None:
    receive(store1, metformin, 20, user=world.farmasi1)
    prescription = prescribe(world, world.patient1, metformin, 5)
    client = api(world.farmasi2)
    assert (
        client.post(
            reverse("api-pharmacy-receipt"), receipt(store1, metformin), format="json"
        ).status_code
        == 404
    )
    assert (
        client.post(
            reverse("api-pharmacy-dispense", args=[prescription.pk]), {}, format="json"
        ).status_code
        == 404
    )
    assert client.get(reverse("api-pharmacy-stock", args=[store1.pk])).status_code == 404
    assert client.get(reverse("api-pharmacy-card", args=[store1.pk])).status_code == 404
    assert StockCardLine.objects.count() == 1


def test_the_operations_are_in_the_openapi_schema(world, login) -> None:
    schema = login(world.farmasi1).get("/api/schema/", {"format": "json"}).json()
    for path in (
        "/api/v1/pharmacy/receipts/",
        "/api/v1/pharmacy/prescriptions/{id}/dispense/",
        "/api/v1/pharmacy/stores/{id}/stock/",
        "/api/v1/pharmacy/stores/{id}/card/",
    ):
        assert path in schema["paths"], path


def test_a_dispense_naming_a_line_not_on_the_prescription_is_refused(
    world, api, store1, metformin
) -> None:
    receive(store1, metformin, 100, user=world.farmasi1)
    prescription = prescribe(world, world.patient1, metformin, 30)
    other = prescribe(world, world.patient1, metformin, 10)
    foreign = other.lines.get().pk
    before = list(StockCardLine.objects.values_list("pk", flat=True))
    response = api(world.farmasi1).post(
        reverse("api-pharmacy-dispense", args=[prescription.pk]),
        {"lines": [{"line": foreign, "quantity": 5}]},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"lines": {"0": {"line": ["Baris ini tidak ada pada resep ini."]}}}
    assert list(StockCardLine.objects.values_list("pk", flat=True)) == before
    prescription.refresh_from_db()
    assert prescription.status == Prescription.Status.WAITING
    assert prescription.lines.get().dispensed_quantity == 0


def test_an_empty_line_list_is_refused_rather_than_dispensing_everything(
    world, api, store1, metformin
) -> None:
    receive(store1, metformin, 100, user=world.farmasi1)
    prescription = prescribe(world, world.patient1, metformin, 30)
    response = api(world.farmasi1).post(
        reverse("api-pharmacy-dispense", args=[prescription.pk]), {"lines": []}, format="json"
    )
    assert response.status_code == 400 and "lines" in response.json()
    assert prescription.lines.get().dispensed_quantity == 0


def test_unknown_keys_are_refused_at_every_level(world, api, store1, metformin) -> None:
    body = receipt(store1, metformin, quantiy=5)
    body["recieved_by"] = "x"
    response = api(world.farmasi1).post(reverse("api-pharmacy-receipt"), body, format="json")
    assert response.status_code == 400
    assert response.json() == {"recieved_by": ["Isian tidak dikenal."]}
    del body["recieved_by"]
    response = api(world.farmasi1).post(reverse("api-pharmacy-receipt"), body, format="json")
    assert response.json() == {"lines": {"0": {"quantiy": ["Isian tidak dikenal."]}}}
    assert not StockCardLine.objects.exists()
